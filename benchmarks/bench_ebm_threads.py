"""Row-block parallelism inside one EBM bag: one bag on 1,000,000 rows, n_jobs=1 against n_jobs=2.

interpret parallelises only over bags, so a single bag (or fewer bags than cores) leaves cores
idle; glassbox gives the leftover threads to the row blocks of each pass. This measures the
speed-up on this machine and checks that the two models are bit-identical.

    ~/peers/bin/python -m benchmarks.bench_ebm_threads [--repeat 3] [--rows 1000000]

Each fit runs in its own forked child (benchmarks/_harness.py), the two settings alternate;
medians. Writes benchmarks/results/ebm_threads.json.
"""
import argparse
import statistics
import time

import numpy as np

from ._harness import run_isolated, write_results
from .bench_ebm import synthetic


def fit_once(n_rows, n_jobs):
    from glassbox.gam import ExplainableBoostingClassifier

    X, y = synthetic(n_rows, seed=0)
    est = ExplainableBoostingClassifier(outer_bags=1, interactions=2, n_jobs=n_jobs, random_state=0)
    t0 = time.perf_counter()
    est.fit(X, y)
    fit_s = time.perf_counter() - t0
    digest = float(sum(np.abs(s).sum() for s in est.term_scores_))
    return {"fit_s": fit_s, "steps": est.best_iteration_.ravel().tolist(), "digest": digest,
            "scores": [s.tolist() for s in est.term_scores_]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    runs = {1: [], 2: []}
    for _ in range(args.repeat):
        for n_jobs in (1, 2):
            r = run_isolated(fit_once, args.rows, n_jobs)
            runs[n_jobs].append(r)
            print(n_jobs, {k: v for k, v in r.get("result", r).items() if k != "scores"}, flush=True)
    ok = {j: [r for r in rs if r.get("ok")] for j, rs in runs.items()}
    summary = {}
    if ok[1] and ok[2]:
        t1 = statistics.median(r["result"]["fit_s"] for r in ok[1])
        t2 = statistics.median(r["result"]["fit_s"] for r in ok[2])
        summary = {
            "median_fit_s": {"n_jobs=1": t1, "n_jobs=2": t2},
            "speedup": t1 / t2,
            "bit_identical": all(r["result"]["scores"] == ok[1][0]["result"]["scores"] for r in ok[1] + ok[2]),
            "steps": ok[1][0]["result"]["steps"],
        }
        print(summary, flush=True)
    for rs in runs.values():
        for r in rs:
            r.get("result", {}).pop("scores", None)
    write_results("ebm_threads", {"settings": {"rows": args.rows, "outer_bags": 1, "interactions": 2,
                                               "repeat": args.repeat},
                                  "runs": {str(k): v for k, v in runs.items()}, "summary": summary})


if __name__ == "__main__":
    main()
