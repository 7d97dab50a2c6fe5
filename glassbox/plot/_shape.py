"""Shape functions of GAM terms: step functions, bars and heat maps, drawn exactly as learned."""
from __future__ import annotations

import numpy as np

from ._common import PALETTE, as_global, fmt, go, make_subplots, score_title, title_layout


def plot_shape(exp, term=0, *, output=None):
    """Draw one GAM term exactly as learned.

    Continuous main terms: a step function on the real axis (one step per value bin, breaking at
    the model's cut points) with the bag-spread band, the training density beneath on a second
    axis, and the missing-value bin drawn apart on the right. Nominal/ordinal main terms: one bar
    per category, including the missing and unseen bins. Pairs: a heat map whose continuous axes
    use the real cut points as cell boundaries.

    Parameters
    ----------
    exp : Explanation or fitted GAM
        A global explanation (``model.explain_global()``) or the model itself.
    term : str or int, default=0
        Term name or position.
    output : int, default=None
        For multiclass models, draw only this class (position in ``classes``); default all.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    exp = as_global(exp)
    shape = exp.shape(term)
    scores = shape.scores
    multi = scores.ndim > len(shape.features)
    outputs = list(range(scores.shape[-1])) if multi else [None]
    if output is not None:
        if not multi:
            raise ValueError("output= selects a class of a multiclass model; this model has one output.")
        outputs = [int(output)]
    if shape.is_pair:
        return _pair(exp, shape, outputs)
    if shape.kinds[0] == "continuous":
        return _continuous(exp, shape, outputs)
    return _categorical(exp, shape, outputs)


def _cell(arr, idx, k):
    if arr is None:
        return None
    sub = arr[idx]
    return sub if k is None else sub[..., k]


def _continuous(exp, shape, outputs):
    edges = shape.edges[0]
    n = len(edges) - 1
    lo, hi = shape.display_range[0]
    x = np.concatenate([[lo], edges[1:-1], [hi]])
    values = slice(1, n + 1)
    fig = make_subplots(rows=2, cols=2, shared_xaxes="columns", shared_yaxes="rows",
                        row_heights=[0.75, 0.25], column_widths=[0.88, 0.12],
                        horizontal_spacing=0.03, vertical_spacing=0.05)
    G = go()
    labels = shape.labels[0]
    for k in outputs:
        color = PALETTE[(k or 0) % len(PALETTE)]
        name = "score" if k is None else f"class {exp.output_names[k]}"
        y = _cell(shape.scores, values, k)
        hover = [f"{shape.name} in {labels[i + 1]}<br>score {fmt(s)}" for i, s in enumerate(y)]
        if shape.lower is not None:
            up, low = _cell(shape.upper, values, k), _cell(shape.lower, values, k)
            fig.add_trace(G.Scatter(x=x, y=np.append(up, up[-1]), mode="lines", line_shape="hv",
                                    line=dict(width=0), showlegend=False, hoverinfo="skip",
                                    name=f"{name} upper"), row=1, col=1)
            fig.add_trace(G.Scatter(x=x, y=np.append(low, low[-1]), mode="lines", line_shape="hv",
                                    line=dict(width=0), fill="tonexty", fillcolor=_alpha(color),
                                    name="bag spread (±1 sd)", showlegend=k in (None, outputs[0]),
                                    hoverinfo="skip"), row=1, col=1)
        fig.add_trace(G.Scatter(x=x, y=np.append(y, y[-1]), mode="lines", line_shape="hv",
                                line=dict(color=color, width=2), name=name,
                                text=hover + [hover[-1]], hoverinfo="text"), row=1, col=1)
        miss = float(_cell(shape.scores, 0, k))
        err = None
        if shape.lower is not None:
            err = dict(type="data", array=[float(_cell(shape.upper, 0, k)) - miss],
                       arrayminus=[miss - float(_cell(shape.lower, 0, k))])
        fig.add_trace(G.Scatter(x=["missing"], y=[miss], mode="markers", error_y=err,
                                marker=dict(color=color, size=10, symbol="diamond"),
                                name=f"missing ({name})", showlegend=False,
                                hovertext=[f"{shape.name} missing<br>score {fmt(miss)}"],
                                hoverinfo="text"), row=1, col=2)
    if shape.density is not None:
        left = np.clip(x[:-1], lo, hi)
        right = np.clip(x[1:], lo, hi)
        dens = shape.density[values]
        fig.add_trace(G.Bar(x=(left + right) / 2, y=dens, width=np.maximum(right - left, 0),
                            marker_color="#9ecae1", name="training weight", showlegend=False,
                            hovertext=[f"{labels[i + 1]}: {fmt(d)}" for i, d in enumerate(dens)],
                            hoverinfo="text"), row=2, col=1)
        fig.add_trace(G.Bar(x=["missing"], y=[shape.density[0]], marker_color="#9ecae1",
                            name="training weight (missing)", showlegend=False,
                            hovertext=[f"missing: {fmt(shape.density[0])}"], hoverinfo="text"),
                      row=2, col=2)
    fig.update_xaxes(title_text=shape.feature_names[0], row=2, col=1)
    fig.update_xaxes(title_text="missing", row=2, col=2)
    fig.update_yaxes(title_text=score_title(exp), row=1, col=1)
    fig.update_yaxes(title_text="training weight", row=2, col=1)
    fig.update_layout(**title_layout(f"{shape.name} (importance {fmt(shape.importance)})"),
                      bargap=0, hovermode="closest")
    return fig


def _categorical(exp, shape, outputs):
    labels = list(shape.labels[0])
    G = go()
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.75, 0.25], vertical_spacing=0.05)
    for k in outputs:
        y = _cell(shape.scores, slice(None), k)
        err = None
        if shape.lower is not None:
            err = dict(type="data", array=_cell(shape.upper, slice(None), k) - y,
                       arrayminus=y - _cell(shape.lower, slice(None), k))
        name = "score" if k is None else f"class {exp.output_names[k]}"
        fig.add_trace(G.Bar(x=labels, y=y, error_y=err, name=name,
                            marker_color=PALETTE[(k or 0) % len(PALETTE)],
                            hovertext=[f"{shape.name} = {lab}<br>score {fmt(v)}" for lab, v in zip(labels, y)],
                            hoverinfo="text"), row=1, col=1)
    if shape.density is not None:
        fig.add_trace(G.Bar(x=labels, y=shape.density, marker_color="#9ecae1", name="training weight",
                            showlegend=False), row=2, col=1)
    fig.update_xaxes(title_text=shape.feature_names[0], type="category", row=2, col=1)
    fig.update_yaxes(title_text=score_title(exp), row=1, col=1)
    fig.update_yaxes(title_text="training weight", row=2, col=1)
    fig.update_layout(**title_layout(f"{shape.name} (importance {fmt(shape.importance)})"),
                      barmode="group")
    return fig


def _pair_axis(shape, axis):
    """Cell coordinates of one heat-map axis: real boundaries (continuous) or labels."""
    if shape.edges[axis] is not None:
        lo, hi = shape.display_range[axis]
        e = shape.edges[axis]
        return np.concatenate([[lo], e[1:-1], [hi]]), slice(1, len(e))
    return list(shape.labels[axis]), slice(None)


def _pair(exp, shape, outputs):
    G = go()
    (xs, xsel), (ys, ysel) = _pair_axis(shape, 0), _pair_axis(shape, 1)
    ylab, xlab = shape.labels[1][ysel], shape.labels[0][xsel]
    has_extra = any(e is not None for e in shape.edges)
    cols = len(outputs)
    fig = make_subplots(rows=2 if has_extra else 1, cols=cols, vertical_spacing=0.15,
                        subplot_titles=[("" if k is None else f"class {exp.output_names[k]}") for k in outputs]
                        + (["all cells, incl. missing / unseen"] * cols if has_extra else []))
    for c, k in enumerate(outputs, start=1):
        table = shape.scores if k is None else shape.scores[..., k]
        z = table[xsel, ysel].T  # rows: second feature, columns: first feature
        text = [[f"{shape.feature_names[0]} in {xl}<br>{shape.feature_names[1]} in {yl}<br>score {fmt(v)}"
                 for xl, v in zip(xlab, row)] for yl, row in zip(ylab, z)]
        fig.add_trace(G.Heatmap(x=xs, y=ys, z=z, text=text, hoverinfo="text", colorscale="RdBu_r",
                                zmid=0, showscale=c == 1, colorbar=dict(title="score")), row=1, col=c)
        fig.update_xaxes(title_text=shape.feature_names[0], row=1, col=c)
        fig.update_yaxes(title_text=shape.feature_names[1], row=1, col=c)
        if has_extra:
            fig.add_trace(G.Heatmap(x=list(shape.labels[0]), y=list(shape.labels[1]), z=table.T,
                                    colorscale="RdBu_r", zmid=0, showscale=False,
                                    hovertemplate="%{x} / %{y}: %{z:.4g}<extra></extra>"), row=2, col=c)
            fig.update_xaxes(title_text=shape.feature_names[0], type="category", row=2, col=c)
            fig.update_yaxes(title_text=shape.feature_names[1], type="category", row=2, col=c)
    fig.update_layout(**title_layout(f"{shape.name} (importance {fmt(shape.importance)}, {score_title(exp)})"),
                      height=450 * (2 if has_extra else 1))
    return fig


def _alpha(hex_color: str, a: float = 0.2) -> str:
    h = hex_color.lstrip("#")
    r, g, b = int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16)
    return f"rgba({r},{g},{b},{a})"
