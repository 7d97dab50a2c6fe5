"""Importance bars and local waterfalls."""
from __future__ import annotations

import numpy as np

from ._common import as_explanation, fmt, go, score_title, title_layout


def plot_importance(exp, top_k: int = 15):
    """Horizontal bars of term importance, largest on top; terms beyond ``top_k`` summed in one bar.

    Parameters
    ----------
    exp : Explanation or fitted model
        Global explanation (its ``term_importances``) or local explanation (mean absolute
        contribution over its rows, averaged over outputs).
    top_k : int, default=15
        Number of terms shown individually.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    exp = as_explanation(exp)
    if not isinstance(top_k, (int, np.integer)) or top_k < 1:
        raise ValueError(f"top_k must be a positive integer, got {top_k!r}.")
    frame = exp.importance_frame()
    names = list(frame["term"])
    imp = frame["importance"].to_numpy(dtype=float)
    if len(names) > top_k:
        rest = imp[top_k:].sum()
        names = names[:top_k] + [f"sum of {len(imp) - top_k} other terms"]
        imp = np.append(imp[:top_k], rest)
    G = go()
    fig = G.Figure(G.Bar(x=imp[::-1], y=names[::-1], orientation="h", marker_color="#1f77b4",
                         hovertext=[f"{n}: {fmt(v)}" for n, v in zip(names[::-1], imp[::-1])],
                         hoverinfo="text"))
    what = ("mean |contribution|" if exp.scope == "local" or exp.model_type != "ebm"
            else "importance (mean |score|)")
    fig.update_layout(**title_layout(f"Term importance ({exp.model_type})"),
                      xaxis_title=f"{what}, {score_title(exp)}", yaxis_title="term",
                      height=max(300, 40 + 28 * len(names)))
    return fig


def _row_label(exp, row: int, term: int) -> str:
    if exp.data is None:
        return exp.term_names[term]
    parts = []
    for j in exp.term_features[term]:
        value = exp.data.iloc[row, j]
        parts.append(f"{exp.feature_names[j]} = {fmt(value) if not _is_missing(value) else 'missing'}")
    return ", ".join(parts)


def _is_missing(value) -> bool:
    try:
        return bool(value is None or value != value)
    except (TypeError, ValueError):
        return False


def plot_local(exp, row: int = 0, *, output=None, max_terms: int = 12):
    """Waterfall of one row: from the base value, contributions largest first, to the output.

    Parameters
    ----------
    exp : Explanation
        A local explanation (``model.explain_local(X)``).
    row : int, default=0
        Position of the row in the explanation.
    output : int, default=None
        Output (class position) for multi-output explanations; default the predicted class.
    max_terms : int, default=12
        Number of terms drawn individually; the others are summed in one bar.

    Returns
    -------
    plotly.graph_objects.Figure
        For trees and rule lists, the conditions the row satisfied are shown beside the bars.
    """
    if exp.scope != "local":
        raise ValueError("plot_local needs a local explanation (model.explain_local(X)).")
    if not 0 <= row < exp.n_rows:
        raise IndexError(f"row {row} out of range for {exp.n_rows} explained rows.")
    values = exp.values[row]
    base = np.asarray(exp.base_values[row])
    if values.ndim == 2:
        if output is None:
            output = _predicted_output(exp, row)
        values, base = values[:, output], base[output]
    elif output is not None:
        raise ValueError("output= applies to multi-output explanations only.")
    order = np.argsort(-np.abs(values), kind="stable")
    order = order[values[order] != 0]  # terms that do not move this row are summarised below
    shown = order[:max_terms]
    labels = [_row_label(exp, row, t) for t in shown]
    contrib = list(values[shown])
    if len(order) > max_terms:
        labels.append(f"{len(order) - max_terms} other terms")
        contrib.append(float(values[order[max_terms:]].sum()))
    n_zero = len(values) - len(order)
    total = float(base) + float(values.sum())
    G = go()
    y = ["base value"] + labels + ["output"]
    fig = G.Figure(G.Waterfall(
        orientation="h",
        measure=["absolute"] + ["relative"] * len(contrib) + ["total"],
        y=y,
        x=[float(base)] + [float(c) for c in contrib] + [total],
        text=[fmt(float(base))] + [f"{c:+.4g}" for c in contrib] + [fmt(total)],
        textposition="outside",
        cliponaxis=False,
        connector=dict(line=dict(color="#999")),
        increasing=dict(marker=dict(color="#d62728")),
        decreasing=dict(marker=dict(color="#1f77b4")),
        totals=dict(marker=dict(color="#7f7f7f")),
    ))
    title = f"Row {row}: {score_title(exp, output)} = {fmt(total)}"
    if exp.predictions is not None:
        title += f"; predicted {fmt(exp.predictions[row])}"
    if exp.y is not None:
        title += f"; true {fmt(exp.y[row])}"
    if n_zero:
        title += f"<br><sup>{n_zero} term{'s' if n_zero > 1 else ''} with zero contribution not shown</sup>"
    fig.update_layout(**title_layout(title), xaxis_title=f"contribution to {score_title(exp, output)}",
                      yaxis_title="term (value in this row)", yaxis=dict(autorange="reversed"),
                      height=max(320, 60 + 30 * len(y)))
    if exp.fired is not None:
        kind = "firing rule" if exp.model_type == "rule_list" else "path"
        conds = exp.fired[row]
        if conds:
            text = f"<b>{kind}</b><br>" + "<br>AND ".join(conds)
        else:
            text = f"<b>{kind}</b><br>" + ("ELSE: default rule" if exp.model_type == "rule_list" else "(always)")
        fig.add_annotation(text=text, xref="paper", yref="paper", x=1.02, y=1, xanchor="left",
                           yanchor="top", showarrow=False, align="left", bordercolor="#999", borderwidth=1)
        fig.update_layout(margin=dict(r=280))
    return fig


def _predicted_output(exp, row: int) -> int:
    if exp.probabilities is not None:
        return int(np.argmax(exp.probabilities[row]))
    return int(np.argmax(exp.outputs[row]))
