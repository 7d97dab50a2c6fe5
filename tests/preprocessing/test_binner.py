import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glassbox._core._binning import map_continuous
from glassbox.preprocessing import FeatureBinner
from glassbox.preprocessing._binner import format_number, weighted_quantile_cuts


def naive_codes(values, cuts):
    """Twin of the Cython kernel: 0 for NaN, else 1 + searchsorted(side='right')."""
    codes = 1 + np.searchsorted(cuts, values, side="right")
    return np.where(np.isnan(values), 0, codes)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(arrays(np.float64, st.integers(1, 300), elements=finite | st.just(np.nan)),
       st.integers(2, 40))
def test_codes_match_naive_twin_and_are_monotone(values, max_bins):
    binner = FeatureBinner(max_bins=max_bins).fit(values.reshape(-1, 1))
    codes = binner.transform(values.reshape(-1, 1))[0]
    cuts = binner.cuts_[0]
    assert np.array_equal(codes, naive_codes(values, cuts))
    assert len(cuts) <= max_bins - 1
    assert np.all(np.diff(cuts) > 0)
    present = ~np.isnan(values)
    order = np.argsort(values[present], kind="stable")
    assert np.all(np.diff(codes[present][order].astype(int)) >= 0)  # monotone in the value
    assert np.all(codes[~present] == 0)  # missing -> bin 0
    assert codes.max() <= binner.n_bins_[0] - 2  # unseen bin never used by continuous data


@given(arrays(np.float64, st.integers(1, 200), elements=finite))
def test_few_distinct_values_each_get_their_own_bin(values):
    distinct = np.unique(values)
    binner = FeatureBinner(max_bins=max(2, len(distinct))).fit(values.reshape(-1, 1))
    codes = binner.transform(values.reshape(-1, 1))[0]
    # one bin per distinct value, in order
    _, inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(codes, inverse + 1)


def test_kernel_threads_agree():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(50_000, 3))
    values[rng.random(values.shape) < 0.05] = np.nan
    cuts = [np.sort(rng.normal(size=k)) for k in (5, 1, 200)]
    offsets = np.r_[0, np.cumsum([len(c) for c in cuts])].astype(np.int64)
    outs = []
    for threads in (1, 2):
        out = np.empty((3, len(values)), dtype=np.uint8)
        map_continuous(values, np.concatenate(cuts), offsets, np.arange(3, dtype=np.int64),
                       np.arange(3, dtype=np.int64), out, threads)
        outs.append(out)
    assert np.array_equal(outs[0], outs[1])
    for j in range(3):
        assert np.array_equal(outs[0][j], naive_codes(values[:, j], cuts[j]))


def test_value_equal_to_cut_goes_to_upper_bin():
    binner = FeatureBinner().fit(np.array([[1.0], [2.0], [3.0]]))
    cuts = binner.cuts_[0]
    assert np.array_equal(cuts, [1.5, 2.5])
    assert binner.transform([[1.5], [2.5], [-9.0], [9.0]])[0].tolist() == [2, 3, 1, 3]
    assert binner.bin_labels(0) == ["missing", "< 1.5", "[1.5, 2.5)", ">= 2.5", "unseen"]


def test_weighted_quantiles_follow_the_weights():
    values = np.arange(100, dtype=float)
    weights = np.where(values < 10, 100.0, 1.0)  # 1000 of 1090 weight below 10
    cuts = weighted_quantile_cuts(values, weights, 4)
    assert np.all(cuts < 10)
    # zero weight never places a cut
    w0 = np.ones(100)
    w0[50:] = 0
    assert np.all(weighted_quantile_cuts(values, w0, 200) < 50)


def test_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(1)
    values = rng.integers(0, 1000, size=300).astype(float)
    weights = rng.integers(1, 4, size=300)
    a = FeatureBinner(max_bins=16).fit(values.reshape(-1, 1), sample_weight=weights)
    b = FeatureBinner(max_bins=16).fit(np.repeat(values, weights).reshape(-1, 1))
    assert np.array_equal(a.cuts_[0], b.cuts_[0])
    assert np.allclose(a.bin_counts_[0], b.bin_counts_[0])


