"""The intermediate document: what a rule document says, independent of its format.

Builders (one per model family) turn a fitted model into a :class:`Document` whose text is
already formatted (numbers rounded, conditions in words); the renderers in
:mod:`glassbox.export._render` only lay it out as Markdown, HTML or plain text. No format
logic lives in the models or in the builders.
"""
from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """A sentence or two of prose."""

    text: str


@dataclass
class Facts:
    """Labelled values, shown as a two-column list ("Rows: 32,561")."""

    items: list  # list[tuple[str, str]]


@dataclass
class Table:
    """A table of strings; ``header`` names the columns."""

    header: list
    rows: list  # list[list[str]]
    caption: str = ""


@dataclass
class Rule:
    """One line of a decision: ``IF a AND b THEN outcome`` with its training figures.

    ``keyword`` is "IF", "ELSE IF" or "ELSE" (an ELSE rule has no conditions).
    """

    keyword: str
    conditions: list  # list[str], joined by AND
    outcome: str
    details: str = ""


@dataclass
class Rules:
    """An ordered list of rules (a rule list) or an unordered set of leaves (a tree)."""

    rules: list


@dataclass
class Code:
    """A formula or code shown verbatim."""

    text: str


@dataclass
class Figure:
    """An HTML fragment (a plotly figure); only the HTML renderer shows it."""

    html: str
    caption: str = ""


@dataclass
class Section:
    """A titled part of the document; ``blocks`` are shown before ``subsections``."""

    title: str
    blocks: list = field(default_factory=list)
    subsections: list = field(default_factory=list)


@dataclass
class Document:
    """A whole rule document."""

    title: str
    sections: list = field(default_factory=list)
    head_html: str = ""  # scripts needed by figures (HTML only)
