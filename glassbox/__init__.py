"""glassbox: glass-box models for tabular data.

Three model families whose whole logic can be read, plotted, audited and exported:
cyclic boosted GAMs (Explainable Boosting Machines), certifiably optimal sparse
decision trees and certifiably optimal rule lists.
"""
from ._version import __version__
from .explain import Explanation
from .gam import ExplainableBoostingClassifier, ExplainableBoostingRegressor
from .rules import OptimalRuleListClassifier
from .tree import OptimalSparseTreeClassifier, OptimalSparseTreeRegressor

__all__ = [
    "ExplainableBoostingClassifier",
    "ExplainableBoostingRegressor",
    "Explanation",
    "OptimalRuleListClassifier",
    "OptimalSparseTreeClassifier",
    "OptimalSparseTreeRegressor",
    "__version__",
]
