"""Figures asserted through fig.to_dict(): trace types, counts, axis titles, missing bins."""
import base64

import numpy as np
import pytest

from glassbox import plot
from glassbox.explain import Explanation, TermShape, local_explanation
from glassbox.datasets import load_adult

from gb_leaf_oracle import SklearnLeafClassifier


def _continuous(name, feature, cuts, scores, density, sd=0.1, importance=1.0):
    cuts = np.asarray(cuts, float)
    scores = np.asarray(scores, float)
    return TermShape(
        name=name, features=(feature,), feature_names=(name,), kinds=("continuous",),
        edges=(np.concatenate([[-np.inf], cuts, [np.inf]]),),
        labels=(["missing"] + [f"bin {i}" for i in range(len(cuts) + 1)] + ["unseen"],),
        scores=scores, lower=scores - sd, upper=scores + sd, density=np.asarray(density, float),
        importance=importance, display_range=((cuts[0] - 1, cuts[-1] + 1),),
    )


@pytest.fixture
def gam_exp():
    age = _continuous("age", 0, [30, 40, 50], [0.5, -1, 0, 0.4, 0.9, 0.0], [12, 30, 40, 20, 10, 0])
    color = TermShape(
        name="color", features=(1,), feature_names=("color",), kinds=("nominal",), edges=(None,),
        labels=(["missing", "red", "green", "blue", "unseen"],),
        scores=np.array([0.0, 0.3, -0.2, 0.1, 0.0]), lower=None, upper=None,
        density=np.array([0, 40, 30, 30, 0.0]), importance=0.5, display_range=(None,),
    )
    pair_scores = np.arange(6 * 4, dtype=float).reshape(6, 4) / 10
    pair = TermShape(
        name="age & hours", features=(0, 2), feature_names=("age", "hours"),
        kinds=("continuous", "continuous"),
        edges=(np.array([-np.inf, 30, 40, 50, np.inf]), np.array([-np.inf, 35, np.inf])),
        labels=(["missing", "a", "b", "c", "d", "unseen"], ["missing", "x", "y", "unseen"]),
        scores=pair_scores, lower=None, upper=None, density=np.ones((6, 4)), importance=0.2,
        display_range=((20.0, 60.0), (10.0, 60.0)),
    )
    return Explanation(
        scope="global", model_type="ebm", task="classification", output="log_odds",
        feature_names=["age", "color", "hours"], feature_types=["continuous", "nominal", "continuous"],
        term_names=["age", "color", "age & hours"], term_features=[(0,), (1,), (0, 2)],
        classes=np.array([0, 1]), base_values=-1.2, term_importances=np.array([1.0, 0.5, 0.2]),
        shapes=(age, color, pair), facts={"link": "logit"},
    )


