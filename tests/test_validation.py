import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from glassbox._validation import (
    infer_feature_types,
    validate_sample_weight,
    validate_target,
    validate_X,
)


class Est:
    pass


def test_dataframe_names_recorded_and_checked():
    est = Est()
    df = pd.DataFrame({"age": [1.0, 2.0], "job": ["a", "b"]})
    out = validate_X(est, df, reset=True)
    assert est.n_features_in_ == 2 and list(est.feature_names_in_) == ["age", "job"]
    assert list(out.columns) == ["age", "job"]
    with pytest.raises(ValueError, match="same order as they were in fit"):
        validate_X(est, df[["job", "age"]], reset=False)
    with pytest.raises(ValueError, match="unseen at fit time:\n- pay\n.*yet now missing:\n- job"):
        validate_X(est, df.rename(columns={"job": "pay"}), reset=False)
    with pytest.raises(ValueError, match="X has 3 features, but Est is expecting 2 features"):
        validate_X(est, np.zeros((2, 3)), reset=False)
    # a numpy array of the right width is accepted (with scikit-learn's warning) and renamed
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        assert list(validate_X(est, np.zeros((2, 2)), reset=False).columns) == ["age", "job"]


def test_numpy_and_lists_get_default_names_and_no_feature_names_in():
    est = Est()
    out = validate_X(est, [[1, "x"], [2, None]], reset=True)
    assert list(out.columns) == ["feature_0000", "feature_0001"]
    assert not hasattr(est, "feature_names_in_")
    assert out["feature_0001"].isna().tolist() == [False, True]


@pytest.mark.parametrize("X, err, match", [
    (np.array([[1 + 1j, 2]]), ValueError, "Complex data not supported"),
    (np.array([[1.0, np.inf]]), ValueError, "'feature_0001' contains infinite"),
    (pd.DataFrame({"pay": [1.0, -np.inf]}), ValueError, "'pay' contains infinite"),
    (pd.DataFrame({"pay": pd.Series([1, "x", float("inf")], dtype=object)}), ValueError, "'pay'"),
    (np.empty((0, 3)), ValueError, r"0 sample\(s\)"),
    (np.empty((3, 0)), ValueError, r"0 feature\(s\)"),
    (np.zeros(3), ValueError, "Reshape your data"),
    (np.zeros((2, 2, 2)), ValueError, "3 dimensions"),
    (sp.csr_matrix(np.eye(2)), TypeError, "sparse"),
    ("abc", TypeError, "X must be"),
    (pd.DataFrame({"d": pd.to_datetime(["2020-01-01"])}), TypeError, "'d' has dtype datetime"),
])
def test_bad_X(X, err, match):
    with pytest.raises(err, match=match):
        validate_X(Est(), X, reset=True)


def test_missing_values_are_kept():
    df = pd.DataFrame({"a": [1.0, np.nan, None], "b": pd.array([1, pd.NA, 3], dtype="Int64"),
                       "c": ["x", None, pd.NA]})
    out = validate_X(Est(), df, reset=True)
    assert out.isna().sum().tolist() == [2, 1, 2]


def test_feature_types_inference_and_overrides():
    df = pd.DataFrame({
        "num": [1.0, 2.0, 3.0], "flag": [True, False, True], "txt": ["a", "b", "a"],
        "numtxt": ["1", "2", None], "cat": pd.Categorical(["x", "y", "x"]),
        "ord": pd.Categorical(["lo", "hi", "lo"], categories=["lo", "hi"], ordered=True),
    })
    assert infer_feature_types(df) == ["continuous", "continuous", "nominal", "continuous",
                                       "nominal", "ordinal"]
    assert infer_feature_types(df, {"num": "nominal", "txt": "ordinal"})[:3] == [
        "nominal", "continuous", "ordinal"]
    assert infer_feature_types(df, ["quantile", "auto", None, "nominal", "auto", "auto"])[0] == \
        "continuous"
    with pytest.raises(ValueError, match="Column 'txt'.*non-numeric values such as 'a'"):
        infer_feature_types(df, {"txt": "continuous"})
    with pytest.raises(ValueError, match="'weird' for column 'num'"):
        infer_feature_types(df, {"num": "weird"})
    with pytest.raises(ValueError, match="unknown columns"):
        infer_feature_types(df, {"nope": "nominal"})
    with pytest.raises(ValueError, match="2 entries but X has 6"):
        infer_feature_types(df, ["auto", "auto"])


def test_target_checks():
    y, classes = validate_target(["b", "a", "b"], 3, task="classification")
    assert y.tolist() == [1, 0, 1] and classes.tolist() == ["a", "b"]
    with pytest.raises(ValueError, match="only one class"):
        validate_target([1, 1, 1], 3, task="classification")
    with pytest.raises(ValueError, match="different lengths: X has 4 rows, y has 3"):
        validate_target([0, 1, 0], 4, task="classification")
    with pytest.raises(ValueError, match="1 sample"):
        validate_target([0], 1, task="classification")
    with pytest.raises(ValueError, match="missing values"):
        validate_target([0.0, np.nan, 1.0], 3, task="regression")
    with pytest.raises(ValueError, match="Unknown label type"):
        validate_target([0.5, 1.5, 2.5], 3, task="classification")
    y, classes = validate_target([1, 2, 3.5], 3, task="regression")
    assert y.dtype == np.float64 and classes is None


def test_sample_weight_checks():
    assert validate_sample_weight(None, 3).tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="negative"):
        validate_sample_weight([1, -1, 1], 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        validate_sample_weight([1, np.nan, 1], 3)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        validate_sample_weight([1, 1], 3)
    with pytest.raises(ValueError):
        validate_sample_weight([0, 0, 0], 3)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

cell = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False), st.integers(-5, 5),
                 st.sampled_from(["a", "b", "c"]))


@given(st.lists(st.tuples(cell, cell), min_size=1, max_size=25))
def test_rows_of_mixed_cells_keep_values_and_missing_mask(rows):
    df = validate_X(Est(), rows, reset=True)
    assert df.shape == (len(rows), 2)
    expected_missing = np.array([[v is None for v in r] for r in rows])
    assert np.array_equal(df.isna().to_numpy(), expected_missing)
    types = infer_feature_types(df)
    for j, t in enumerate(types):
        present = [r[j] for r in rows if r[j] is not None]
        assert t == ("nominal" if any(isinstance(v, str) for v in present) else "continuous")
