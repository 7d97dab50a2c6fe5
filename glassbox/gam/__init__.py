"""Explainable Boosting Machines (cyclic boosted GAMs with pairwise interactions)."""
from ._ebm import ExplainableBoostingClassifier, ExplainableBoostingRegressor

__all__ = ["ExplainableBoostingClassifier", "ExplainableBoostingRegressor"]
