"""Explanations shared by every glassbox model.

`Explanation` is one class for global and local explanations of EBMs, optimal trees and rule
lists. Estimators implement ``explain_global()`` as ``return global_explanation(self)`` and
``explain_local(X, y=None)`` as ``return local_explanation(self, X, y)``.

* GAMs (models with ``term_scores_``): shape functions copied from the fitted tables; local
  contributions are the model's own per-term scores (``eval_terms``).
* Trees and rule lists (models with ``_decision_leaves()``): leaves or rules with readable
  conditions; local contributions are exact interventional Shapley values over the original
  features against the model's ``background_`` rows.
"""
from __future__ import annotations

from sklearn.utils.validation import check_is_fitted

from ._explanation import Explanation, Rule, TermShape, TreeNode
from ._from_gam import gam_global, gam_local
from ._from_leaves import leaves_global, leaves_local
from ._leaves import DecisionLeaves
from ._shapley import leaf_shapley_values

__all__ = [
    "Explanation",
    "DecisionLeaves",
    "TermShape",
    "Rule",
    "TreeNode",
    "global_explanation",
    "local_explanation",
    "leaf_shapley_values",
]


def _family(model) -> str:
    check_is_fitted(model)
    if hasattr(model, "term_scores_"):
        return "gam"
    if hasattr(model, "_decision_leaves") and hasattr(model, "binarizer_"):
        return "leaves"
    raise TypeError(
        f"cannot explain {type(model).__name__}: expected a fitted glassbox model "
        "(a GAM with term_scores_, or a tree / rule list with _decision_leaves())."
    )


def global_explanation(model) -> Explanation:
    """Global explanation of a fitted glassbox model.

    Parameters
    ----------
    model : fitted glassbox estimator

    Returns
    -------
    Explanation
        ``scope == "global"``: terms, importances, shape functions (GAMs) or leaves / rules
        (trees, rule lists), base value and model facts.
    """
    return gam_global(model) if _family(model) == "gam" else leaves_global(model)


def local_explanation(model, X, y=None) -> Explanation:
    """Local explanation of rows ``X`` by a fitted glassbox model.

    Parameters
    ----------
    model : fitted glassbox estimator
    X : array-like of shape (n_samples, n_features)
        Rows to explain, in the form the model accepts for ``predict``.
    y : array-like of shape (n_samples,), default=None
        True targets, kept alongside the explanation.

    Returns
    -------
    Explanation
        ``scope == "local"``; ``base_values + values.sum(axis=1)`` equals
        ``decision_function(X)`` (EBM classifiers), ``predict_proba(X)`` (tree and rule-list
        classifiers) or the prediction (regressors; EBM regressors: the link-scale score).
    """
    if _family(model) == "gam":
        return gam_local(model, X, y)
    return leaves_local(model, X, y)
