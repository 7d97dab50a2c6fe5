"""Consistency checks run on every model loaded from JSON, before it is returned."""
from . import _gam, _leaves


def check_loaded_model(model):
    """Raise ValueError when a loaded estimator's fitted state does not fit together.

    Unfitted estimators pass. The checks catch documents edited by hand or by an attacker
    (shapes, indices, links), so that a loaded model never fails later with an obscure error.
    """
    try:
        if _gam.matches(model):
            _gam.check(model)
        elif _leaves.matches(model):
            _leaves.check(model)
    except ValueError as exc:
        raise ValueError(f"glassbox JSON: inconsistent {type(model).__name__}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile document is a ValueError
        raise ValueError(
            f"glassbox JSON: inconsistent {type(model).__name__}: {type(exc).__name__}: {exc}"
        ) from None
