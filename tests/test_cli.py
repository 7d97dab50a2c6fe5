"""The glassbox command end to end, in a temporary directory (in process, plus one subprocess)."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from glassbox.cli import main
from glassbox.export import from_json


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    from glassbox.datasets import load_adult

    d = tmp_path_factory.mktemp("cli")
    X, y = load_adult(split="train")
    train = X.iloc[:800].copy()
    train["income"] = y.iloc[:800].to_numpy()
    train.to_csv(d / "train.csv", index=False)
    Xt, yt = load_adult(split="test")
    test = Xt.iloc[:50].copy()
    test["income"] = yt.iloc[:50].to_numpy()
    test["workclass"] = test["workclass"].astype(object)
    test.loc[3, "workclass"] = "Never-seen"
    test.loc[4, "age"] = np.nan
    test.to_csv(d / "test.csv", index=False)
    return d


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def tree_model(csv_files):
    path = csv_files / "tree.json"
    code = main(["-q", "fit", str(csv_files / "train.csv"), "--target", "income", "--model", "tree",
                 "--max-depth", "2", "--time-limit", "20", "--out", str(path)])
    assert code == 0
    return path


def test_fit_writes_a_loadable_model(capsys, csv_files, tree_model):
    model = from_json(tree_model.read_text())
    assert type(model).__name__ == "OptimalSparseTreeClassifier"
    assert model.max_depth == 2 and model.time_limit == 20.0
    meta = json.loads(tree_model.read_text())["metadata"]["dict"]
    assert meta["target"] == "income" and meta["model"] == "tree"


def test_fit_progress_and_quiet(capsys, csv_files, tmp_path):
    code, out, err = run(capsys, "fit", csv_files / "train.csv", "--target", "income", "--model", "tree",
                         "--max-depth", "1", "--out", tmp_path / "m.json")
    assert code == 0 and "Fitting OptimalSparseTreeClassifier" in err and "wrote the model" in err
    code, out, err = run(capsys, "--quiet", "fit", csv_files / "train.csv", "--target", "income",
                         "--model", "tree", "--max-depth", "1", "--out", tmp_path / "m.json")
    assert code == 0 and err == "" and out == ""
    code, out, err = run(capsys, "fit", csv_files / "train.csv", "--target", "income", "--quiet",
                         "--model", "tree", "--max-depth", "1", "--out", tmp_path / "m.json")
    assert code == 0 and err == "" and out == ""


def test_fit_ebm_with_generic_params(capsys, csv_files, tmp_path):
    pytest.importorskip("glassbox.gam")
    out = tmp_path / "ebm.json"
    code, _, err = run(capsys, "-q", "fit", csv_files / "train.csv", "--target", "income", "--model", "ebm",
                       "--outer-bags", "1", "--interactions", "0", "--param", "max_rounds=50",
                       "--param", "n_jobs=1", "--out", out)
    assert code == 0, err
    model = from_json(out.read_text())
    assert model.max_rounds == 50 and model.outer_bags == 1 and model.interactions == 0
    code, text, err = run(capsys, "explain", out, csv_files / "test.csv", "--rows", "1", "--top", "3")
    assert code == 0, err
    assert "row 1:" in text and "log_odds" in text and text.count("\n    ") >= 3


def test_predict_matches_the_model(capsys, csv_files, tree_model, tmp_path):
    out = tmp_path / "pred.csv"
    code, _, err = run(capsys, "predict", tree_model, csv_files / "test.csv", "--out", out, "--keep", "age")
    assert code == 0, err
    pred = pd.read_csv(out, keep_default_na=False)
    model = from_json(tree_model.read_text())
    X = pd.read_csv(csv_files / "test.csv", na_values=["?"], skipinitialspace=True).drop(columns="income")
    assert list(pred.columns) == ["age", "prediction", "proba_<=50K", "proba_>50K"]
    assert list(pred["prediction"]) == list(model.predict(X))
    np.testing.assert_allclose(pred[["proba_<=50K", "proba_>50K"]].to_numpy(), model.predict_proba(X), rtol=1e-15)
    code, text, _ = run(capsys, "-q", "predict", tree_model, csv_files / "test.csv", "--no-proba")
    assert code == 0 and text.splitlines()[0] == "prediction" and len(text.splitlines()) == 51


def test_explain_rows(capsys, csv_files, tree_model):
    code, out, err = run(capsys, "explain", tree_model, csv_files / "test.csv", "--rows", "0:3")
    assert code == 0, err
    assert out.count("row ") == 3 and "fired:" in out and "base" in out
    code, out, _ = run(capsys, "explain", tree_model, csv_files / "test.csv", "--rows", "4,7")
    assert "row 4:" in out and "row 7:" in out


@pytest.mark.parametrize("fmt,marker", [("md", "# Optimal sparse decision tree"), ("txt", "IF"),
                                        ("html", "<!DOCTYPE html>"), ("py", "def predict_proba"),
                                        ("sql", "SELECT"), ("json", '"glassbox_schema"')])
def test_export_formats(capsys, tree_model, tmp_path, fmt, marker):
    code, out, err = run(capsys, "export", tree_model, "--format", fmt)
    assert code == 0, err
    assert marker in out
    target = tmp_path / f"model.{fmt}"
    code, _, err = run(capsys, "export", tree_model, "--format", fmt, "--out", target)
    assert code == 0 and target.read_text() == out
    if fmt == "md":
        assert "**Target:** income" in out


def test_report_with_and_without_data(capsys, csv_files, tree_model, tmp_path):
    for extra in ([], [csv_files / "test.csv"]):
        out = tmp_path / "report.html"
        code, _, err = run(capsys, "-q", "report", tree_model, *extra, "--out", out)
        assert code == 0, err
        html = out.read_text()
        assert html.lstrip().lower().startswith("<!doctype html") and "plotly" in html.lower()


def test_demo_quick(capsys, tmp_path):
    pytest.importorskip("glassbox.gam")
    code, out, err = run(capsys, "demo", "--quick", "--out", tmp_path / "demo")
    assert code == 0, err
    assert "test AUC" in out and "Optimal sparse tree" in out
    files = {p.name for p in (tmp_path / "demo").iterdir()}
    for kind in ("ebm", "tree"):
        assert {f"{kind}.json", f"{kind}.md", f"{kind}-report.html"} <= files
    assert "comparison.md" in files


# --------------------------------------------------------------------------- errors


def _one_line_error(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    # progress lines may come first; the error itself is exactly one line, the last one
    assert lines[-1].startswith("glassbox: error: ") and err.count("glassbox: error") == 1, err
    assert "Traceback" not in err
    return lines[-1]


def test_missing_target_column(capsys, csv_files, tmp_path):
    line = _one_line_error(capsys, "fit", csv_files / "train.csv", "--target", "nope", "--model", "tree",
                           "--out", tmp_path / "m.json")
    assert "'nope'" in line and not (tmp_path / "m.json").exists()


def test_unreadable_files(capsys, csv_files, tree_model, tmp_path):
    assert "no such file" in _one_line_error(capsys, "fit", tmp_path / "absent.csv", "--target", "y",
                                             "--model", "tree", "--out", tmp_path / "m.json")
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x81" * 50)
    _one_line_error(capsys, "fit", garbage, "--target", "y", "--model", "tree", "--out", tmp_path / "m.json")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    _one_line_error(capsys, "predict", tree_model, empty)
    bad_model = tmp_path / "bad.json"
    bad_model.write_text('{"glassbox_schema": "9.9", "model": {}}')
    assert "glassbox_schema" in _one_line_error(capsys, "predict", bad_model, csv_files / "test.csv")
    assert "no such file" in _one_line_error(capsys, "export", tmp_path / "absent.json", "--format", "md")


def test_unknown_model_and_bad_options(capsys, csv_files, tree_model, tmp_path):
    assert "invalid choice" in _one_line_error(capsys, "fit", csv_files / "train.csv", "--target", "income",
                                               "--model", "forest", "--out", tmp_path / "m.json")
    assert "no parameter" in _one_line_error(capsys, "fit", csv_files / "train.csv", "--target", "income",
                                             "--model", "tree", "--param", "zzz=1", "--out", tmp_path / "m.json")
    assert "max_depth" in _one_line_error(capsys, "fit", csv_files / "train.csv", "--target", "income",
                                          "--model", "tree", "--max-depth", "-3", "--out", tmp_path / "m.json")
    assert "--outer-bags" in _one_line_error(capsys, "fit", csv_files / "train.csv", "--target", "income",
                                             "--model", "tree", "--outer-bags", "3", "--out", tmp_path / "m.json")
    assert "--rows" in _one_line_error(capsys, "explain", tree_model, csv_files / "test.csv", "--rows", "x")
    assert "--rows" in _one_line_error(capsys, "explain", tree_model, csv_files / "test.csv", "--rows", "500")
    assert "invalid choice" in _one_line_error(capsys, "export", tree_model, "--format", "docx")
    _one_line_error(capsys, "frobnicate")


def test_predict_with_missing_columns(capsys, tree_model, tmp_path):
    data = tmp_path / "few.csv"
    data.write_text("age,workclass\n30,Private\n")
    assert "lacks the column" in _one_line_error(capsys, "predict", tree_model, data)


def test_help_and_module_entry_point():
    res = subprocess.run([sys.executable, "-m", "glassbox", "--help"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0
    for command in ("fit", "predict", "explain", "export", "report", "demo"):
        assert command in res.stdout
    res = subprocess.run([sys.executable, "-m", "glassbox", "fit", "--help"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0 and "--max-depth" in res.stdout and "--param" in res.stdout
    res = subprocess.run([sys.executable, "-m", "glassbox", "fit", "x.csv"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
