"""A saved report opened in a real headless Chromium: every plot renders, no JavaScript errors.

Skipped when no Chromium binary is installed (CI installs Debian's ``chromium``).
"""
import re
import shutil
import subprocess

import pytest

from glassbox import ExplainableBoostingClassifier, OptimalSparseTreeClassifier, plot
from glassbox.datasets import load_adult

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

# Collects uncaught errors and rejected promises from the start of the page, and, once the
# page has loaded and plotly has drawn, writes what it saw into attributes of <body> so that
# --dump-dom shows them.
_PROBE_HEAD = """<script>
window.__gbErrors = [];
window.addEventListener('error', function (e) { window.__gbErrors.push(String(e.message)); });
window.addEventListener('unhandledrejection', function (e) { window.__gbErrors.push(String(e.reason)); });
</script>"""
_PROBE_TAIL = """<script>
window.addEventListener('load', function () {
  setTimeout(function () {
    var divs = document.querySelectorAll('div.figure > div > div[id^="gb-fig-"]');
    var drawn = 0;
    divs.forEach(function (d) {
      if (d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg')) { drawn += 1; }
    });
    document.body.setAttribute('data-gb-figures', String(divs.length));
    document.body.setAttribute('data-gb-drawn', String(drawn));
    document.body.setAttribute('data-gb-errors', JSON.stringify(window.__gbErrors));
  }, 500);
});
</script>"""


def _chromium():
    for name in _BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None, reason="no Chromium binary found (apt-get install chromium)")
@pytest.mark.parametrize("family", ["ebm", "tree"])
def test_report_renders_in_headless_chromium(tmp_path, family):
    X, y = load_adult()
    if family == "ebm":  # step functions with bands, bars, heat maps (interactions), waterfalls
        model = ExplainableBoostingClassifier(outer_bags=2, max_rounds=100, interactions=1, random_state=0)
        n_figures = 1 + (X.shape[1] + 1) + 2
    else:  # node-link diagram, table, waterfalls with the path
        model = OptimalSparseTreeClassifier(max_depth=3, random_state=0)
        n_figures = 1 + 2 + 2
    model.fit(X.iloc[:2000], y.iloc[:2000])
    page = plot.report(model, X.iloc[2000:2300], y.iloc[2000:2300], n_local=2)
    probed = page.replace("<head>", "<head>" + _PROBE_HEAD, 1).replace("</body>", _PROBE_TAIL + "</body>", 1)
    path = tmp_path / "report.html"
    path.write_text(probed, encoding="utf-8")
    result = subprocess.run(
        [_chromium(), "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
         "--virtual-time-budget=15000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = result.stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body, f"Chromium returned no DOM (exit {result.returncode}): {result.stderr[-2000:]}"
    attrs = dict(re.findall(r'(data-gb-[a-z]+)="([^"]*)"', body.group(1)))
    assert attrs.get("data-gb-errors") == "[]", attrs
    assert int(attrs["data-gb-figures"]) == n_figures
    assert int(attrs["data-gb-drawn"]) == n_figures
