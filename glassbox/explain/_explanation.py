"""`Explanation`: one object for global and local explanations of every glassbox model.

Global explanations describe the whole model: its terms with their importances, for a GAM every
shape function exactly as learned (`TermShape`), for a tree or a rule list every leaf or rule
(`Rule`), and model-level facts. Local explanations hold, for given rows, additive contributions
per term that sum with the base value to the explained output (shap's parallel-array names:
``values``, ``base_values``, ``data``).

Bin layout of a `TermShape` (documented once, used everywhere): along every axis of ``scores``
cell 0 is the missing-value bin, cells ``1 … n`` are the n value bins in order and cell
``n + 1`` is the unseen-category bin; for a continuous axis ``edges`` holds the n + 1 boundaries
of the n value bins, ``edges[0] = -inf`` and ``edges[-1] = +inf`` (value bin i is
``[edges[i-1], edges[i])``), exactly the model's cut points in between.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ._serialize import jsonable


@dataclass(frozen=True)
class TermShape:
    """One GAM term exactly as learned: a shape function (main) or a 2-D table (pair).

    Attributes
    ----------
    name : str
        Term name, e.g. ``"age"`` or ``"age & hours"``.
    features : tuple of int
        Indices of the original features the term reads.
    feature_names : tuple of str
        Their names.
    kinds : tuple of str
        Per axis ``"continuous"``, ``"nominal"`` or ``"ordinal"``.
    edges : tuple
        Per axis: for a continuous axis a float array of n + 1 bin boundaries for its n value bins
        (first ``-inf``, last ``+inf``); None for a categorical axis.
    labels : tuple of list of str
        Per axis a label for every cell: ``"missing"``, the value bins (``"< 17.5"``,
        ``"[17.5, 23)"``, ``">= 64.5"`` or the category names), ``"unseen"``.
    scores : ndarray
        The learned table, missing cell first and unseen cell last on every axis, with a trailing
        class axis for multiclass models. Identical to the model's ``term_scores_`` entry.
    lower, upper : ndarray or None
        Bag-spread band: ``scores ∓ standard_deviations_`` (one standard deviation across the
        outer bags), None when the model has no bag statistics.
    density : ndarray or None
        Training weight in every cell (``bin_weights_``), shape of ``scores`` without a class axis.
    importance : float
        The term importance (mean absolute contribution over the training data).
    display_range : tuple
        Per axis ``(low, high)`` finite limits to draw a continuous axis (training min/max when the
        model records them), None for a categorical axis.
    """

    name: str
    features: tuple
    feature_names: tuple
    kinds: tuple
    edges: tuple
    labels: tuple
    scores: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    density: np.ndarray | None
    importance: float
    display_range: tuple

    @property
    def is_pair(self) -> bool:
        return len(self.features) == 2

    def to_frame(self) -> pd.DataFrame:
        """One row per cell (main terms) or per cell pair (pairs) with score(s), band, density."""
        grids = np.meshgrid(*[np.arange(len(lab)) for lab in self.labels], indexing="ij")
        cells = [g.ravel() for g in grids]
        frame = {}
        for axis, idx in enumerate(cells):
            prefix = self.feature_names[axis] if self.is_pair else "bin"
            frame[prefix] = np.asarray(self.labels[axis], dtype=object)[idx]
            if self.edges[axis] is not None:
                edges = self.edges[axis]
                n_value = len(edges) - 1
                left = np.full(idx.shape, np.nan)
                right = np.full(idx.shape, np.nan)
                in_value = (idx >= 1) & (idx <= n_value)
                left[in_value] = edges[idx[in_value] - 1]
                right[in_value] = edges[idx[in_value]]
                frame[f"{prefix}_left"] = left
                frame[f"{prefix}_right"] = right
        n_cells = cells[0].shape[0]
        multi = self.scores.ndim > len(self.features)
        if multi:
            flat = self.scores.reshape(n_cells, -1)
            for k in range(flat.shape[1]):
                frame[f"score[{k}]"] = flat[:, k]
        else:
            frame["score"] = self.scores.ravel()
            if self.lower is not None:
                frame["lower"] = self.lower.ravel()
                frame["upper"] = self.upper.ravel()
        if self.density is not None:
            frame["density"] = self.density.ravel()
        return pd.DataFrame(frame)

    def to_dict(self) -> dict:
        return jsonable(
            {
                "name": self.name,
                "features": list(self.features),
                "feature_names": list(self.feature_names),
                "kinds": list(self.kinds),
                "edges": [None if e is None else e for e in self.edges],
                "labels": [list(lab) for lab in self.labels],
                "scores": self.scores,
                "lower": self.lower,
                "upper": self.upper,
                "density": self.density,
                "importance": self.importance,
                "display_range": list(self.display_range),
            }
        )


@dataclass(frozen=True)
class Rule:
    """One leaf of a tree or one rule of a rule list.

    Attributes
    ----------
    conditions : tuple of str
        The readable conjunction ("age <= 37.5", "workclass == Private"); empty for a rule that
        always fires (the root of a stump-free tree, or the default rule of a rule list).
    prediction : object
        Predicted class label (classifiers) or value (regressors).
    value : ndarray of shape (n_outputs,)
        Class probabilities (classifiers) or the predicted value (regressors).
    support : float
        Fraction of the training weight the leaf or rule captures.
    accuracy : float
        Weighted training accuracy on the captured rows (NaN for regression).
    is_default : bool
        True for the final "else" rule of a rule list.
    literals : tuple of (int, bool)
        The same conjunction on the binarizer's 0/1 columns.
    """

    conditions: tuple
    prediction: object
    value: np.ndarray
    support: float
    accuracy: float
    is_default: bool = False
    literals: tuple = ()

    def text(self) -> str:
        body = " AND ".join(self.conditions) if self.conditions else "TRUE"
        return f"ELSE -> {self.prediction}" if self.is_default else f"IF {body} THEN {self.prediction}"

    def to_dict(self) -> dict:
        return jsonable(
            {
                "conditions": list(self.conditions),
                "prediction": self.prediction,
                "value": self.value,
                "support": self.support,
                "accuracy": self.accuracy,
                "is_default": self.is_default,
            }
        )


@dataclass(frozen=True)
class TreeNode:
    """One node of a tree, for drawing: the split (internal nodes) or the leaf, with its support.

    ``condition`` is the readable test sending rows to ``left`` (test true) and ``right`` (false);
    None for a leaf, whose ``leaf`` is the index into ``Explanation.rules``.
    """

    condition: str | None
    left: int
    right: int
    support: float
    value: np.ndarray
    prediction: object
    depth: int
    leaf: int = -1


_LOCAL_ROW_FIELDS = ("values", "base_values", "data", "predictions", "probabilities", "y", "fired",
                     "fired_rule")


@dataclass(eq=False)
class Explanation:
    """Global or local explanation of a glassbox model (one class for every family and scope).

    Obtain it from ``model.explain_global()`` or ``model.explain_local(X, y=None)``.

    Attributes
    ----------
    scope : {"global", "local"}
    model_type : {"ebm", "tree", "rule_list"}
    task : {"classification", "regression"}
    output : str
        What ``base_values + values.sum(axis=1)`` equals (local) or what scores are in (global):
        ``"log_odds"`` (EBM classifiers: ``decision_function``), ``"score"`` (EBM regressors: the
        link-scale score; ``predict`` for the identity link), ``"probability"`` (tree and rule-list
        classifiers: ``predict_proba``) or ``"prediction"`` (tree regressors: ``predict``).
    feature_names, feature_types : list of str
        The model's original features.
    term_names : list of str
        One name per term (GAM: mains and pairs; tree and rule list: the original features, whose
        Shapley values are the contributions).
    term_features : list of tuple of int
        The original features each term reads.
    classes : ndarray or None
        Class labels of a classifier.
    output_names : list of str or None
        Names of the trailing output axis of ``values`` (the classes) when it exists.
    base_values : float or ndarray
        Global: the intercept (GAM) or the mean output over the background (leaf models), a scalar
        or one value per output. Local: the same per row, shape (n_rows,) or (n_rows, n_outputs).
    term_importances : ndarray of shape (n_terms,)
        Global importance of every term (GAM: ``term_importances()``; leaf models: mean absolute
        Shapley value over the background, averaged over outputs).
    shapes : tuple of TermShape or None
        GAM shape functions, one per term (global scope).
    rules : tuple of Rule or None
        Tree leaves or the ordered rules (default last) of a rule list (global scope).
    tree : tuple of TreeNode or None
        The tree's nodes, root first (trees only, global scope).
    facts : dict
        Model-level facts: objective, lower bound, optimality gap, link, training summary, …
    values : ndarray or None
        Local: contributions, (n_rows, n_terms) or (n_rows, n_terms, n_outputs).
    data : pandas.DataFrame or None
        Local: the explained rows' original feature values (columns ``feature_names``).
    predictions, probabilities, y : ndarray or None
        Local: ``predict``, ``predict_proba`` (classifiers) and the true targets when given.
    fired : list of tuple of str or None
        Local, leaf models: the conditions that decided each row: the path to its leaf (trees) or
        the firing rule (rule lists; empty for the default rule).
    fired_rule : ndarray of int or None
        Local, leaf models: for each row, the position in the global ``rules`` of its leaf (trees)
        or of its firing rule (rule lists).
    """

    scope: str
    model_type: str
    task: str
    output: str
    feature_names: list
    feature_types: list
    term_names: list
    term_features: list
    classes: np.ndarray | None = None
    output_names: list | None = None
    base_values: object = 0.0
    term_importances: np.ndarray | None = None
    shapes: tuple | None = None
    rules: tuple | None = None
    tree: tuple | None = None
    facts: dict = field(default_factory=dict)
    values: np.ndarray | None = None
    data: pd.DataFrame | None = None
    predictions: np.ndarray | None = None
    probabilities: np.ndarray | None = None
    y: np.ndarray | None = None
    fired: list | None = None
    fired_rule: np.ndarray | None = None

    # ------------------------------------------------------------------ basic protocol
    @property
    def n_terms(self) -> int:
        return len(self.term_names)

    @property
    def n_rows(self) -> int:
        return 0 if self.values is None else self.values.shape[0]

    @property
    def outputs(self) -> np.ndarray | None:
        """Local: ``base_values + values.sum(axis=1)``, the explained output of every row."""
        if self.values is None:
            return None
        return self.base_values + self.values.sum(axis=1)

    def __len__(self) -> int:
        return self.n_rows if self.scope == "local" else self.n_terms

    def __repr__(self) -> str:
        what = f"{self.n_rows} rows x {self.n_terms} terms" if self.scope == "local" else f"{self.n_terms} terms"
        extra = ""
        if self.output_names is not None and self.scope == "local":
            extra = f" x {len(self.output_names)} outputs"
        parts = [f"Explanation({self.scope}, {self.model_type} {self.task}, {what}{extra}, output={self.output!r}"]
        if self.rules is not None:
            parts.append(f", {len(self.rules)} {'rules' if self.model_type == 'rule_list' else 'leaves'}")
        return "".join(parts) + ")"

    # ------------------------------------------------------------------ indexing
    def _term_positions(self, key) -> np.ndarray:
        positions = np.arange(self.n_terms)
        if isinstance(key, str):
            return np.array([self._term_position(key)])
        if isinstance(key, (int, np.integer)):
            return positions[[int(key)]]
        if isinstance(key, slice):
            return positions[key]
        key = list(key) if not isinstance(key, np.ndarray) else key
        if len(key) and all(isinstance(k, str) for k in key):
            return np.array([self._term_position(k) for k in key], dtype=np.intp)
        arr = np.asarray(key)
        if arr.dtype == bool:
            if arr.shape != (self.n_terms,):
                raise IndexError(f"boolean term mask has length {arr.shape[0]}, expected {self.n_terms}.")
            return positions[arr]
        return positions[arr.astype(np.intp)]

    def _term_position(self, name: str) -> int:
        try:
            return self.term_names.index(name)
        except ValueError:
            raise KeyError(f"no term named {name!r}; terms are {self.term_names}") from None

    def _row_positions(self, key) -> np.ndarray:
        rows = np.arange(self.n_rows)
        if isinstance(key, (int, np.integer)):
            return rows[[int(key)]]
        if isinstance(key, slice):
            return rows[key]
        arr = np.asarray(key)
        if arr.dtype == bool:
            if arr.shape != (self.n_rows,):
                raise IndexError(f"boolean row mask has length {arr.shape[0]}, expected {self.n_rows}.")
            return rows[arr]
        return rows[arr.astype(np.intp)]

    def __getitem__(self, key) -> "Explanation":
        """Select terms (by name, position, slice or mask) and, for local explanations, rows.

        Global explanations: the key selects terms. Local explanations: a string or list of
        strings selects terms, any other key selects rows (``exp[:5]``), and a tuple
        ``exp[rows, terms]`` selects both. The result is a new `Explanation`.
        """
        if self.scope == "local":
            if isinstance(key, tuple):
                if len(key) != 2:
                    raise IndexError("index a local Explanation as exp[rows] or exp[rows, terms].")
                return self._select_rows(key[0])._select_terms(key[1])
            if isinstance(key, str) or (
                isinstance(key, (list, tuple)) and len(key) and all(isinstance(k, str) for k in key)
            ):
                return self._select_terms(key)
            return self._select_rows(key)
        if isinstance(key, tuple):
            raise IndexError("a global Explanation is indexed by terms only.")
        return self._select_terms(key)

    def _select_terms(self, key) -> "Explanation":
        pos = self._term_positions(key)
        changes = {
            "term_names": [self.term_names[i] for i in pos],
            "term_features": [self.term_features[i] for i in pos],
        }
        if self.term_importances is not None:
            changes["term_importances"] = self.term_importances[pos]
        if self.shapes is not None:
            changes["shapes"] = tuple(self.shapes[i] for i in pos)
        if self.values is not None:
            changes["values"] = self.values[:, pos]
        return replace(self, **changes)

    def _select_rows(self, key) -> "Explanation":
        rows = self._row_positions(key)
        changes = {}
        for name in _LOCAL_ROW_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if name == "data":
                changes[name] = value.iloc[rows]
            elif name == "fired":
                changes[name] = [value[i] for i in rows]
            else:
                changes[name] = np.asarray(value)[rows]
        return replace(self, **changes)

    def shape(self, term) -> TermShape:
        """The `TermShape` of one GAM term, by name or position (global GAM explanations)."""
        if self.shapes is None:
            raise ValueError(f"a {self.scope} {self.model_type} explanation has no shape functions.")
        pos = self._term_position(term) if isinstance(term, str) else int(term)
        return self.shapes[pos]

    # ------------------------------------------------------------------ conversions
    def importance_frame(self) -> pd.DataFrame:
        """Terms with their importance, most important first."""
        imp = self.term_importances
        if imp is None and self.values is not None:
            imp = _mean_abs(self.values)
        frame = pd.DataFrame({"term": self.term_names, "importance": imp})
        return frame.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """A tidy table of the explanation.

        Local: one row per explained row and one column per term (multi-output: one column per
        ``term[output]``), plus ``base_value`` and ``output`` columns. Global GAM: every cell of
        every shape function (see `TermShape.to_frame`) with a ``term`` column. Global tree or
        rule list: one row per leaf or rule. Otherwise: the term importances.
        """
        if self.scope == "local":
            return self._local_frame()
        if self.shapes is not None and self.shapes:
            parts = [s.to_frame().assign(term=s.name) for s in self.shapes if not s.is_pair]
            parts += [_pair_long(s) for s in self.shapes if s.is_pair]
            frame = pd.concat(parts, ignore_index=True)
            return frame[["term"] + [c for c in frame.columns if c != "term"]]
        if self.rules is not None:
            rows = []
            for i, r in enumerate(self.rules):
                row = {
                    "rule": i,
                    "conditions": " AND ".join(r.conditions) if r.conditions else "TRUE",
                    "prediction": r.prediction,
                    "support": r.support,
                    "accuracy": r.accuracy,
                    "is_default": r.is_default,
                }
                for k, name in enumerate(self.output_names or ["value"]):
                    row[f"value[{name}]" if self.output_names else "value"] = r.value[k]
                rows.append(row)
            return pd.DataFrame(rows)
        return self.importance_frame()

    def _local_frame(self) -> pd.DataFrame:
        values = self.values
        if values.ndim == 2:
            frame = pd.DataFrame(values, columns=self.term_names)
            frame["base_value"] = self.base_values
            frame["output"] = self.outputs
        else:
            cols = {}
            for k, out in enumerate(self.output_names):
                for t, name in enumerate(self.term_names):
                    cols[f"{name}[{out}]"] = values[:, t, k]
                cols[f"base_value[{out}]"] = self.base_values[:, k]
                cols[f"output[{out}]"] = self.outputs[:, k]
            frame = pd.DataFrame(cols)
        if self.data is not None:
            frame.index = self.data.index
        return frame

    def to_dict(self) -> dict:
        """A JSON-able dict (lists, dicts, strings, numbers, None) holding everything."""
        out = {
            "scope": self.scope,
            "model_type": self.model_type,
            "task": self.task,
            "output": self.output,
            "feature_names": list(self.feature_names),
            "feature_types": list(self.feature_types),
            "term_names": list(self.term_names),
            "term_features": [list(f) for f in self.term_features],
            "classes": None if self.classes is None else list(self.classes),
            "output_names": self.output_names,
            "base_values": self.base_values,
            "term_importances": self.term_importances,
            "facts": self.facts,
        }
        if self.shapes is not None:
            out["shapes"] = [s.to_dict() for s in self.shapes]
        if self.rules is not None:
            out["rules"] = [r.to_dict() for r in self.rules]
        if self.scope == "local":
            out["values"] = self.values
            out["data"] = None if self.data is None else self.data.astype(object).to_numpy().tolist()
            out["predictions"] = self.predictions
            out["probabilities"] = self.probabilities
            out["y"] = self.y
            out["fired"] = None if self.fired is None else [list(f) for f in self.fired]
            out["fired_rule"] = self.fired_rule
        return jsonable(out)

    # ------------------------------------------------------------------ display
    def plot(self, kind: str | None = None, **kwargs):
        """Draw the explanation with `glassbox.plot`; returns a plotly Figure.

        ``kind``: ``"importance"``, ``"shape"`` (one GAM term: ``term=``, default the first),
        ``"local"`` (one row: ``row=``, default 0), ``"rules"``, ``"tree"``, or a GAM term name
        (``exp.plot("age")`` draws that shape function). Default: ``"local"`` for local
        explanations, ``"shape"`` for a global explanation of a single GAM term, else
        ``"importance"``. Other keyword arguments go to the plotting function.
        """
        from .. import plot as gplot

        if kind is None:
            if self.scope == "local":
                kind = "local"
            elif self.shapes is not None and len(self.shapes) == 1:
                kind = "shape"
            else:
                kind = "importance"
        if kind == "importance":
            return gplot.plot_importance(self, **kwargs)
        if kind == "shape":
            return gplot.plot_shape(self, kwargs.pop("term", 0), **kwargs)
        if self.shapes is not None and kind in self.term_names:
            return gplot.plot_shape(self, kind, **kwargs)
        if kind == "local":
            return gplot.plot_local(self, kwargs.pop("row", 0), **kwargs)
        if kind == "rules":
            return gplot.plot_rules(self, **kwargs)
        if kind == "tree":
            return gplot.plot_tree(self, **kwargs)
        raise ValueError(
            f"unknown plot kind {kind!r}; use importance, shape, local, rules, tree"
            + (" or a term name" if self.shapes is not None else "") + "."
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        head = f"<p><b>{esc(repr(self))}</b></p>"
        facts = "".join(
            f"<tr><th style='text-align:left'>{esc(str(k))}</th><td>{esc(_short(v))}</td></tr>"
            for k, v in self.facts.items()
            if not isinstance(v, dict)
        )
        body = ""
        if self.scope == "local":
            body = self.to_frame().head(10).to_html(float_format=lambda x: f"{x:.4g}")
        elif self.rules is not None:
            body = "<ol>" + "".join(f"<li>{esc(r.text())}</li>" for r in self.rules[:30]) + "</ol>"
        if self.term_importances is not None:
            body += self.importance_frame().head(15).to_html(float_format=lambda x: f"{x:.4g}")
        return f"<div class='glassbox-explanation'>{head}<table>{facts}</table>{body}</div>"


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value)
    return text if len(text) < 80 else text[:77] + "..."


def _mean_abs(values: np.ndarray) -> np.ndarray:
    mean = np.abs(values).mean(axis=0)
    return mean.mean(axis=-1) if mean.ndim == 2 else mean


def _pair_long(shape: TermShape) -> pd.DataFrame:
    frame = shape.to_frame()
    a, b = shape.feature_names
    frame = frame.rename(columns={a: "bin", f"{a}_left": "bin_left", f"{a}_right": "bin_right",
                                  b: "bin2", f"{b}_left": "bin2_left", f"{b}_right": "bin2_right"})
    return frame.assign(term=shape.name)
