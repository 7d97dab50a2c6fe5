"""Render a :class:`~glassbox.export._document.Document` as Markdown, HTML or plain text."""
import html

from ._document import Code, Facts, Figure, Paragraph, Rules, Table

# --------------------------------------------------------------------------- Markdown


def render_markdown(doc):
    """Return the document as GitHub-flavoured Markdown."""
    out = [f"# {doc.title}", ""]
    for section in doc.sections:
        _md_section(section, 2, out)
    return "\n".join(out).rstrip() + "\n"


def _md_section(section, level, out):
    out += [f"{'#' * min(level, 6)} {section.title}", ""]
    for block in section.blocks:
        out += _md_block(block) + [""]
    for sub in section.subsections:
        _md_section(sub, level + 1, out)


def _md_escape(text):
    return str(text).replace("|", "\\|")


def _md_block(block):
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Facts):
        return [f"- **{k}:** {v}" for k, v in block.items]
    if isinstance(block, Table):
        lines = [f"*{block.caption}*", ""] if block.caption else []
        lines.append("| " + " | ".join(_md_escape(h) for h in block.header) + " |")
        lines.append("|" + "|".join(" --- " for _ in block.header) + "|")
        lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in block.rows]
        return lines
    if isinstance(block, Rules):
        lines = []
        for rule in block.rules:
            cond = " **AND** ".join(rule.conditions)
            head = f"**{rule.keyword}** {cond} **THEN** " if rule.conditions else f"**{rule.keyword}** "
            tail = f" — {rule.details}" if rule.details else ""
            lines.append(f"{len(lines) + 1}. {head}{rule.outcome}{tail}")
        return lines
    if isinstance(block, Code):
        return ["```", block.text, "```"]
    if isinstance(block, Figure):
        return []
    raise TypeError(f"unknown document block {type(block).__name__}")


# --------------------------------------------------------------------------- plain text


def render_text(doc):
    """Return the document as plain text (fixed-width tables, no markup)."""
    out = ["=" * len(doc.title), doc.title, "=" * len(doc.title), ""]
    for section in doc.sections:
        _text_section(section, 1, out)
    return "\n".join(out).rstrip() + "\n"


def _text_section(section, level, out):
    underline = {1: "-", 2: "~"}.get(level, ".")
    out += [section.title, underline * len(section.title), ""]
    for block in section.blocks:
        lines = _text_block(block)
        if lines:
            out += lines + [""]
    for sub in section.subsections:
        _text_section(sub, level + 1, out)


def _text_block(block):
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Facts):
        w = max((len(k) for k, _ in block.items), default=0)
        return [f"{k + ':':<{w + 1}} {v}" for k, v in block.items]
    if isinstance(block, Table):
        rows = [list(map(str, block.header))] + [list(map(str, r)) for r in block.rows]
        widths = [max(len(r[i]) for r in rows) for i in range(len(block.header))]
        fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        lines = [block.caption] if block.caption else []
        lines += [fmt(rows[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows[1:]]
        return lines
    if isinstance(block, Rules):
        lines = []
        for n, rule in enumerate(block.rules, 1):
            number = f"{n}. "
            pad = " " * len(number)
            width = max(len(rule.keyword), 4) + 1
            if rule.conditions:
                lines.append(f"{number}{rule.keyword.ljust(width)}{rule.conditions[0]}")
                lines += [f"{pad}{'AND'.ljust(width)}{c}" for c in rule.conditions[1:]]
                lines.append(f"{pad}{'THEN'.ljust(width)}{rule.outcome}")
            else:
                lines.append(f"{number}{rule.keyword.ljust(width)}{rule.outcome}")
            if rule.details:
                lines.append(f"{pad}{' ' * width}({rule.details})")
        return lines
    if isinstance(block, Code):
        return ["    " + line for line in block.text.splitlines()]
    if isinstance(block, Figure):
        return []
    raise TypeError(f"unknown document block {type(block).__name__}")


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:62em;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444}h2{border-bottom:1px solid #bbb;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.2em .6em;
text-align:left;font-variant-numeric:tabular-nums}th{background:#f2f2f2}
caption{text-align:left;font-style:italic;padding:.2em 0}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dl.facts dt{font-weight:600}
dl.facts dd{margin:0}ol.rules li{margin:.35em 0}.kw{font-weight:700;color:#0b4f8a}
.details{color:#555;font-size:.92em}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}
"""


def render_html(doc):
    """Return the document as one self-contained HTML page (inline CSS, no external files)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(doc.title)}</title>", f"<style>{_CSS}</style>"]
    if doc.head_html:
        out.append(doc.head_html)
    out += ["</head><body>", f"<h1>{e(doc.title)}</h1>"]
    for section in doc.sections:
        _html_section(section, 2, out)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_section(section, level, out):
    h = min(level, 6)
    out.append(f"<section><h{h}>{html.escape(section.title)}</h{h}>")
    for block in section.blocks:
        out.append(_html_block(block))
    for sub in section.subsections:
        _html_section(sub, level + 1, out)
    out.append("</section>")


def _html_block(block):
    e = html.escape
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Facts):
        items = "".join(f"<dt>{e(k)}</dt><dd>{e(str(v))}</dd>" for k, v in block.items)
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Table):
        cap = f"<caption>{e(block.caption)}</caption>" if block.caption else ""
        head = "".join(f"<th>{e(str(h))}</th>" for h in block.header)
        body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in block.rows)
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Rules):
        items = []
        for rule in block.rules:
            kw = f'<span class="kw">{e(rule.keyword)}</span> '
            if rule.conditions:
                cond = ' <span class="kw">AND</span> '.join(e(c) for c in rule.conditions)
                text = f'{kw}{cond} <span class="kw">THEN</span> {e(rule.outcome)}'
            else:
                text = f"{kw}{e(rule.outcome)}"
            if rule.details:
                text += f' <span class="details">({e(rule.details)})</span>'
            items.append(f"<li>{text}</li>")
        return f'<ol class="rules">{"".join(items)}</ol>'
    if isinstance(block, Code):
        return f"<pre>{e(block.text)}</pre>"
    if isinstance(block, Figure):
        cap = f"<figcaption>{e(block.caption)}</figcaption>" if block.caption else ""
        return f"<figure>{block.html}{cap}</figure>"
    raise TypeError(f"unknown document block {type(block).__name__}")
