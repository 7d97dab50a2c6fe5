"""Helpers shared by the figure builders: plotly import, explanation coercion, titles."""
from __future__ import annotations

import numpy as np

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


def go():
    """plotly.graph_objects, imported only when a figure is drawn."""
    try:
        import plotly.graph_objects as graph_objects
    except ImportError as err:  # pragma: no cover - plotly is a dependency
        raise ImportError("glassbox.plot needs plotly: pip install plotly") from err
    return graph_objects


def make_subplots(**kwargs):
    from plotly.subplots import make_subplots as _make

    return _make(**kwargs)


def as_global(obj):
    """A global Explanation from a fitted model or an Explanation."""
    from ..explain import Explanation, global_explanation

    if isinstance(obj, Explanation):
        if obj.scope != "global":
            raise ValueError("this figure needs a global explanation (model.explain_global()).")
        return obj
    return global_explanation(obj)


def as_explanation(obj):
    from ..explain import Explanation, global_explanation

    return obj if isinstance(obj, Explanation) else global_explanation(obj)


def score_title(exp, output: int | None = None) -> str:
    """Axis title for the quantity the explanation's scores are in."""
    base = {
        "log_odds": "score (log-odds)",
        "score": "score" + (f" ({exp.facts.get('link')} link)" if exp.facts.get("link") not in (None, "identity") else ""),
        "probability": "probability",
        "prediction": "prediction",
    }.get(exp.output, exp.output)
    if output is not None and exp.output_names is not None:
        base += f" of class {exp.output_names[output]}"
    return base


def fmt(x) -> str:
    if isinstance(x, (float, np.floating)):
        if np.isnan(x):
            return "missing"
        return f"{x:.4g}"
    return str(x)


def title_layout(title: str) -> dict:
    return dict(title=dict(text=title, x=0.01, xanchor="left"), template="plotly_white")
