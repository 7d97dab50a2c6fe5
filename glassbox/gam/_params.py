"""Parameter checks and parsing for the EBM estimators (objectives, interactions, exclude, constraints).

Every check names the parameter and the problem, so a bad setting fails before any work starts.
"""
from __future__ import annotations

import math
import numbers
import re

import numpy as np

# objective name -> (core objective, link)
_REGRESSION_OBJECTIVES = {
    "rmse": ("rmse", "identity"),
    "poisson_deviance": ("poisson_deviance", "log"),
    "tweedie_deviance": ("tweedie_deviance", "log"),
    "gamma_deviance": ("gamma_deviance", "log"),
    "quantile": ("quantile", "identity"),
}


def parse_objective(objective, *, classification, n_classes=2):
    """Return ``(core_name, parameter, link)`` for an interpret-style objective string.

    ``"tweedie_deviance:variance_power=1.5"`` and ``"quantile:alpha=0.9"`` carry one parameter.
    """
    if not isinstance(objective, str):
        raise TypeError(f"objective must be a string, got {type(objective).__name__}.")
    name, _, rest = objective.strip().partition(":")
    name = name.strip().lower()
    params = {}
    if rest:
        for part in rest.split(","):
            key, eq, value = part.partition("=")
            if not eq:
                raise ValueError(f"objective {objective!r}: expected 'name:key=value', got {part!r}.")
            try:
                params[key.strip()] = float(value)
            except ValueError:
                raise ValueError(f"objective {objective!r}: {key.strip()} must be a number.") from None
    if classification:
        if name not in ("log_loss",):
            raise ValueError(
                f"objective {objective!r} is not a classification objective; use 'log_loss'."
            )
        if params:
            raise ValueError(f"objective 'log_loss' takes no parameters, got {objective!r}.")
        return ("log_loss" if n_classes <= 2 else "multiclass"), 0.0, ("logit" if n_classes <= 2 else "mlogit")
    if name not in _REGRESSION_OBJECTIVES:
        if name == "log_loss":
            raise ValueError("objective 'log_loss' needs ExplainableBoostingClassifier.")
        raise ValueError(
            f"Unrecognized objective {objective!r}; expected one of 'rmse', 'poisson_deviance', "
            "'tweedie_deviance:variance_power=p', 'gamma_deviance', 'quantile:alpha=a'."
        )
    core, link = _REGRESSION_OBJECTIVES[name]
    param = 0.0
    if core == "tweedie_deviance":
        p = params.pop("variance_power", 1.5)
        if not 1.0 < p < 2.0:
            raise ValueError(
                f"objective {objective!r}: variance_power must be in (1, 2) (use poisson_deviance "
                "for 1 and gamma_deviance for 2)."
            )
        param = p
    elif core == "quantile":
        a = params.pop("alpha", 0.5)
        if not 0.0 < a < 1.0:
            raise ValueError(f"objective {objective!r}: alpha must be in (0, 1).")
        param = a
    if params:
        raise ValueError(f"objective {objective!r}: unknown parameter(s) {sorted(params)}.")
    return core, param, link


def check_target_for_objective(y, core):
    """Deviance objectives need non-negative (Poisson, Tweedie) or positive (gamma) targets."""
    if core in ("poisson_deviance", "tweedie_deviance") and np.any(y < 0):
        raise ValueError(f"objective {core!r} needs a non-negative target y; y has negative values.")
    if core == "gamma_deviance" and np.any(y <= 0):
        raise ValueError("objective 'gamma_deviance' needs a positive target y; y has values <= 0.")
    if core in ("poisson_deviance", "tweedie_deviance") and not np.any(y > 0):
        raise ValueError(f"objective {core!r} needs at least one positive target value.")


def _check_number(est, name, low=None, high=None, *, integer=False, low_open=False, allow_none=False):
    value = getattr(est, name)
    if value is None and allow_none:
        return None
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {what}, got {value!r}.")
    if isinstance(value, numbers.Real) and math.isnan(value):
        raise ValueError(f"{name} must not be NaN.")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}.")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}.")
    return value


def check_params(est):
    """Validate the numeric constructor parameters shared by both estimators."""
    _check_number(est, "max_bins", 3, 65535, integer=True)
    _check_number(est, "max_interaction_bins", 3, 65535, integer=True)
    _check_number(est, "outer_bags", 1, integer=True)
    _check_number(est, "inner_bags", 0, 1000, integer=True)
    _check_number(est, "learning_rate", 0, low_open=True)
    _check_number(est, "greedy_ratio", 0)
    _check_number(est, "smoothing_rounds", 0, integer=True)
    _check_number(est, "interaction_smoothing_rounds", 0, integer=True)
    _check_number(est, "max_rounds", 1, integer=True)
    _check_number(est, "early_stopping_rounds", 0, integer=True)
    _check_number(est, "early_stopping_tolerance")
    _check_number(est, "min_samples_leaf", 1, integer=True)
    _check_number(est, "min_hessian", 0)
    _check_number(est, "reg_alpha", 0)
    _check_number(est, "reg_lambda", 0)
    _check_number(est, "max_delta_step", 0)
    _check_number(est, "max_leaves", 1, 64, integer=True)
    _check_number(est, "gain_scale", 0, low_open=True)
    _check_number(est, "min_cat_samples", 0, integer=True)
    _check_number(est, "cat_smooth", 0)
    cp = est.cyclic_progress
    if isinstance(cp, bool):
        cp = 1.0 if cp else 0.0
    elif not isinstance(cp, numbers.Real) or math.isnan(cp) or not 0.0 <= cp <= 1.0:
        raise ValueError(f"cyclic_progress must be a bool or a number in [0, 1], got {est.cyclic_progress!r}.")
    vs = est.validation_size
    if isinstance(vs, bool) or not isinstance(vs, numbers.Real) or math.isnan(vs) or vs < 0:
        raise ValueError(f"validation_size must be a non-negative fraction or count, got {vs!r}.")
    if isinstance(vs, numbers.Real) and not isinstance(vs, numbers.Integral) and vs >= 1.0:
        raise ValueError(f"validation_size as a fraction must be < 1, got {vs!r}.")
    if est.n_jobs is not None and (isinstance(est.n_jobs, bool) or not isinstance(est.n_jobs, numbers.Integral)
                                   or est.n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero integer or None, got {est.n_jobs!r}.")
    if est.random_state is not None and not isinstance(est.random_state, (numbers.Integral, np.random.RandomState,
                                                                          np.random.Generator)):
        raise TypeError(f"random_state must be None or an integer, got {est.random_state!r}.")
    return float(cp)


def feature_index(feature, names, what):
    """Resolve a feature given by name or (possibly negative) index."""
    n = len(names)
    if isinstance(feature, (str, np.str_)):
        if feature not in names:
            raise ValueError(f"{what}: feature {feature!r} is not one of the features of X.")
        return names.index(feature)
    if isinstance(feature, numbers.Real) and not isinstance(feature, bool):
        if float(feature) != int(feature):
            raise ValueError(f"{what}: feature index {feature!r} is not an integer.")
        i = int(feature)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise ValueError(f"{what}: feature index {feature!r} is out of range for {n} features.")
        return i
    raise TypeError(f"{what}: features are given by name or index, got {feature!r}.")


def parse_exclude(exclude, names):
    """Return (exclude_mains, set of excluded sorted term tuples)."""
    if exclude is None:
        return False, set()
    if isinstance(exclude, str):
        if exclude == "mains":
            return True, set()
        exclude = [exclude]
    excluded = set()
    mains = False
    for item in exclude:
        if isinstance(item, str) and item == "mains" and "mains" not in names:
            mains = True
            continue
        if isinstance(item, (list, tuple)):
            term = tuple(sorted(feature_index(f, names, "exclude") for f in item))
        else:
            term = (feature_index(item, names, "exclude"),)
        excluded.add(term)
    return mains, excluded


_NX = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*x\s*$", re.IGNORECASE)


def parse_interactions(interactions, names):
    """Return ``("count", k)`` or ``("list", [pairs])`` from interpret's ``interactions``."""
    n = len(names)
    if interactions is None:
        return "count", 0
    if isinstance(interactions, str):
        m = _NX.match(interactions)
        if not m:
            raise ValueError(f"interactions string must look like '3x', got {interactions!r}.")
        return "count", int(float(m.group(1)) * n)
    if isinstance(interactions, bool):
        raise TypeError("interactions must be a count, a fraction, an 'Nx' string or a list of pairs.")
    if isinstance(interactions, numbers.Integral):
        if interactions < 0:
            raise ValueError(f"interactions must be >= 0, got {interactions}.")
        return "count", int(interactions)
    if isinstance(interactions, numbers.Real):
        if not 0 <= interactions < 1:
            raise ValueError(
                f"interactions as a float is a fraction of the number of features in [0, 1), got {interactions}."
            )
        return "count", int(interactions * n)
    pairs = []
    seen = set()
    for term in interactions:
        if not isinstance(term, (list, tuple)):
            raise TypeError(f"interactions list entries must be pairs of features, got {term!r}.")
        idx = tuple(feature_index(f, names, "interactions") for f in term)
        if len(idx) != 2:
            raise ValueError(
                f"interactions: only pairs are supported (got a term of {len(idx)} features: {term!r})."
            )
        if idx[0] == idx[1]:
            raise ValueError(f"interactions: a pair needs two different features, got {term!r}.")
        key = tuple(sorted(idx))
        if key not in seen:
            seen.add(key)
            pairs.append(key)
    return "list", pairs


def parse_monotone(constraints, names, types):
    """Per-feature -1/0/+1 array; constraints on nominal features are rejected."""
    n = len(names)
    out = np.zeros(n, dtype=np.int8)
    if constraints is None:
        return out
    if isinstance(constraints, dict):
        items = [(feature_index(k, names, "monotone_constraints"), v) for k, v in constraints.items()]
    else:
        constraints = list(constraints)
        if len(constraints) != n:
            raise ValueError(
                f"monotone_constraints has {len(constraints)} entries but X has {n} features."
            )
        items = list(enumerate(constraints))
    for j, v in items:
        if v not in (-1, 0, 1) or isinstance(v, bool):
            raise ValueError(f"monotone_constraints[{names[j]!r}] must be -1, 0 or 1, got {v!r}.")
        if v != 0 and types[j] == "nominal":
            raise ValueError(
                f"monotone_constraints: feature {names[j]!r} is nominal (unordered); constrain only "
                "continuous or ordinal features."
            )
        out[j] = v
    return out
