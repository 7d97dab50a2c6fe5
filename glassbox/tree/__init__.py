"""Certifiably optimal sparse decision trees (classification and regression)."""
from ._estimators import OptimalSparseTreeClassifier, OptimalSparseTreeRegressor

__all__ = ["OptimalSparseTreeClassifier", "OptimalSparseTreeRegressor"]
