"""Input checks shared by every glassbox estimator.

Everything that enters a model passes through here, so that every estimator
gives the same clear error for the same bad input, naming the column and the
problem. Missing values (NaN, None, pd.NA) are kept: the models give them
their own bin. Infinite values are rejected.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight

FEATURE_TYPES = ("continuous", "nominal", "ordinal")
# interpret's spellings of a continuous feature, accepted so that code written for it keeps working.
_CONTINUOUS_ALIASES = {"continuous", "quantile", "rounded_quantile", "uniform", "winsorized"}


def default_feature_names(n_features):
    """interpret's names for unnamed columns: ``feature_0000``, ``feature_0001``, ..."""
    return [f"feature_{i:04d}" for i in range(n_features)]


def _to_frame(X):
    """Return X as a DataFrame plus whether its column names came from the user."""
    if sp.issparse(X):
        raise TypeError(
            "glassbox does not accept sparse input: the models bin every column, so pass a "
            "dense array or DataFrame (X.toarray())."
        )
    if isinstance(X, pd.Series):
        raise ValueError("X is a pandas Series; pass a DataFrame or a 2-D array (X.to_frame()).")
    if isinstance(X, pd.DataFrame):
        named = all(isinstance(c, str) for c in X.columns)
        df = X.copy(deep=False)
        if not named:
            if any(isinstance(c, str) for c in X.columns):
                raise TypeError(
                    "X has column names of mixed types; use only strings as column names."
                )
            df.columns = default_feature_names(X.shape[1])
        elif len(set(df.columns)) != len(df.columns):
            dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
            raise ValueError(f"X has duplicate column names: {dup}.")
        return df, named
    if hasattr(X, "__array__") or isinstance(X, (list, tuple)):
        arr = np.asarray(X, dtype=object if _is_ragged_or_mixed(X) else None)
        if arr.ndim == 1:
            raise ValueError(
                "Expected a 2-D X (rows × features), got a 1-D array. Reshape your data with "
                "X.reshape(-1, 1) for a single feature or X.reshape(1, -1) for a single row."
            )
        if arr.ndim != 2:
            raise ValueError(f"Expected a 2-D X (rows × features), got {arr.ndim} dimensions.")
        if np.iscomplexobj(arr):
            raise ValueError("Complex data not supported: glassbox models take real numbers or "
                             "categories.")
        # No copy: a read-only view is all the models need.
        return pd.DataFrame(arr, columns=default_feature_names(arr.shape[1]), copy=False), False
    raise TypeError(
        f"X must be a pandas DataFrame, a numpy array or a list of rows, not {type(X).__name__}."
    )


def _is_ragged_or_mixed(X):
    if isinstance(X, np.ndarray):
        return False
    try:
        np.asarray(X, dtype=float)
        return False
    except (TypeError, ValueError):
        return True


def validate_X(estimator, X, *, reset):
    """Check X and return it as a DataFrame with one string name per column.

    Parameters
    ----------
    estimator : estimator instance
        With ``reset=True`` its ``n_features_in_`` and, for named input only (the
        scikit-learn convention), ``feature_names_in_`` are set; with ``reset=False``
        they are checked.
    X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
    reset : bool
        True in ``fit``, False in every other method.

    Returns
    -------
    df : DataFrame, shape (n_samples, n_features)
        Columns named by ``feature_names_in_`` or ``feature_0000``, ``feature_0001``, ...
    """
    df, named = _to_frame(X)
    n_samples, n_features = df.shape
    if n_samples == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={df.shape}) while a minimum of 1 is required: "
            "X has no rows."
        )
    if n_features == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={df.shape}) while a minimum of 1 is required: "
            "X has no columns."
        )
    _check_columns(df)
    if reset:
        estimator.n_features_in_ = n_features
        if named:
            estimator.feature_names_in_ = np.asarray(df.columns, dtype=object)
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return df
    _check_feature_names(estimator, list(df.columns) if named else None)
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and n_features != expected:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{expected} features as input."
        )
    fitted_names = getattr(estimator, "feature_names_in_", None)
    if fitted_names is not None:
        df.columns = list(fitted_names)
    return df


def _check_feature_names(estimator, names):
    """scikit-learn's feature-name rules and wording, so users meet the messages they know."""
    fitted = getattr(estimator, "feature_names_in_", None)
    cls = type(estimator).__name__
    if names is not None and fitted is None:
        warnings.warn(f"X has feature names, but {cls} was fitted without feature names")
        return
    if names is None and fitted is not None:
        warnings.warn(f"X does not have valid feature names, but {cls} was fitted with feature names")
        return
    if names is None or list(fitted) == names:
        return
    unseen = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    message = "The feature names should match those that were passed during fit.\n"
    if unseen:
        message += "Feature names unseen at fit time:\n" + _name_list(unseen)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + _name_list(missing)
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def _name_list(names, most=5):
    lines = [f"- {n}\n" for n in names[:most]]
    return "".join(lines) + ("- ...\n" if len(names) > most else "")


