"""Small helpers shared by the explanation builders."""
from __future__ import annotations

import numpy as np
import pandas as pd


def feature_names_of(model) -> list[str]:
    for attr in ("feature_names_in_", "feature_names_"):
        names = getattr(model, attr, None)
        if names is not None:
            return [str(n) for n in names]
    return [f"feature_{i:04d}" for i in range(int(model.n_features_in_))]


def feature_types_of(model) -> list[str]:
    for attr in ("feature_types_in_", "feature_types_"):
        types = getattr(model, attr, None)
        if types is not None:
            return [str(t) for t in types]
    binarizer = getattr(model, "binarizer_", None)
    types = getattr(binarizer, "feature_types_", None)
    if types is not None:
        return [str(t) for t in types]
    return ["unknown"] * len(feature_names_of(model))


def as_frame(X, names: list[str]) -> pd.DataFrame:
    """The explained rows as a DataFrame with the model's feature names (values untouched)."""
    if isinstance(X, pd.DataFrame):
        frame = X.copy()
        if list(map(str, frame.columns)) != names and frame.shape[1] == len(names):
            frame.columns = names
        return frame
    arr = np.asarray(X, dtype=object) if not isinstance(X, np.ndarray) else X
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2 or arr.shape[1] != len(names):
        raise ValueError(
            f"X has shape {np.shape(arr)}; the model was fitted on {len(names)} features {names}."
        )
    return pd.DataFrame(arr, columns=names)


def target_array(y, n: int):
    if y is None:
        return None
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"y has shape {arr.shape}; expected ({n},) to match the explained rows.")
    return arr
