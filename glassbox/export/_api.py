"""Public document functions: one builder per family, three renderers."""
from sklearn.utils.validation import check_is_fitted

from . import _gam, _leaves
from ._document import Document, Figure
from ._header import MODEL_TITLES, header_sections, parameters_section
from ._render import render_html, render_markdown, render_text


def _family(model):
    for family in (_gam, _leaves):
        if family.matches(model):
            return family
    raise TypeError(f"glassbox.export does not know how to describe a {type(model).__name__}")


def build_document(model, *, decimals=4, target_name=None, title=None, figures=False):
    """The format-free :class:`~glassbox.export._document.Document` of a fitted model.

    Parameters
    ----------
    model : fitted glassbox estimator
    decimals : int or None, default=4
        Scores, probabilities and metrics are rounded to this many decimals for reading;
        None writes every digit. Thresholds and cut points are never rounded.
    target_name : str, optional
        Name of the target, shown in the model summary.
    title : str, optional
        Document title (default: the model type).
    figures : bool, default=False
        Embed plotly figures from :mod:`glassbox.plot` (HTML only; plotly.js is inlined so
        the page works offline).
    """
    check_is_fitted(model)
    if decimals is not None and (not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0):
        raise ValueError(f"decimals must be a non-negative integer or None, got {decimals!r}")
    for name, value in (("target_name", target_name), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a string or None, got {type(value).__name__}")
    family = _family(model)
    fig_blocks, head = _figures(model, family) if figures else (None, "")
    name = type(model).__name__
    doc = Document(title or MODEL_TITLES.get(name, name), head_html=head)
    doc.sections += header_sections(model, decimals=decimals, target_name=target_name)
    doc.sections += family.model_sections(model, decimals=decimals, figures=fig_blocks)
    doc.sections.append(parameters_section(model))
    return doc


def _figures(model, family):
    """HTML fragments of the plotly figures, keyed by term name (GAM) or "model"."""
    try:
        import plotly.offline

        from .. import plot
    except ImportError:
        return None, ""
    blocks = {}
    try:
        if family is _gam:
            exp = model.explain_global()
            for name in exp.term_names:
                fig = plot.plot_shape(exp, name)
                blocks[name] = Figure(fig.to_html(full_html=False, include_plotlyjs=False))
        elif hasattr(model, "rules_") and hasattr(plot, "plot_rules"):
            blocks["model"] = Figure(plot.plot_rules(model).to_html(full_html=False, include_plotlyjs=False))
        elif hasattr(plot, "plot_tree"):
            blocks["model"] = Figure(plot.plot_tree(model).to_html(full_html=False, include_plotlyjs=False))
    except (AttributeError, NotImplementedError):
        return None, ""
    head = f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>'
    return blocks, head


def to_markdown(model, *, decimals=4, target_name=None, title=None):
    """The rule document of a fitted model as Markdown (see :func:`build_document`)."""
    return render_markdown(build_document(model, decimals=decimals, target_name=target_name, title=title))


def to_text(model, *, decimals=4, target_name=None, title=None):
    """The rule document of a fitted model as plain text (see :func:`build_document`)."""
    return render_text(build_document(model, decimals=decimals, target_name=target_name, title=title))


def to_html(model, *, decimals=4, target_name=None, title=None, figures=False):
    """The rule document of a fitted model as one self-contained HTML page."""
    return render_html(build_document(model, decimals=decimals, target_name=target_name, title=title,
                                      figures=figures))
