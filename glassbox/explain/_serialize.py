"""Conversion of explanation contents to plain JSON-able Python values."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def jsonable(obj):
    """Recursively turn numpy/pandas values into lists, dicts, str, int, float and None.

    Missing or undefined numbers (NaN, None, pd.NA) become None; infinities become the strings
    ``"inf"`` / ``"-inf"`` so that ``json.dumps(..., allow_nan=False)`` accepts the result.
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            return [jsonable(v) for v in obj.tolist()]
        return jsonable(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_numpy())
    if isinstance(obj, (np.str_,)):
        return str(obj)
    return str(obj)
