"""A whole-model HTML report: one self-contained page that works offline."""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from ._bars import plot_importance, plot_local
from ._common import fmt
from ._shape import plot_shape
from ._structure import plot_rules, plot_tree

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table.facts { border-collapse: collapse; } table.facts td, table.facts th {
  border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
.figure { margin: 1em 0 2em 0; }
"""


def _metrics(model, exp, X, y) -> dict:
    from sklearn import metrics

    y = np.asarray(y)
    pred = np.asarray(model.predict(X))
    if exp.task == "classification":
        out = {"rows": len(y), "accuracy": metrics.accuracy_score(y, pred)}
        proba = np.asarray(model.predict_proba(X))
        classes = list(exp.classes)
        if set(np.unique(y)) <= set(classes):
            if len(classes) == 2 and len(np.unique(y)) == 2:
                out["roc_auc"] = metrics.roc_auc_score(y == classes[1], proba[:, 1])
            elif len(np.unique(y)) == len(classes):
                out["roc_auc_ovr"] = metrics.roc_auc_score(y, proba, multi_class="ovr", labels=classes)
            out["log_loss"] = metrics.log_loss(y, np.clip(proba, 1e-15, 1), labels=classes)
        return out
    return {"rows": len(y), "rmse": float(np.sqrt(metrics.mean_squared_error(y, pred))),
            "mae": metrics.mean_absolute_error(y, pred), "r2": metrics.r2_score(y, pred)}


def _facts_table(facts: dict) -> str:
    rows = []
    for key, value in facts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {fmt(v)}" for k, v in value.items() if not isinstance(v, (dict, list)))
        elif isinstance(value, np.ndarray):
            value = ", ".join(fmt(v) for v in value.ravel())
        else:
            value = fmt(value)
        rows.append(f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(str(value))}</td></tr>")
    return "<table class='facts'>" + "".join(rows) + "</table>"


def report(model, X=None, y=None, *, path=None, n_local: int = 3, title: str | None = None) -> str:
    """Write one self-contained HTML page describing a fitted glassbox model.

    The page holds a model summary (type, task, facts such as the objective and proven gap),
    the importance figure, every shape function (GAMs) or the tree and its leaves / the rule list,
    and, when ``X`` is given, metrics (when ``y`` is given too) and the local explanations of the
    first ``n_local`` rows. plotly.js is embedded once, so the file works offline.

    Parameters
    ----------
    model : fitted glassbox estimator
    X : array-like, default=None
        Rows for local explanations (and metrics with ``y``).
    y : array-like, default=None
        True targets of ``X``.
    path : str or Path, default=None
        Where to write the page; not written when None.
    n_local : int, default=3
        Number of rows explained locally.
    title : str, default=None
        Page title; default names the model class.

    Returns
    -------
    str
        The HTML document.
    """
    from plotly.offline import get_plotlyjs

    from ..explain import global_explanation, local_explanation

    exp = global_explanation(model)
    name = type(model).__name__
    title = title or f"glassbox report: {name}"
    sections = [f"<h1>{html.escape(title)}</h1>",
                f"<p>{html.escape(exp.model_type)} {html.escape(exp.task)} on "
                f"{len(exp.feature_names)} features; outputs are in {html.escape(exp.output)}.</p>",
                "<h2>Summary</h2>", _facts_table({"model": name, **exp.facts, "base value": exp.base_values})]
    figures = []

    def add(fig, heading=None):
        if heading:
            sections.append(f"<h3>{html.escape(heading)}</h3>")
        div_id = f"gb-fig-{len(figures)}"
        figures.append(div_id)
        sections.append("<div class='figure'>" + fig.to_html(full_html=False, include_plotlyjs=False,
                                                            div_id=div_id) + "</div>")

    sections.append("<h2>Term importance</h2>")
    add(plot_importance(exp))
    if exp.shapes is not None:
        sections.append("<h2>Shape functions</h2>")
        order = np.argsort(-exp.term_importances, kind="stable")
        for t in order:
            add(plot_shape(exp, int(t)), exp.term_names[t])
    if exp.tree is not None:
        sections.append("<h2>Tree</h2>")
        add(plot_tree(exp))
    if exp.rules is not None:
        sections.append("<h2>Rule list</h2>" if exp.model_type == "rule_list" else "<h2>Leaves</h2>")
        add(plot_rules(exp))
    if X is not None:
        if y is not None:
            sections.append("<h2>Metrics on the given data</h2>")
            sections.append(_facts_table(_metrics(model, exp, X, y)))
        n_rows = len(X)
        rows = X.iloc[:n_local] if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=object)[:n_local]
        y_rows = None if y is None else np.asarray(y)[:n_local]
        local = local_explanation(model, rows, y_rows)
        sections.append(f"<h2>Local explanations (first {min(n_local, n_rows)} rows)</h2>")
        for r in range(local.n_rows):
            add(plot_local(local, r))
    body = "\n".join(sections)
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
    if path is not None:
        Path(path).write_text(page, encoding="utf-8")
    return page