def _decode(value):
    """Arrays in fig.to_dict(): plotly >= 6 stores numpy input as base64 ``bdata``."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            arr = arr.reshape([int(s) for s in str(value["shape"]).split(",")])
        return arr
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_decode(v) for v in value]
    return value


def _traces(fig, kind):
    return [_decode(t) for t in fig.to_dict()["data"] if t["type"] == kind]


def test_continuous_shape_is_a_step_function_with_band_density_and_missing(gam_exp):
    fig = plot.plot_shape(gam_exp, "age")
    d = fig.to_dict()
    lines = [t for t in _traces(fig, "scatter") if t.get("line", {}).get("shape") == "hv"]
    score = [t for t in lines if t["name"] == "score"][0]
    # 4 value bins -> 5 points: display start, the 3 real cut points, display end
    np.testing.assert_array_equal(score["x"], [29, 30, 40, 50, 51])
    np.testing.assert_array_equal(score["y"], [-1, 0, 0.4, 0.9, 0.9])
    assert any(t.get("fill") == "tonexty" for t in lines), "bag-spread band"
    missing = [t for t in _traces(fig, "scatter") if list(t["x"]) == ["missing"]]
    assert len(missing) == 1 and missing[0]["y"][0] == 0.5
    bars = _traces(fig, "bar")
    assert len(bars[0]["y"]) == 4 and list(bars[0]["y"]) == [30, 40, 20, 10]
    assert [b for b in bars if list(b["x"]) == ["missing"]][0]["y"][0] == 12
    layout = d["layout"]
    titles = {k: v.get("title", {}).get("text") for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
    assert "age" in titles.values() and "score (log-odds)" in titles.values()
    assert "training weight" in titles.values()


def test_nominal_shape_bars_include_missing_and_unseen(gam_exp):
    fig = plot.plot_shape(gam_exp, 1)
    bars = _traces(fig, "bar")
    assert list(bars[0]["x"]) == ["missing", "red", "green", "blue", "unseen"]
    np.testing.assert_array_equal(bars[0]["y"], [0.0, 0.3, -0.2, 0.1, 0.0])


def test_pair_heat_map_uses_real_cut_points(gam_exp):
    fig = plot.plot_shape(gam_exp, "age & hours")
    maps = _traces(fig, "heatmap")
    main = maps[0]
    np.testing.assert_array_equal(main["x"], [20, 30, 40, 50, 60])
    np.testing.assert_array_equal(main["y"], [10, 35, 60])
    z = np.asarray(main["z"])
    assert z.shape == (2, 4)  # value cells only: 2 hours bins x 4 age bins
    np.testing.assert_array_equal(z, gam_exp.shapes[2].scores[1:5, 1:3].T)
    # the full table, with missing and unseen cells, is drawn too
    assert np.asarray(maps[1]["z"]).shape == (4, 6)


def test_multiclass_shape_draws_one_line_per_class(gam_exp):
    age = gam_exp.shapes[0]
    scores = np.stack([age.scores, -age.scores, 2 * age.scores], axis=-1)
    multi = TermShape(**{**age.__dict__, "scores": scores, "lower": None, "upper": None})
    exp = Explanation(**{**gam_exp.__dict__, "shapes": (multi,), "term_names": ["age"],
                         "term_features": [(0,)], "term_importances": np.array([1.0]),
                         "output_names": ["a", "b", "c"], "classes": np.array(["a", "b", "c"])})
    fig = plot.plot_shape(exp, "age")
    lines = [t for t in _traces(fig, "scatter") if t.get("line", {}).get("shape") == "hv"]
    assert [t["name"] for t in lines] == ["class a", "class b", "class c"]
    assert len(_traces(plot.plot_shape(exp, "age", output=1), "scatter")) == 2  # line + missing


def test_importance_top_k_sums_the_rest(gam_exp):
    fig = plot.plot_importance(gam_exp, top_k=2)
    bar = _traces(fig, "bar")[0]
    assert bar["orientation"] == "h"
    assert list(bar["y"]) == ["sum of 1 other terms", "color", "age"]  # drawn bottom-up
    np.testing.assert_allclose(bar["x"], [0.2, 0.5, 1.0])
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text == "term"
    with pytest.raises(ValueError, match="top_k"):
        plot.plot_importance(gam_exp, top_k=0)


@pytest.fixture(scope="module")
def tree_model():
    X, y = load_adult()
    model = SklearnLeafClassifier(max_depth=3).fit(X.iloc[:3000], y.iloc[:3000])
    return model, X.iloc[3000:3010], y.iloc[3000:3010]


def test_local_waterfall_adds_up_and_labels_values(tree_model):
    model, rows, _ = tree_model
    exp = local_explanation(model, rows)
    fig = plot.plot_local(exp, 2, output=1)
    wf = _traces(fig, "waterfall")[0]
    x = np.asarray(wf["x"], float)
    assert wf["measure"][0] == "absolute" and wf["measure"][-1] == "total"
    np.testing.assert_allclose(x[0] + x[1:-1].sum(), x[-1])
    np.testing.assert_allclose(x[-1], model.predict_proba(rows.iloc[[2]])[0, 1])
    contrib = np.abs(x[1:-1])
    assert np.all(np.diff(contrib) <= 1e-15), "largest contributions first"
    assert all(" = " in label for label in wf["y"][1:-1])
    notes = fig.to_dict()["layout"]["annotations"]
    assert any("path" in a["text"] and "AND" in a["text"] for a in notes)


def test_tree_and_rules_figures(tree_model):
    model, _, _ = tree_model
    fig = plot.plot_tree(model)
    nodes = [t for t in _traces(fig, "scatter") if t["name"] == "nodes"][0]
    assert len(nodes["x"]) == model.tree_model_.tree_.node_count
    edges = [t for t in _traces(fig, "scatter") if t["name"] == "edges"][0]
    assert len(edges["x"]) == 3 * (model.tree_model_.tree_.node_count - 1)
    table = _traces(plot.plot_rules(model), "table")[0]
    assert len(table["cells"]["values"][1]) == model.tree_model_.tree_.n_leaves
    assert all(t.startswith("IF ") for t in table["cells"]["values"][1])


def test_explanation_plot_dispatch(gam_exp, tree_model):
    assert _traces(gam_exp.plot(), "bar")[0]["orientation"] == "h"
    assert _traces(gam_exp["color"].plot(), "bar")
    model, rows, _ = tree_model
    assert _traces(local_explanation(model, rows).plot(row=1), "waterfall")
    assert _traces(model.explain_global().plot("tree"), "scatter")
    with pytest.raises(ValueError, match="unknown plot kind"):
        gam_exp.plot("pie")


def test_report_is_self_contained(tree_model, tmp_path):
    model, rows, y = tree_model
    path = tmp_path / "report.html"
    page = plot.report(model, rows, y, path=path)
    assert path.read_text(encoding="utf-8") == page
    assert page.count("<script type='text/javascript'>") == 1  # plotly.js embedded once
    assert "<script src" not in page  # nothing fetched from the network
    assert page.count("Plotly.newPlot") == 3 + 3  # importance, tree, rules + 3 local rows
    assert "Metrics on the given data" in page
