"""`DecisionLeaves`: the common leaf form of optimal trees and rule lists.

A fitted tree or rule list describes itself as a partition of the binary feature space into
leaves, each a conjunction of literals on the binarizer's 0/1 columns with one output vector.
Exact Shapley values, the fired conditions and the global leaf table are all computed from this
one form, so the tree and the rule-list families share every line of explanation code.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class DecisionLeaves:
    """Leaves of a tree or rule list as disjoint conjunctions of binary literals.

    Parameters
    ----------
    literals : list of list of (int, bool)
        Per leaf, the conjunction that reaches it: ``(k, v)`` requires binary column ``k`` of the
        binarized input to equal ``v``. An empty list is a leaf that always fires.
    values : ndarray of shape (n_leaves, n_outputs)
        The model output at each leaf: the ``predict_proba`` row for classifiers, the
        prediction (``n_outputs == 1``) for regressors.
    support : ndarray of shape (n_leaves,)
        Fraction of the training weight that reaches each leaf.
    accuracy : ndarray of shape (n_leaves,)
        Weighted training accuracy of each leaf (classification) or NaN (regression).
    feature_index : ndarray of shape (n_binary,)
        The original feature that every binary column reads.

    Notes
    -----
    The leaves partition the input space: exactly one leaf fires for every row, and that holds
    for every combination of original feature values, not only the observed ones.
    """

    literals: list
    values: np.ndarray
    support: np.ndarray
    accuracy: np.ndarray
    feature_index: np.ndarray

    def __post_init__(self):
        self.literals = [[(int(k), bool(v)) for k, v in leaf] for leaf in self.literals]
        self.values = np.asarray(self.values, dtype=np.float64)
        if self.values.ndim == 1:
            self.values = self.values[:, None]
        self.support = np.asarray(self.support, dtype=np.float64).reshape(-1)
        self.accuracy = np.asarray(self.accuracy, dtype=np.float64).reshape(-1)
        self.feature_index = np.asarray(self.feature_index, dtype=np.intp).reshape(-1)
        n_leaves = len(self.literals)
        if self.values.shape[0] != n_leaves:
            raise ValueError(
                f"DecisionLeaves: values has {self.values.shape[0]} rows for {n_leaves} leaves."
            )
        for name in ("support", "accuracy"):
            if getattr(self, name).shape[0] != n_leaves:
                raise ValueError(
                    f"DecisionLeaves: {name} has {getattr(self, name).shape[0]} entries "
                    f"for {n_leaves} leaves."
                )
        n_binary = self.feature_index.shape[0]
        for i, leaf in enumerate(self.literals):
            for k, _ in leaf:
                if not 0 <= k < n_binary:
                    raise ValueError(
                        f"DecisionLeaves: leaf {i} tests binary column {k}, but there are "
                        f"only {n_binary} binary columns."
                    )

    @property
    def n_leaves(self) -> int:
        return len(self.literals)

    @property
    def n_outputs(self) -> int:
        return self.values.shape[1]

    def apply(self, Xb) -> np.ndarray:
        """Index of the leaf each binarized row falls in.

        Parameters
        ----------
        Xb : array-like of shape (n_samples, n_binary)
            Binarized rows (0/1).

        Returns
        -------
        ndarray of shape (n_samples,), dtype intp

        Raises
        ------
        ValueError
            If a row falls in no leaf or in more than one (the leaves do not partition).
        """
        fired = self.fired_mask(Xb)
        counts = fired.sum(axis=1)
        if np.any(counts != 1):
            bad = int(np.flatnonzero(counts != 1)[0])
            raise ValueError(
                f"DecisionLeaves do not partition the input: row {bad} falls in "
                f"{int(counts[bad])} leaves."
            )
        return np.argmax(fired, axis=1)

    def fired_mask(self, Xb) -> np.ndarray:
        """Boolean matrix (n_samples, n_leaves): which leaf's conjunction each row satisfies."""
        Xb = np.asarray(Xb)
        out = np.ones((Xb.shape[0], self.n_leaves), dtype=bool)
        for i, leaf in enumerate(self.literals):
            for k, v in leaf:
                out[:, i] &= (Xb[:, k] != 0) == v
        return out

    def predict(self, Xb) -> np.ndarray:
        """Output vector of the fired leaf for every row, shape (n_samples, n_outputs)."""
        return self.values[self.apply(Xb)]

    def leaf_features(self, i: int) -> list[int]:
        """Sorted original features that leaf ``i`` tests."""
        return sorted({int(self.feature_index[k]) for k, _ in self.literals[i]})


def literal_text(binarizer, k: int, value: bool) -> str:
    """Readable text of the literal "binary column k == value", via the binarizer's Condition."""
    cond = binarizer.conditions_[k]
    return cond.text() if value else cond.negate().text()
