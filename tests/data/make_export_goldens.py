"""Regenerate the golden export files in tests/data/export/.

Run from the repository root after an intended change of a document format or of the scoring
code, then review the diff:

    python tests/data/make_export_goldens.py

Each small model is fitted on the first 400 rows of the bundled Adult data (5 features) with
fixed settings and saved as ``<name>.json``; the goldens are rendered from that JSON, and
tests/export/test_export_golden.py checks that loading the JSON and rendering again gives
exactly the same files. A family that is not importable is skipped.
"""
import importlib
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent / "export"
FEATURES = ["age", "workclass", "education-num", "hours-per-week", "capital-gain"]
MODELS = {
    "ebm": ("glassbox.gam", "ExplainableBoostingClassifier",
            # the schedule is spelled out so that the goldens do not move with the defaults
            dict(outer_bags=1, interactions=1, max_rounds=60, max_bins=6, max_interaction_bins=4,
                 smoothing_rounds=75, interaction_smoothing_rounds=75, early_stopping_rounds=100,
                 n_jobs=1, random_state=0)),
    "tree": ("glassbox.tree", "OptimalSparseTreeClassifier",
             dict(max_depth=2, regularization=0.01, time_limit=30.0, random_state=0)),
    "rules": ("glassbox.rules", "OptimalRuleListClassifier",
              dict(max_card=1, regularization=0.01, time_limit=30.0, random_state=0)),
}
# name of the golden file -> how to render it from a model
RENDERINGS = {
    "md": lambda e, m: e.to_markdown(m, target_name="income"),
    "txt": lambda e, m: e.to_text(m, target_name="income", decimals=3),
    "html": lambda e, m: e.to_html(m, target_name="income"),
    "py": lambda e, m: e.to_python(m),
    "sql": lambda e, m: e.to_sql(m, table="adult", key="id"),
}


def training_data():
    from glassbox.datasets import load_adult

    X, y = load_adult(split="train")
    return X[FEATURES].iloc[:400], y.iloc[:400]


def main():
    import glassbox.export as export

    X, y = training_data()
    HERE.mkdir(parents=True, exist_ok=True)
    for name, (module, cls_name, params) in MODELS.items():
        try:
            cls = getattr(importlib.import_module(module), cls_name)
        except (ImportError, AttributeError):
            print(f"skipping {name}: {module}.{cls_name} is not available", file=sys.stderr)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = cls(**params).fit(X, y)
        text = export.to_json(model, indent=1)
        (HERE / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        model = export.from_json(text)
        for ext, render in RENDERINGS.items():
            (HERE / f"{name}.{ext}").write_text(render(export, model), encoding="utf-8")
        print(f"wrote {name}.json and its {len(RENDERINGS)} renderings", file=sys.stderr)


if __name__ == "__main__":
    main()