def _check_columns(df):
    """Reject infinities and unusable dtypes, naming the first offending column."""
    dtypes = df.dtypes.tolist()   # a list: iterating the dtypes Series is slow in pandas 3
    plain = [c for c, t in zip(df.columns, dtypes) if pd.api.types.is_float_dtype(t)]
    # integer columns cannot hold infinities: nothing to convert or check
    integers = [c for c, t in zip(df.columns, dtypes) if pd.api.types.is_integer_dtype(t)]
    if plain:
        # One vectorised pass over all plain numeric columns (a view for single-dtype frames).
        frame = df if len(plain) == df.shape[1] else df[plain]
        values = frame.to_numpy(dtype=np.float64, na_value=np.nan, copy=False)
        bad = np.isinf(values).any(axis=0)
        if bad.any():
            _check_column(df[plain[int(np.argmax(bad))]], plain[int(np.argmax(bad))])
    done = set(plain) | set(integers)
    if len(done) == df.shape[1]:
        return
    for name in df.columns:
        if name not in done:
            _check_column(df[name], name)


def _check_column(col, name):
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype):
        return
    if pd.api.types.is_complex_dtype(dtype):
        raise ValueError(f"Complex data not supported: column {name!r} has complex values.")
    if pd.api.types.is_numeric_dtype(dtype):
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isinf(values).any():
            raise ValueError(
                f"Column {name!r} contains infinite values (±inf); glassbox models missing values "
                "(NaN) but rejects infinities. Replace them, e.g. with NaN or a large finite value."
            )
        return
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        raise TypeError(
            f"Column {name!r} has dtype {dtype}; convert dates to numbers (e.g. days since an "
            "origin) or to categories before fitting."
        )
    # object / string columns: numbers and strings are fine, numbers must be finite.
    numbers_only = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(numbers_only).any():
        raise ValueError(
            f"Column {name!r} contains infinite values (±inf); replace them before fitting."
        )


def is_missing(values):
    """Boolean mask of missing entries (NaN, None, pd.NA, NaT) of a 1-D array or Series."""
    return pd.isna(pd.Series(values) if not isinstance(values, pd.Series) else values).to_numpy()


def _parses_as_numbers(col):
    values = col.dropna()
    if len(values) == 0:
        return True
    try:
        pd.to_numeric(values.astype(str) if not pd.api.types.is_numeric_dtype(values) else values,
                      errors="raise")
        return True
    except (ValueError, TypeError):
        return False


def infer_feature_types(df, feature_types=None):
    """Type each column as ``"continuous"``, ``"nominal"`` or ``"ordinal"``.

    Parameters
    ----------
    df : DataFrame
        As returned by :func:`validate_X`.
    feature_types : None, "auto", list or dict
        ``None``/``"auto"`` infers every column; a list gives one entry per column
        (``"auto"`` or ``None`` entries are inferred); a dict maps column names to types.
        interpret's ``"quantile"``, ``"uniform"`` … are read as ``"continuous"``.

    Returns
    -------
    types : list of str
    """
    names = list(df.columns)
    if feature_types is None or (isinstance(feature_types, str) and feature_types == "auto"):
        given = [None] * len(names)
    elif isinstance(feature_types, dict):
        unknown = [k for k in feature_types if k not in names]
        if unknown:
            raise ValueError(f"feature_types names unknown columns {unknown}; columns are {names}.")
        given = [feature_types.get(n) for n in names]
    elif isinstance(feature_types, (list, tuple, np.ndarray)):
        if len(feature_types) != len(names):
            raise ValueError(
                f"feature_types has {len(feature_types)} entries but X has {len(names)} columns."
            )
        given = list(feature_types)
    else:
        raise TypeError(
            "feature_types must be None, 'auto', a list with one type per column or a dict "
            f"column -> type, not {type(feature_types).__name__}."
        )
    types = []
    for name, want in zip(names, given):
        col = df[name]
        if want is None or want == "auto":
            types.append(_auto_type(col))
            continue
        if not isinstance(want, str):
            raise TypeError(f"feature_types entry for column {name!r} must be a string, got {want!r}.")
        want = "continuous" if want in _CONTINUOUS_ALIASES else want
        if want not in FEATURE_TYPES:
            raise ValueError(
                f"feature_types entry {want!r} for column {name!r} is not one of "
                f"{FEATURE_TYPES} (or 'auto')."
            )
        if want == "continuous" and not (pd.api.types.is_numeric_dtype(col.dtype)
                                         or pd.api.types.is_bool_dtype(col.dtype)
                                         or _parses_as_numbers(col)):
            raise ValueError(
                f"Column {name!r} is declared continuous but holds non-numeric values such as "
                f"{_first_non_numeric(col)!r}."
            )
        types.append(want)
    return types


def _first_non_numeric(col):
    for v in col.dropna():
        try:
            float(v)
        except (TypeError, ValueError):
            return v
    return None


def _auto_type(col):
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "ordinal" if dtype.ordered else "nominal"
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return "continuous"
    return "continuous" if _parses_as_numbers(col) else "nominal"


