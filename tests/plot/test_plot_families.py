"""Figures and reports of the real model families on Adult."""
import base64
import warnings

import numpy as np
import pytest

from glassbox import (
    ExplainableBoostingClassifier,
    OptimalRuleListClassifier,
    OptimalSparseTreeClassifier,
    plot,
)
from glassbox.datasets import load_adult


def _decode(value):
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return arr.reshape([int(s) for s in str(value["shape"]).split(",")]) if "shape" in value else arr
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decode(v) for v in value]
    return value


def _traces(fig, kind=None):
    return [_decode(t) for t in fig.to_dict()["data"] if kind is None or t["type"] == kind]


@pytest.fixture(scope="module")
def adult():
    X, y = load_adult()
    return X.iloc[:2000], y.iloc[:2000]


@pytest.fixture(scope="module")
def models(adult):
    X, y = adult
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "ebm": ExplainableBoostingClassifier(outer_bags=2, max_rounds=150, interactions=2,
                                                 random_state=0).fit(X, y),
            "tree": OptimalSparseTreeClassifier(max_depth=3, regularization=0.005, random_state=0).fit(X, y),
            "rules": OptimalRuleListClassifier(regularization=0.01, random_state=0, time_limit=30).fit(X, y),
        }


def test_every_ebm_term_plots_with_missing_bins_where_data_had_missing(models):
    ebm = models["ebm"]
    exp = ebm.explain_global()
    for t, name in enumerate(exp.term_names):
        fig = plot.plot_shape(exp, name)
        shape = exp.shapes[t]
        if shape.is_pair:
            heat = _traces(fig, "heatmap")[0]
            if shape.edges[0] is not None:
                np.testing.assert_array_equal(np.asarray(heat["x"])[1:-1], shape.edges[0][1:-1])
        elif shape.kinds[0] == "continuous":
            step = [t for t in _traces(fig, "scatter") if t["name"] == "score"][0]
            assert len(step["x"]) == len(shape.edges[0])  # n value bins: n + 1 points
            np.testing.assert_array_equal(np.asarray(step["x"])[1:-1], shape.edges[0][1:-1])
        else:
            bars = _traces(fig, "bar")[0]
            assert list(bars["x"]) == list(shape.labels[0])
    assert _traces(exp.plot("age"), "scatter")  # exp.plot(term name) draws that shape
    # Adult's workclass has missing values: its missing bar carries training weight
    fig = plot.plot_shape(exp, "workclass")
    density = _traces(fig, "bar")[1]
    assert density["x"][0] == "missing" and density["y"][0] > 0


def test_tree_diagram_and_rule_table_match_the_models(models):
    tree, rules = models["tree"], models["rules"]
    nodes = [t for t in _traces(plot.plot_tree(tree), "scatter") if t["name"] == "nodes"][0]
    assert len(nodes["x"]) == len(tree.tree_)
    leaf_labels = [s for s in nodes["text"] if s.startswith("predict")]
    assert len(leaf_labels) == tree.n_leaves_
    table = _traces(plot.plot_rules(rules), "table")[0]
    texts = table["cells"]["values"][1]
    assert len(texts) == len(rules.rules_)
    assert texts[0].startswith("IF ") and texts[-1] == "ELSE"
    assert all(t.startswith("ELSE IF ") for t in texts[1:-1])
    with pytest.raises(ValueError, match="no tree structure"):
        plot.plot_tree(rules)
    with pytest.raises(ValueError, match="no rules or leaves"):
        plot.plot_rules(models["ebm"])


def test_local_waterfalls_for_every_family(models, adult):
    X, _ = adult
    rows = X.iloc[100:103]
    for name, model in models.items():
        exp = model.explain_local(rows)
        for r in range(3):
            wf = _traces(plot.plot_local(exp, r), "waterfall")[0]
            x = np.asarray(wf["x"], dtype=float)
            np.testing.assert_allclose(x[0] + x[1:-1].sum(), x[-1], atol=1e-12)
            out = exp.outputs[r]
            expected = out if np.ndim(out) == 0 else out[np.argmax(exp.probabilities[r])]
            np.testing.assert_allclose(x[-1], expected, atol=1e-12)


@pytest.mark.parametrize("family", ["ebm", "tree", "rules"])
def test_reports_for_every_family(models, adult, family, tmp_path):
    X, y = adult
    model = models[family]
    page = plot.report(model, X.iloc[:200], y.iloc[:200], path=tmp_path / "r.html")
    exp = model.explain_global()
    n_figs = 1 + 3  # importance + 3 local rows
    n_figs += len(exp.shapes) if family == "ebm" else (2 if family == "tree" else 1)
    assert page.count("Plotly.newPlot") == n_figs
    assert "roc_auc" in page and type(model).__name__ in page


def test_degenerate_models_explain_and_draw(adult):
    """A one-leaf tree and a rule list holding only its default rule."""
    X, y = adult
    rows = X.iloc[:3]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stump = OptimalSparseTreeClassifier(max_depth=3, regularization=0.5).fit(X, y)
        empty = OptimalRuleListClassifier(regularization=0.5).fit(X, y)
    assert stump.n_leaves_ == 1 and len(empty.rules_) == 1
    for model in (stump, empty):
        glob = model.explain_global()
        assert len(glob.rules) == 1 and np.all(glob.term_importances == 0)
        loc = model.explain_local(rows)
        assert np.all(loc.values == 0) and loc.fired == [(), (), ()]
        np.testing.assert_allclose(loc.outputs, model.predict_proba(rows), atol=1e-12)
        wf = _traces(plot.plot_local(loc, 0), "waterfall")[0]
        assert list(wf["measure"]) == ["absolute", "total"]
        assert len(_traces(plot.plot_rules(model), "table")) == 1
        assert "Plotly.newPlot" in plot.report(model, rows, y.iloc[:3])
    nodes = [t for t in _traces(plot.plot_tree(stump), "scatter") if t["name"] == "nodes"][0]
    assert len(nodes["x"]) == 1
