"""glassbox EBM vs interpret 0.7.8: fit time, accuracy, peak memory, predict throughput.

Run from the repository root with an interpreter that has both libraries:

    ~/peers/bin/python -m benchmarks.bench_ebm [--repeat N] [--cases adult,bikeshare,hr,synthetic]

Both libraries run with n_jobs=2 and the same settings; each measured call runs in a forked
child (peak RSS per call). Results go to benchmarks/results/ebm.json.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from ._harness import have, repeat_isolated, write_results

SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "data")
N_JOBS = 2


def _estimator(lib, kind, **params):
    if lib == "interpret":
        from interpret.glassbox import ExplainableBoostingClassifier as C, ExplainableBoostingRegressor as R
    else:
        from glassbox.gam import ExplainableBoostingClassifier as C, ExplainableBoostingRegressor as R
    return (C if kind == "clf" else R)(n_jobs=N_JOBS, **params)


def _data(case):
    import pandas as pd

    if case == "adult":
        from glassbox.datasets import load_adult

        X, y = load_adult(split="train")
        Xt, yt = load_adult(split="test")
        return X, y, Xt, yt
    if case == "bikeshare":
        from glassbox.datasets import load_bikeshare

        X, y = load_bikeshare()
        rng = np.random.default_rng(0)
        idx = rng.permutation(len(X))
        cut = int(0.8 * len(X))
        return X.iloc[idx[:cut]], y.iloc[idx[:cut]], X.iloc[idx[cut:]], y.iloc[idx[cut:]]
    if case == "hr":
        tr = pd.read_csv(os.path.join(SHARED, "hr.csv.gz"), index_col=0)
        te = pd.read_csv(os.path.join(SHARED, "hr_test.csv.gz"), index_col=0)
        return tr.drop(columns="status"), tr["status"], te.drop(columns="status"), te["status"]
    if case == "synthetic":
        X, y = synthetic(1_000_000, seed=0)
        Xt, yt = synthetic(200_000, seed=1)
        return X, y, Xt, yt
    raise ValueError(case)


TRUE_PAIRS = [("x4", "x5"), ("x6", "x7")]


def synthetic(n, seed):
    """Binary task with a known additive logit: 8 mains, 2 of them pairs' members, 2 true pairs, 2 noise."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    X = rng.random((n, 10))
    logit = (1.5 * np.sin(2 * np.pi * X[:, 0]) + 2.0 * X[:, 1] ** 2 - 1.5 * X[:, 2] + np.exp(X[:, 3]) - 1.7
             + 0.5 * X[:, 4] - 0.5 * X[:, 6]
             + 6.0 * (X[:, 4] - 0.5) * (X[:, 5] - 0.5) * 4
             + 1.5 * np.where((X[:, 6] > 0.5) ^ (X[:, 7] > 0.5), 1.0, -1.0))
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(10)]), pd.Series(y, name="y")


def run_case(lib, case, params):
    from sklearn.metrics import log_loss, mean_squared_error, roc_auc_score

    X, y, Xt, yt = _data(case)
    kind = "reg" if case == "bikeshare" else "clf"
    est = _estimator(lib, kind, **params)
    t0 = time.perf_counter()
    est.fit(X, y)
    fit_s = time.perf_counter() - t0
    out = {"fit_s": fit_s, "n_terms": len(est.term_features_)}
    if case in ("adult", "synthetic"):
        t0 = time.perf_counter()
        p = est.predict_proba(Xt)[:, 1]
        out["predict_proba_s"] = time.perf_counter() - t0
        out["predict_rows"] = len(Xt)
        out["test_auc"] = float(roc_auc_score(np.asarray(yt) == est.classes_[1], p))
    elif case == "hr":
        out["test_log_loss"] = float(log_loss(yt, est.predict_proba(Xt), labels=est.classes_))
    else:
        out["test_rmse"] = float(np.sqrt(mean_squared_error(yt, est.predict(Xt))))
    if case == "synthetic":
        names = [str(n) for n in est.term_names_]
        pairs = [n for n in names if " & " in n]
        out["pairs"] = pairs
        out["true_pairs_found"] = all(f"{a} & {b}" in pairs for a, b in TRUE_PAIRS)
    return out


def predict_throughput(lib, n_rows=1_000_000):
    """predict_proba rows per second on 1,000,000 rows of the synthetic data (model: 1 bag, 100 rounds)."""
    X, y = synthetic(200_000, seed=2)
    Xt, _ = synthetic(n_rows, seed=3)
    est = _estimator("interpret" if lib == "interpret" else "glassbox", "clf", outer_bags=1, max_rounds=100,
                     interactions=[(4, 5), (6, 7)])
    est.fit(X, y)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        est.predict_proba(Xt)
        times.append(time.perf_counter() - t0)
    return {"predict_s": float(np.median(times)), "rows_per_s": float(n_rows / np.median(times))}


CASES = {
    "adult": {},
    "bikeshare": {},
    "hr": {},
    "synthetic": {"outer_bags": 2, "interactions": 2},
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cases", default="adult,bikeshare,hr,synthetic,predict")
    ap.add_argument("--same-lr", action="store_true",
                    help="also run glassbox with interpret's learning rates (0.015 clf / 0.04 reg)")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    libs = ["glassbox"] + (["interpret"] if have("interpret") else [])
    results = {}
    for case in args.cases.split(","):
        results[case] = {}
        for lib in libs:
            if case == "predict":
                r = repeat_isolated(predict_throughput, lib, repeat=1, key="predict_s", timeout=args.timeout)
            else:
                r = repeat_isolated(run_case, lib, case, CASES[case], repeat=args.repeat, key="fit_s",
                                    timeout=args.timeout)
            results[case][lib] = r
            print(case, lib, {k: v for k, v in r.items() if k != "runs"}, flush=True)
        if args.same_lr and case != "predict":
            lr = 0.04 if case == "bikeshare" else 0.015
            r = repeat_isolated(run_case, "glassbox", case, dict(CASES[case], learning_rate=lr),
                                repeat=args.repeat, key="fit_s", timeout=args.timeout)
            results[case]["glassbox_same_lr"] = r
            print(case, "glassbox_same_lr", {k: v for k, v in r.items() if k != "runs"}, flush=True)
        g, i = results[case].get("glassbox", {}), results[case].get("interpret", {})
        if g.get("n_ok") and i.get("n_ok"):
            key = "median_predict_s" if case == "predict" else "median_fit_s"
            results[case]["time_ratio_glassbox_over_interpret"] = g[key] / i[key]
            results[case]["peak_rss_mb"] = {"glassbox": g["max_peak_rss_mb"], "interpret": i["max_peak_rss_mb"]}
            print(case, "ratio", results[case]["time_ratio_glassbox_over_interpret"], flush=True)
    write_results("ebm", {"settings": {"n_jobs": N_JOBS, "repeat": args.repeat, "cases": CASES},
                          "results": results}, packages=("interpret-core",))


if __name__ == "__main__":
    main()
