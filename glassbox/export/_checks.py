"""Consistency checks run on every model loaded from JSON, before it is returned."""
from . import _gam, _leaves


def check_loaded_model(model):
    """Raise ValueError when a loaded estimator's fitted state does not fit together.

    Unfitted estimators pass. The checks catch documents edited by hand or by an attacker
    (shapes, indices, links) and documents whose state this version of glassbox no longer
    understands (one all-missing row must predict), so that a loaded model does not fail later
    with an obscure error.
    """
    fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(model))
    if not fitted or not callable(getattr(model, "predict", None)):
        return  # an unfitted estimator, or a preprocessing object
    try:
        if _gam.matches(model):
            _gam.check(model)
        elif _leaves.matches(model):
            _leaves.check(model)
        _smoke_predict(model)
    except ValueError as exc:
        raise ValueError(f"glassbox JSON: inconsistent {type(model).__name__}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile document is a ValueError
        raise ValueError(
            f"glassbox JSON: inconsistent {type(model).__name__}: {type(exc).__name__}: {exc}"
        ) from None


def _smoke_predict(model):
    """Predict one all-missing row: catches state a newer glassbox no longer understands."""
    import numpy as np
    import pandas as pd

    n = int(model.n_features_in_)
    names = getattr(model, "feature_names_in_", None)
    import warnings

    row = pd.DataFrame([[np.nan] * n], columns=list(names)) if names is not None else np.full((1, n), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = model.predict_proba(row) if hasattr(model, "predict_proba") else model.predict(row)
    if not np.all(np.isfinite(np.asarray(out, dtype=np.float64))):
        raise ValueError("the loaded model predicts non-finite values")