def continuous_values(col):
    """Float64 values of a continuous column, NaN for missing (numeric strings are parsed)."""
    if pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        out = pd.to_numeric(col.astype(object).where(~col.isna(), None), errors="raise")
    except (ValueError, TypeError):
        raise ValueError(
            f"Column {col.name!r} was continuous in fit but now holds non-numeric values such as "
            f"{_first_non_numeric(col)!r}."
        ) from None
    values = np.asarray(out, dtype=np.float64)
    if np.isinf(values).any():
        raise ValueError(f"Column {col.name!r} contains infinite values (±inf).")
    return values


def category_strings(col):
    """Object array of category labels as strings, None for missing.

    Numbers are written without a trailing ``.0`` when integral, so that the
    category 3 and the string "3" are the same category, as in interpret.
    """
    # Label each distinct value once (factorize), not each row.
    codes, uniques = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    labels = np.array([_category_label(v) for v in uniques] + [None], dtype=object)
    return labels[codes]  # code -1 (missing) picks the trailing None


def _category_label(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(f)
    return str(v)


def validate_target(y, n_samples, *, task):
    """Check the target and encode it.

    Parameters
    ----------
    y : array-like, shape (n_samples,)
    n_samples : int
        Number of rows of X.
    task : {"classification", "regression"}

    Returns
    -------
    y_out : ndarray
        Classification: int64 class indices into ``classes``; regression: float64.
    classes : ndarray or None
        Sorted class labels (classification), None for regression.
    """
    if y is None:
        raise ValueError("This estimator requires y to be passed, but the target y is None.")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"y must be 1-D; got a DataFrame with {y.shape[1]} columns.")
        y = y.iloc[:, 0]
    y_arr = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the shape "
            "of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
        )
        y_arr = y_arr.ravel()
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-D (one target per row); got shape {y_arr.shape}.")
    if len(y_arr) != n_samples:
        raise ValueError(
            f"X and y have different lengths: X has {n_samples} rows, y has {len(y_arr)}."
        )
    if n_samples < 2:
        raise ValueError(
            f"n_samples = {n_samples}: at least 2 samples are needed to fit (got 1 sample)."
        )
    if task == "classification" and y_arr.dtype.kind in "biu":
        # integer and bool labels are always "binary"/"multiclass" without missing values,
        # which is all the checks below would establish (they cost milliseconds on large y)
        classes, y_enc = _encode_integer_labels(y_arr)
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes[0]!r}); a classifier needs at least 2 classes."
            )
        return y_enc, classes
    if pd.isna(pd.Series(y_arr)).any():
        raise ValueError("y contains missing values (NaN/None); drop or impute those rows first.")
    if task == "classification":
        check_classification_targets(y_arr)
        if type_of_target(y_arr) not in ("binary", "multiclass"):
            raise ValueError(f"Unknown label type for classification: {type_of_target(y_arr)}.")
        classes, y_enc = np.unique(y_arr, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes[0]!r}); a classifier needs at least 2 classes."
            )
        return y_enc.astype(np.int64), classes
    if task == "regression":
        try:
            y_f = y_arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError("y must be numeric for regression.") from None
        if not np.isfinite(y_f).all():
            raise ValueError("y contains infinite values; regression targets must be finite.")
        return y_f, None
    raise ValueError(f"task must be 'classification' or 'regression', not {task!r}")


def _encode_integer_labels(y):
    """``np.unique(y, return_inverse=True)`` for integer or bool ``y``, by counting when the
    range of values is small (sorting is slow on large label arrays with few values)."""
    lo, hi = y.min(), y.max()
    span = int(hi) - int(lo)
    if span > 4 * len(y) + 1024:
        classes, y_enc = np.unique(y, return_inverse=True)
        return classes, y_enc.astype(np.int64)
    if y.dtype.kind == "u":          # unsigned: y - lo cannot overflow
        offset = (y - lo).astype(np.intp)
    else:                            # signed or bool: in int64, where y - lo fits
        offset = (y.astype(np.int64) - int(lo)).astype(np.intp)
    present = np.bincount(offset, minlength=span + 1) > 0
    values = np.flatnonzero(present)
    if y.dtype.kind == "u":
        classes = values.astype(y.dtype) + lo
    else:
        classes = (values + int(lo)).astype(y.dtype)
    return classes, (np.cumsum(present) - 1)[offset].astype(np.int64)


def validate_sample_weight(sample_weight, n_samples):
    """Return float64 weights (ones when None); reject negative, non-finite or all-zero weights."""
    if sample_weight is None:
        return np.ones(n_samples, dtype=np.float64)
    sw = np.asarray(sample_weight)
    if sw.ndim != 1 or sw.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match X; got {sw.shape}."
        )
    try:
        sw = sw.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError("sample_weight must be numeric.") from None
    if not np.isfinite(sw).all():
        raise ValueError("sample_weight contains NaN or infinite values; weights must be finite.")
    if (sw < 0).any():
        raise ValueError(
            f"sample_weight has negative values (e.g. at row {int(np.argmax(sw < 0))}); "
            "weights must be >= 0."
        )
    return _check_sample_weight(sw, np.empty((n_samples, 0)), dtype=np.float64,
                                ensure_non_negative=True)


class TabularInputMixin:
    """scikit-learn tags of every glassbox estimator: missing values, strings and categories in."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags
