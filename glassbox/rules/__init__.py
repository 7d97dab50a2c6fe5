"""Certifiably optimal rule lists (CORELS objective, binary and multiclass)."""
from ._estimator import OptimalRuleListClassifier

__all__ = ["OptimalRuleListClassifier"]
