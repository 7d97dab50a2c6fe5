"""Export glassbox models: exact JSON, readable rule documents, Python and SQL scoring code.

* :func:`to_json` / :func:`from_json` — a versioned (schema 1.0), plain-JSON, exact and safe
  serialization of every estimator.
* :func:`to_markdown`, :func:`to_html`, :func:`to_text` — the whole model as a document a
  reviewer can read without Python (built once by :func:`build_document`, then rendered).
* :func:`to_python`, :func:`to_sql` — standalone scoring code.

See ``docs/export.md``.
"""
from ._api import build_document, to_html, to_markdown, to_text
from ._json import SCHEMA_VERSION, from_json, read_metadata, to_json
from ._python import to_python
from ._sql import to_sql

__all__ = [
    "SCHEMA_VERSION",
    "build_document",
    "from_json",
    "read_metadata",
    "to_html",
    "to_json",
    "to_markdown",
    "to_python",
    "to_sql",
    "to_text",
]
