"""Condition: one readable, negatable test on one original feature.

A binary feature used by an optimal tree or a rule list is a Condition, so that
the model can always be written back in the user's own terms
("age <= 37.5", "workclass == Private", "income is missing").

Missing values never satisfy ``<=`` or ``==`` and always satisfy their negations
``>`` and ``!=``: a condition and its negation split every row, missing ones
included. Texts of ``>`` and ``!=`` say "or missing" when the feature had
missing values in training, so a reader is never misled.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import category_strings, continuous_values

_NEGATION = {
    "<=": ">", ">": "<=", "==": "!=", "!=": "==",
    "is missing": "is not missing", "is not missing": "is missing",
}


@dataclass(frozen=True)
class Condition:
    """A test on one original feature.

    Parameters
    ----------
    feature : str
        Original feature name.
    feature_index : int
        Original column index.
    op : {"<=", ">", "==", "!=", "is missing", "is not missing"}
    value : float, str or None
        Threshold (``<=``, ``>``) or category (``==``, ``!=``); None for the missing tests.
    missing_seen : bool
        Whether the feature had missing values in training (only changes the text).
    """

    feature: str
    feature_index: int
    op: str
    value: float | str | None = None
    missing_seen: bool = False

    def __post_init__(self):
        if self.op not in _NEGATION:
            raise ValueError(f"Unknown condition operator {self.op!r}; expected one of {list(_NEGATION)}.")

    def negate(self):
        """The condition true exactly where this one is false."""
        return Condition(self.feature, self.feature_index, _NEGATION[self.op], self.value,
                         self.missing_seen)

    def evaluate(self, column):
        """Boolean array: where the condition holds for the values of ``column``."""
        col = column if isinstance(column, pd.Series) else pd.Series(np.asarray(column, dtype=object))
        if self.op in ("is missing", "is not missing"):
            miss = pd.isna(col).to_numpy()
            return miss if self.op == "is missing" else ~miss
        if self.op in ("<=", ">"):
            values = continuous_values(col)
            below = values <= self.value  # NaN compares False
            return below if self.op == "<=" else ~below
        equal = category_strings(col) == self.value  # None (missing) compares False
        equal = np.asarray(equal, dtype=bool)
        return equal if self.op == "==" else ~equal

    def text(self, decimals=None):
        """Readable text; ``decimals`` rounds thresholds for reading only."""
        from ._binner import format_number

        if self.op in ("is missing", "is not missing"):
            return f"{self.feature} {self.op}"
        if self.op in ("<=", ">"):
            value = format_number(round(self.value, decimals) if decimals is not None else self.value)
        else:
            value = str(self.value)
        text = f"{self.feature} {self.op} {value}"
        if self.missing_seen and self.op in (">", "!="):
            text += f" or {self.feature} is missing"
        return text

    def __str__(self):
        return self.text()
