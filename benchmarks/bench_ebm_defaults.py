"""Do glassbox's shorter EBM defaults cost accuracy? Four more data sets, both libraries at defaults.

    ~/peers/bin/python -m benchmarks.bench_ebm_defaults [--splits 3]

glassbox's defaults (learning rate 0.1 with 15/15/25 smoothing/pair-smoothing/patience rounds for
classifiers, 50/25/25 for regressors) are shorter than interpret 0.7.8's (0.015 or 0.04 with
75/75/100 or 500/100/100). bench_ebm measures the issue's four cases; this script checks the
same defaults on COMPAS, German credit, Default (credit card) and Wage: for each, `--splits`
random stratified 80/20 splits, test AUC (classification) or RMSE (Wage), and fit time, with
glassbox and interpret fitted on the same split one after the other (n_jobs=2 for both). Also
glassbox with interpret's schedule (`--interpret-schedule`), to separate the schedule from the
implementation. Results: benchmarks/results/ebm_defaults.json.
"""
from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

from ._harness import have, write_results
from .bench_ebm import INTERPRET_SCHEDULE

N_JOBS = 2
SETS = [("compas", "load_compas", "clf"), ("german_credit", "load_german_credit", "clf"),
        ("default", "load_default", "clf"), ("wage", "load_wage", "reg")]


def _fit_score(lib, kind, params, Xa, ya, Xb, yb):
    from sklearn.metrics import mean_squared_error, roc_auc_score

    if lib == "interpret":
        from interpret.glassbox import ExplainableBoostingClassifier as C, ExplainableBoostingRegressor as R
    else:
        from glassbox.gam import ExplainableBoostingClassifier as C, ExplainableBoostingRegressor as R
    est = (C if kind == "clf" else R)(n_jobs=N_JOBS, **params)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(Xa, ya)
    fit_s = time.perf_counter() - t0
    if kind == "clf":
        metric = roc_auc_score(np.asarray(yb) == est.classes_[1], est.predict_proba(Xb)[:, 1])
    else:
        metric = float(np.sqrt(mean_squared_error(yb, est.predict(Xb))))
    return float(metric), fit_s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", type=int, default=3)
    ap.add_argument("--interpret-schedule", action="store_true")
    args = ap.parse_args()
    from sklearn.model_selection import train_test_split

    from glassbox import datasets

    runs = [("glassbox", {})]
    if have("interpret"):
        runs.append(("interpret", {}))
    results = {}
    for name, loader, kind in SETS:
        X, y = getattr(datasets, loader)()
        variants = list(runs)
        if args.interpret_schedule:
            variants.append(("glassbox_interpret_schedule", INTERPRET_SCHEDULE[kind]))
        per = {label: {"metric": [], "fit_s": []} for label, _ in variants}
        for seed in range(args.splits):
            Xa, Xb, ya, yb = train_test_split(X, y, test_size=0.2, random_state=seed,
                                              stratify=y if kind == "clf" else None)
            for label, params in variants:
                lib = "interpret" if label == "interpret" else "glassbox"
                metric, fit_s = _fit_score(lib, kind, params, Xa, ya, Xb, yb)
                per[label]["metric"].append(metric)
                per[label]["fit_s"].append(fit_s)
        row = {"metric": "test AUC" if kind == "clf" else "test RMSE", "rows": len(X)}
        for label, r in per.items():
            row[label] = {"mean_metric": statistics.fmean(r["metric"]), "median_fit_s": statistics.median(r["fit_s"]),
                          **r}
        if "interpret" in per:
            row["time_ratio_glassbox_over_interpret"] = row["glassbox"]["median_fit_s"] / row["interpret"]["median_fit_s"]
        results[name] = row
        print(name, {k: (round(v["mean_metric"], 5), round(v["median_fit_s"], 2)) for k, v in row.items()
                     if isinstance(v, dict)}, flush=True)
    write_results("ebm_defaults", {"settings": {"n_jobs": N_JOBS, "splits": args.splits, "test_size": 0.2},
                                   "results": results}, packages=("interpret-core",))


if __name__ == "__main__":
    main()
