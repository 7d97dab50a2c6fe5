"""Trees as node-link diagrams and rule lists (or tree leaves) as tables."""
from __future__ import annotations

import numpy as np

from ._common import as_global, fmt, go, title_layout


def _value_text(exp, value) -> str:
    if exp.output_names is None:
        return f"value {fmt(float(value[0]))}"
    return ", ".join(f"P({n}) = {v:.3f}" for n, v in zip(exp.output_names, value))


def _layout(nodes) -> tuple[np.ndarray, np.ndarray]:
    """x: leaves evenly spaced in left-to-right order, parents centred over children; y: -depth."""
    x = np.zeros(len(nodes))
    counter = [0]

    def place(i):
        node = nodes[i]
        if node.condition is None:
            x[i] = counter[0]
            counter[0] += 1
        else:
            place(node.left)
            place(node.right)
            x[i] = (x[node.left] + x[node.right]) / 2
        return x[i]

    place(0)
    y = -np.array([n.depth for n in nodes], dtype=float)
    return x, y


def plot_tree(model):
    """The tree as a node-link diagram: split conditions, support and prediction per node.

    Parameters
    ----------
    model : fitted optimal tree, or its global Explanation

    Returns
    -------
    plotly.graph_objects.Figure
        One marker per node (internal nodes show their test, leaves their prediction), edges
        labelled "yes" (test true) and "no"; hover shows support and the output per node.
    """
    exp = as_global(model)
    if exp.tree is None:
        raise ValueError(f"a {exp.model_type} model has no tree structure; use plot_rules.")
    nodes = exp.tree
    x, y = _layout(nodes)
    G = go()
    fig = G.Figure()
    ex, ey, lx, ly, lt = [], [], [], [], []
    for i, n in enumerate(nodes):
        if n.condition is None:
            continue
        for child, word in ((n.left, "yes"), (n.right, "no")):
            ex += [x[i], x[child], None]
            ey += [y[i], y[child], None]
            lx.append((x[i] + x[child]) / 2)
            ly.append((y[i] + y[child]) / 2)
            lt.append(word)
    fig.add_trace(G.Scatter(x=ex, y=ey, mode="lines", line=dict(color="#888"), hoverinfo="skip",
                            name="edges", showlegend=False))
    fig.add_trace(G.Scatter(x=lx, y=ly, mode="text", text=lt, textfont=dict(color="#555"),
                            hoverinfo="skip", name="edge labels", showlegend=False))
    labels, hovers, colors = [], [], []
    for n in nodes:
        head = n.condition if n.condition is not None else f"predict {fmt(n.prediction)}"
        labels.append(head)
        hovers.append(f"{head}<br>support {n.support:.3f}<br>{_value_text(exp, n.value)}")
        colors.append("#d9e7f5" if n.condition is not None else "#fde0c5")
    fig.add_trace(G.Scatter(x=x, y=y, mode="markers+text", text=labels, textposition="bottom center",
                            marker=dict(size=18, color=colors, line=dict(color="#333", width=1),
                                        symbol=["square" if n.condition else "circle" for n in nodes]),
                            hovertext=hovers, hoverinfo="text", name="nodes", showlegend=False))
    title = f"Decision tree: {sum(n.condition is None for n in nodes)} leaves"
    if "optimality_gap" in exp.facts:
        title += f", optimality gap {fmt(exp.facts['optimality_gap'])}"
    depth = max(n.depth for n in nodes)
    fig.update_layout(**title_layout(title), height=180 + 110 * depth,
                      xaxis=dict(visible=False, title="leaves, left to right"),
                      yaxis=dict(visible=False, title="depth"))
    return fig


def plot_rules(model):
    """The rule list (or the leaves of a tree) as a readable table.

    Parameters
    ----------
    model : fitted rule list or tree, or its global Explanation

    Returns
    -------
    plotly.graph_objects.Figure
        A table with one row per rule: the IF / ELSE IF / ELSE text, prediction, output values,
        support and training accuracy.
    """
    exp = as_global(model)
    if exp.rules is None:
        raise ValueError(f"a {exp.model_type} model has no rules or leaves; use plot_shape.")
    ordered = exp.model_type == "rule_list"
    texts = []
    for i, r in enumerate(exp.rules):
        body = " AND ".join(r.conditions) if r.conditions else "TRUE"
        if r.is_default:
            texts.append("ELSE")
        elif ordered:
            texts.append(("IF " if i == 0 else "ELSE IF ") + body)
        else:
            texts.append("IF " + body)
    G = go()
    header = ["#", "rule" if ordered else "leaf", "prediction", "output", "support", "accuracy"]
    cells = [
        list(range(1, len(texts) + 1)),
        texts,
        [fmt(r.prediction) for r in exp.rules],
        [_value_text(exp, r.value) for r in exp.rules],
        [f"{r.support:.3f}" for r in exp.rules],
        ["" if np.isnan(r.accuracy) else f"{r.accuracy:.3f}" for r in exp.rules],
    ]
    fig = G.Figure(G.Table(header=dict(values=header, align="left", fill_color="#e8eef6"),
                           cells=dict(values=cells, align="left"), columnwidth=[0.3, 4, 1, 2, 0.8, 0.8]))
    what = "Optimal rule list" if ordered else "Tree leaves"
    title = f"{what}: {len(texts)} {'rules' if ordered else 'leaves'}"
    if "optimality_gap" in exp.facts:
        title += f", optimality gap {fmt(exp.facts['optimality_gap'])}"
    fig.update_layout(**title_layout(title), height=160 + 70 * len(texts))
    return fig
