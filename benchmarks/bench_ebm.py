"""glassbox EBM vs interpret 0.7.8: fit time, accuracy, peak memory, predict throughput.

Run from the repository root with an interpreter that has both libraries:

    ~/peers/bin/python -m benchmarks.bench_ebm [--repeat N] [--cases adult,bikeshare,hr,synthetic]

Both libraries run with n_jobs=2 and the same settings, alternating run by run in one
invocation (glassbox, interpret, glassbox, ...) so that both see the same machine load. Each measured call runs in a fresh
Python process (not a fork: interpret's loky workers deadlock inside a forked child), and the
peak memory is the peak summed RSS of that process and all its children (interpret's workers),
sampled every 50 ms. Results go to benchmarks/results/ebm_<lib>.json and the combined
benchmarks/results/ebm.json.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import statistics
import subprocess
import sys
import threading

from ._harness import RESULTS_DIR, have, write_results

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


# interpret 0.7.8's default schedule, which glassbox shortens (docs/ebm.md)
INTERPRET_SCHEDULE = {
    "clf": dict(learning_rate=0.015, smoothing_rounds=75, interaction_smoothing_rounds=75, early_stopping_rounds=100),
    "reg": dict(learning_rate=0.04, smoothing_rounds=500, interaction_smoothing_rounds=100, early_stopping_rounds=100),
}

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


class _TreeRSS:
    """Peak summed RSS (MB) of this process and its descendants, sampled in a thread."""

    def __init__(self, every=0.05):
        import psutil

        self.proc, self.every, self.peak, self._stop = psutil.Process(), every, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            total = 0
            try:
                for p in [self.proc, *self.proc.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except Exception:
                        pass
            except Exception:
                pass
            self.peak = max(self.peak, total / 2**20)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _one(lib, case, params_json):
    """Child entry point: run one measured call and print its result as JSON."""
    params = json.loads(params_json)
    with _TreeRSS() as rss:
        t0 = time.perf_counter()
        out = predict_throughput(lib) if case == "predict" else run_case(lib, case, params)
        wall = time.perf_counter() - t0
    print("RESULT " + json.dumps({"ok": True, "result": out, "wall_s": wall, "peak_rss_mb": rss.peak},
                                 default=float))


def _run_once(lib, case, params, timeout):
    """One measured call in a fresh interpreter; adds the process tree's CPU seconds.

    ``cpu_s`` is the user + system time of the child and every descendant it reaped
    (interpret's worker processes included): unlike the wall time it hardly moves with the
    load other jobs put on a shared machine, so it is the steadier of the two figures.
    """
    import resource

    cmd = [sys.executable, "-m", "benchmarks.bench_ebm", "--one", lib, case, json.dumps(params)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {timeout} s"}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        return {"ok": False, "error": proc.stderr[-2000:]}
    run = json.loads(lines[-1][7:])
    run["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run["finished_utc"] = time.strftime("%H:%M:%S", time.gmtime())
    return run


def _summary(runs, key):
    """Medians like the shared harness, over the successful runs."""
    ok = [r for r in runs if r.get("ok")]
    summary = {"runs": runs, "n_ok": len(ok)}
    if ok:
        summary["median_" + key] = statistics.median(r["result"][key] for r in ok)
        summary["median_cpu_s"] = statistics.median(r["cpu_s"] for r in ok)
        summary["max_peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
        summary["result"] = ok[-1]["result"]
    return summary


def _summarise(results):
    """Ratios (glassbox / interpret) per case: of the medians, and the median of the ratios of
    runs made back to back (glassbox then interpret, same repeat index), which cancels most of
    the drift in machine load over a long run."""
    out = {}
    for case, libs in results.items():
        g, i = libs.get("glassbox", {}), libs.get("interpret", {})
        if not (g.get("n_ok") and i.get("n_ok")):
            continue
        key = "median_predict_s" if case == "predict" else "median_fit_s"
        inner = key[len("median_"):]
        paired = [a["result"][inner] / b["result"][inner] for a, b in zip(g["runs"], i["runs"])
                  if a.get("ok") and b.get("ok")]
        row = {"time_ratio_glassbox_over_interpret": g[key] / i[key],
               "paired_time_ratio_median": statistics.median(paired) if paired else None,
               "cpu_ratio_glassbox_over_interpret": (g["median_cpu_s"] / i["median_cpu_s"]
                                                     if "median_cpu_s" in g and "median_cpu_s" in i else None),
               "peak_rss_mb": {"glassbox": g["max_peak_rss_mb"], "interpret": i["max_peak_rss_mb"]},
               "glassbox": g["result"], "interpret": i["result"]}
        out[case] = row
    return out


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        _one(*sys.argv[2:])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--cases", default="adult,bikeshare,hr,synthetic,predict")
    ap.add_argument("--libs", default="glassbox,interpret",
                    help="run only these; results of each library go to results/ebm_<lib>.json and "
                         "results/ebm.json combines the latest runs of both")
    ap.add_argument("--interpret-schedule", action="store_true",
                    help="also run glassbox with interpret's schedule: learning rate, smoothing rounds and "
                         "early-stopping patience (0.015/75/75/100 clf, 0.04/500/100/100 reg)")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    libs = [lib for lib in args.libs.split(",") if lib == "glassbox" or have("interpret")]
    stored = {}
    for lib in libs:
        path = os.path.join(RESULTS_DIR, f"ebm_{lib}.json")
        stored[lib] = {}
        if os.path.exists(path):
            with open(path) as f:
                stored[lib] = json.load(f).get("results", {})
    for case in args.cases.split(","):
        # the libraries alternate run by run, so both see the same load (one run of the
        # harness, as the issue asks, not two runs minutes apart)
        repeat = 1 if case == "predict" else args.repeat
        key = "predict_s" if case == "predict" else "fit_s"
        settings = {} if case == "predict" else CASES[case]
        runs = {lib: [] for lib in libs}
        same_schedule = []
        for _ in range(repeat):
            for lib in libs:
                runs[lib].append(_run_once(lib, case, settings, args.timeout))
                if lib == "glassbox" and args.interpret_schedule and case != "predict":
                    same_schedule.append(_run_once("glassbox", case, dict(settings, **INTERPRET_SCHEDULE[
                        "reg" if case == "bikeshare" else "clf"]), args.timeout))
        for lib in libs:
            stored[lib][case] = _summary(runs[lib], key)
            print(case, lib, {k: v for k, v in stored[lib][case].items() if k != "runs"}, flush=True)
        if same_schedule:
            stored["glassbox"][case + "_interpret_schedule"] = _summary(same_schedule, key)
            print(case, "glassbox at interpret's schedule",
                  {k: v for k, v in stored["glassbox"][case + "_interpret_schedule"].items() if k != "runs"},
                  flush=True)
        for lib in libs:
            write_results(f"ebm_{lib}", {"settings": {"n_jobs": N_JOBS, "repeat": args.repeat, "cases": CASES},
                                         "results": stored[lib]}, packages=("interpret-core",))
    both = {}
    for lib in ("glassbox", "interpret"):
        path = os.path.join(RESULTS_DIR, f"ebm_{lib}.json")
        if os.path.exists(path):
            with open(path) as f:
                for case, r in json.load(f).get("results", {}).items():
                    both.setdefault(case, {})[lib] = r
    summary = _summarise(both)
    for case, row in summary.items():
        print(case, "time ratio", round(row["time_ratio_glassbox_over_interpret"], 4),
              "paired", row["paired_time_ratio_median"], "cpu ratio",
              row["cpu_ratio_glassbox_over_interpret"], flush=True)
    write_results("ebm", {"settings": {"n_jobs": N_JOBS, "cases": CASES}, "summary": summary},
                  packages=("interpret-core",))


if __name__ == "__main__":
    main()