def test_categories_missing_unseen_and_round_trip():
    X = pd.DataFrame({"color": pd.Series(["red", "blue", None, "red", "green"], dtype=object)})
    binner = FeatureBinner().fit(X)
    assert binner.feature_types_ == ["nominal"]
    assert binner.categories_[0] == ["blue", "green", "red"]
    assert binner.category_map_[0] == {"blue": 1, "green": 2, "red": 3}
    codes = binner.transform(pd.DataFrame({"color": ["red", "purple", None, "blue"]}))[0]
    assert codes.tolist() == [3, 4, 0, 1]  # purple is unseen -> last bin
    assert binner.n_bins_[0] == 5
    labels = binner.bin_labels("color")
    back = [labels[c] for c in binner.transform(X)[0]]
    assert back == ["red", "blue", "missing", "red", "green"]


def test_rare_categories_merged_and_recorded():
    X = pd.DataFrame({"c": ["a"] * 10 + ["b"] * 2 + ["z"] * 1 + ["d"] * 7})
    binner = FeatureBinner(min_category_count=3).fit(X)
    assert binner.merged_categories_[0] == ["b", "z"]
    assert binner.categories_[0] == ["a", "d", "other"]
    codes = binner.transform(pd.DataFrame({"c": ["b", "z", "a", "q"]}))[0]
    assert codes.tolist() == [3, 3, 1, 4]


def test_ordered_category_keeps_its_order():
    cat = pd.Categorical(["low", "high", "mid", "low"], categories=["low", "mid", "high"],
                         ordered=True)
    binner = FeatureBinner().fit(pd.DataFrame({"level": cat}))
    assert binner.feature_types_ == ["ordinal"]
    assert binner.categories_[0] == ["low", "mid", "high"]


def test_uint16_when_a_column_needs_more_than_256_bins():
    X = pd.DataFrame({"id": [f"c{i}" for i in range(400)], "x": np.arange(400.0)})
    binner = FeatureBinner(max_bins=10).fit(X)
    codes = binner.transform(X)
    assert codes.dtype == np.uint16 and codes.shape == (2, 400) and codes.flags.c_contiguous
    assert codes[1].max() <= 10


def test_numeric_strings_are_continuous_and_bool_is_continuous():
    X = pd.DataFrame({"s": ["1", "2.5", None, "10"], "b": [True, False, True, True]})
    binner = FeatureBinner().fit(X)
    assert binner.feature_types_ == ["continuous", "continuous"]
    assert binner.transform(X)[0].tolist() == [1, 2, 0, 3]


def test_format_number_is_exact_and_short():
    for x in (37.5, 0.1, 1e-7, 12345678.25, -2.0, 1 / 3):
        assert float(format_number(x)) == x
    assert format_number(41.0) == "41"


@pytest.mark.parametrize("bad", [0, 1, 70000, 2.5, True])
def test_bad_max_bins(bad):
    with pytest.raises(ValueError, match="max_bins"):
        FeatureBinner(max_bins=bad).fit([[1.0], [2.0]])


@given(arrays(np.float64, st.integers(1, 400), elements=st.integers(-30, 30).map(float) | finite),
       st.integers(2, 60))
def test_unit_weight_sort_path_matches_the_weighted_path(values, max_bins):
    # weights of 2.0 take the np.unique path; the cuts must not depend on a common scale
    unit = weighted_quantile_cuts(values, np.ones(values.size), max_bins)
    scaled = weighted_quantile_cuts(values, np.full(values.size, 2.0), max_bins)
    assert np.array_equal(unit, scaled)


def test_fit_transform_bins_once_with_the_codes_of_transform():
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b", None], 500)})
    X.loc[::9, "x"] = np.nan
    w = rng.integers(1, 3, 500).astype(float)
    binner = FeatureBinner(max_bins=20)
    codes = binner.fit_transform(X, sample_weight=w)
    assert codes.dtype == binner.bin_dtype_
    assert np.array_equal(codes, FeatureBinner(max_bins=20).fit(X, sample_weight=w).transform(X))
    assert np.array_equal(codes, binner.transform(X))


def test_large_frames_cut_columns_in_threads_with_the_same_result():
    rng = np.random.default_rng(5)
    X = np.round(rng.normal(size=(260_000, 4)), 3)  # 1.04M values: the threaded path
    X[::7, 1] = np.nan
    binner = FeatureBinner(max_bins=300).fit(X)
    for j in range(4):
        col = X[:, j][~np.isnan(X[:, j])]
        assert np.array_equal(binner.cuts_[j], weighted_quantile_cuts(col, np.ones(col.size), 300))
