"""plotly figures of glassbox explanations, and a whole-model HTML report.

Every function returns a plain ``plotly.graph_objects.Figure`` (or, for `report`, an HTML
string) built from an `glassbox.explain.Explanation`; no model logic lives here. plotly is
imported only when a figure is drawn.
"""
from ._bars import plot_importance, plot_local
from ._report import report
from ._shape import plot_shape
from ._structure import plot_rules, plot_tree

__all__ = ["plot_shape", "plot_importance", "plot_local", "plot_tree", "plot_rules", "report"]
