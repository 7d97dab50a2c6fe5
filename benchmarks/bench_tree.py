"""Optimal sparse trees: glassbox against gosdt 1.0.4, pystreed 1.4.0 and FastSmallTree.

Every tool gets the same 0/1 matrix; each fit runs in a forked child (peak RSS is
that fit's), and the objective of every returned tree is recomputed the same way
from its training predictions: misclassification rate + lambda * leaves.

Sections (run one or all; each writes benchmarks/results/tree_<section>.json):

* ``depth``: COMPAS (ProPublica filter) and Adult (train split) binarized with 40
  boosted stumps; lambda in {0.01, 0.005, 0.001, 0.0005} x depth in {3, 4, 5, 6};
  glassbox vs gosdt (``depth_budget=d``) vs pystreed (cost-complex-accuracy).
* ``hard``: finer thresholds (COMPAS: 100 boosted depth-3 trees, 91 binary
  features; Adult: 8 quantile thresholds per column, 129 binary features), d=5,
  lambda=0.0005, every tool capped at 60 s.
* ``suite``: no depth limit on ../shared/data/trees (tic-tac-toe one-hot encoded),
  lambda in {0.02, 0.01, 0.005}: glassbox (``max_depth=None``) vs imodels'
  FastSmallTreeClassifier (its search time ``time_``, numba compilation excluded);
  the two tools alternate run by run so that they share the machine's load.

    python -m benchmarks.bench_tree [depth|hard|suite] [--repeat 3]
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import time

import numpy as np
import pandas as pd

from ._harness import run_isolated as _run_isolated
from ._harness import write_results

LAMBDAS_DEPTH = (0.01, 0.005, 0.001, 0.0005)
DEPTHS = (3, 4, 5, 6)
LAMBDAS_SUITE = (0.02, 0.01, 0.005)
TREES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                         "data", "trees")


# ------------------------------------------------------------------ data
def binarized(name, **binarizer_params):
    """(Xb DataFrame of 0/1 uint8, y int array) for COMPAS or the Adult train split."""
    from glassbox.datasets import load_adult, load_compas
    from glassbox.preprocessing import FeatureBinarizer

    X, y = load_compas() if name == "compas" else load_adult(split="train")
    y = pd.factorize(pd.Series(y), sort=True)[0].astype(np.int64)
    b = FeatureBinarizer(random_state=0, **binarizer_params).fit(X, y)
    Xb = b.transform(X)
    cols = [f"b{k}" for k in range(Xb.shape[1])]
    return pd.DataFrame(Xb, columns=cols), y


def suite_data(path):
    df = pd.read_csv(path)
    X = df.iloc[:, :-1]
    if not all(pd.api.types.is_numeric_dtype(t) for t in X.dtypes):
        X = pd.get_dummies(X.astype(str))          # tic-tac-toe: x / o / b per square
    X = X.astype(np.uint8)
    X.columns = [f"b{k}" for k in range(X.shape[1])]
    y = pd.factorize(df.iloc[:, -1], sort=True)[0].astype(np.int64)
    return X, y


def objective(pred, y, lam, n_leaves):
    return float(np.mean(np.asarray(pred) != y) + lam * n_leaves)


# ------------------------------------------------------------ one fit each
def fit_glassbox(X, y, lam, depth, time_limit=60.0):
    import warnings

    from glassbox.tree import OptimalSparseTreeClassifier

    m = OptimalSparseTreeClassifier(regularization=lam, max_depth=depth, time_limit=time_limit,
                                    max_cache_mb=1024)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        m.fit(X, y)
        fit_s = time.perf_counter() - t0
    return {"fit_s": fit_s, "search_s": m.search_stats_["search_seconds"],
            "objective": objective(m.predict(X), y, lam, m.n_leaves_),
            "reported_objective": m.objective_, "lower_bound": m.lower_bound_,
            "certified": m.optimality_gap_ == 0.0, "n_leaves": m.n_leaves_, "depth": m.depth_,
            "n_expansions": m.search_stats_["n_expansions"],
            "cache_entries": m.search_stats_["n_cache_entries"]}


def _patch_gosdt():
    """gosdt 1.0.4 passes force_all_finite, which scikit-learn >= 1.8 rejects: drop it."""
    import gosdt._classifier as gc

    def drop(f):
        def call(*args, **kwargs):
            kwargs.pop("force_all_finite", None)
            return f(*args, **kwargs)
        return call

    if not getattr(gc, "_glassbox_patched", False):
        gc.check_array = drop(gc.check_array)
        gc.check_X_y = drop(gc.check_X_y)
        gc._glassbox_patched = True


def _cap_memory(gb=8):
    """Cap this (forked) child's address space: gosdt reached 24 GB on Adult and was OOM-killed."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (gb << 30, gb << 30))


def fit_gosdt(X, y, lam, depth, time_limit=60):
    _cap_memory()
    _patch_gosdt()
    from gosdt import GOSDTClassifier

    m = GOSDTClassifier(regularization=lam, depth_budget=depth, time_limit=time_limit,
                        allow_small_reg=True)
    t0 = time.perf_counter()
    m.fit(X, y)
    fit_s = time.perf_counter() - t0
    n_leaves = m.result_.model.count('"prediction"')
    status = str(m.result_.status)
    return {"fit_s": fit_s, "search_s": float(m.result_.time),
            "objective": objective(m.predict(X), y, lam, n_leaves),
            "lower_bound": float(m.result_.lowerbound), "certified": status.endswith("CONVERGED"),
            "status": status, "n_leaves": n_leaves}


def fit_pystreed(X, y, lam, depth, time_limit=60):
    from pystreed import STreeDClassifier

    m = STreeDClassifier(optimization_task="cost-complex-accuracy", cost_complexity=lam,
                         max_depth=depth, time_limit=time_limit)
    t0 = time.perf_counter()
    m.fit(X, y)
    fit_s = time.perf_counter() - t0
    n_leaves = int(m.get_n_leaves())
    return {"fit_s": fit_s, "objective": objective(m.predict(X), y, lam, n_leaves),
            "certified": bool(m.fit_result.is_optimal()), "n_leaves": n_leaves}


def fit_fst(X, y, lam, time_limit=60.0):
    from imodels import FastSmallTreeClassifier

    m = FastSmallTreeClassifier(regularization=lam, time_limit=time_limit)
    t0 = time.perf_counter()
    m.fit(X, y)
    fit_s = time.perf_counter() - t0
    return {"fit_s": fit_s, "search_s": float(m.time_),
            "objective": objective(m.predict(X), y, lam, int(m.n_leaves_)),
            "lower_bound": float(m.lowerbound_), "certified": bool(m.optimal_),
            "n_leaves": int(m.n_leaves_), "iterations": int(getattr(m, "iterations_", -1))}


def warm_fst():
    """Compile (or load) FastSmallTree's numba code once, before the children fork."""
    from imodels import FastSmallTreeClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame((rng.random((60, 4)) < 0.5).astype(np.uint8), columns=list("abcd"))
    FastSmallTreeClassifier(regularization=0.05, time_limit=60).fit(X, (X.a ^ X.b).to_numpy())


# --------------------------------------------------------------- sections
def run_isolated(fn, *args, timeout=None):
    """The harness's isolated run, reporting a child that died (e.g. killed) as an error."""
    try:
        return _run_isolated(fn, *args, timeout=timeout)
    except EOFError:
        return {"ok": False, "error": "the child process died without a result (killed?)"}


def repeat_isolated(fn, *args, repeat, key, timeout=None):
    return _summarise([run_isolated(fn, *args, timeout=timeout) for _ in range(repeat)], key,
                      flatten=False)


def _interleaved(calls, repeat, key, timeout):
    """Run every tool once per round, ``repeat`` rounds, so they share the machine's load."""
    runs = {name: [] for name in calls}
    for _ in range(repeat):
        for name, (fn, args) in calls.items():
            runs[name].append(run_isolated(fn, *args, timeout=timeout))
    return {name: _summarise(r, key) for name, r in runs.items()}


def _summarise(runs, key, flatten=True):
    ok = [r for r in runs if r.get("ok")]
    out = {"runs": runs, "n_ok": len(ok)}
    if ok:
        def value(r):
            return r[key] if key in r else r["result"][key]
        out["median_" + key] = statistics.median(value(r) for r in ok)
        out["max_peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
        out["result"] = ok[-1]["result"]
    return _flatten(out, key) if flatten else out


def _measure(fn, *args, repeat, key="fit_s", timeout=None):
    return _flatten(repeat_isolated(fn, *args, repeat=repeat, key=key, timeout=timeout), key)


def _flatten(out, key):
    res = dict(out.get("result", {}))
    res["n_ok"] = out["n_ok"]
    if out["n_ok"]:
        res["median_" + key] = out["median_" + key]
        res["median_wall_s"] = statistics.median(r["wall_s"] for r in out["runs"] if r.get("ok"))
        res["peak_rss_mb"] = out["max_peak_rss_mb"]
    else:
        res["error"] = out["runs"][0].get("error")
    return res


def _row(setting, tools):
    g = tools["glassbox"]
    row = dict(setting, **{name: r for name, r in tools.items()})
    objs = {n: r.get("objective") for n, r in tools.items() if r.get("n_ok")}
    row["same_objective"] = (len(objs) == len(tools) and
                             max(objs.values()) - min(objs.values()) <= 1e-9)
    for name, r in tools.items():
        if name != "glassbox" and r.get("n_ok") and g.get("n_ok"):
            key = "median_search_s" if "median_search_s" in r else "median_fit_s"
            gkey = "median_search_s" if key == "median_search_s" else "median_fit_s"
            row[f"ratio_vs_{name}"] = g[gkey] / max(r[key], 1e-12)
    return row


def section_depth(repeat):
    rows = []
    for name in ("compas", "adult"):
        X, y = binarized(name, n_estimators=40, max_depth=1)
        for lam in LAMBDAS_DEPTH:
            for d in DEPTHS:
                tools = {
                    "glassbox": _measure(fit_glassbox, X, y, lam, d, repeat=repeat, timeout=300),
                    "pystreed": _measure(fit_pystreed, X, y, lam, d, repeat=repeat, timeout=300),
                    "gosdt": _measure(fit_gosdt, X, y, lam, d, repeat=repeat, timeout=300),
                }
                row = _row({"data": name, "shape": list(X.shape), "lambda": lam, "depth": d}, tools)
                rows.append(row)
                _print(row, ("pystreed", "gosdt"))
    return {"settings": rows, "summary": _summary(rows, ("pystreed", "gosdt"))}


def section_hard(repeat):
    rows = []
    for name, params in (("compas", dict(n_estimators=100, max_depth=3)),
                         ("adult", dict(thresholds="quantile", n_quantiles=8))):
        X, y = binarized(name, **params)
        lam, d = 0.0005, 5
        tools = {
            "glassbox": _measure(fit_glassbox, X, y, lam, d, repeat=repeat, timeout=150),
            "pystreed": _measure(fit_pystreed, X, y, lam, d, repeat=repeat, timeout=150),
            "gosdt": _measure(fit_gosdt, X, y, lam, d, repeat=repeat, timeout=150),
        }
        row = _row({"data": name, "binarizer": params, "shape": list(X.shape), "lambda": lam,
                    "depth": d, "time_limit_s": 60}, tools)
        rows.append(row)
        _print(row, ("pystreed", "gosdt"))
    return {"settings": rows}


def section_suite(repeat):
    warm_fst()
    rows = []
    for path in sorted(glob.glob(os.path.join(TREES_DIR, "*.csv.gz"))):
        if "corels" in os.path.basename(path):
            continue
        X, y = suite_data(path)
        for lam in LAMBDAS_SUITE:
            tools = _interleaved({"glassbox": (fit_glassbox, (X, y, lam, None, 30.0)),
                                  "fast_small_tree": (fit_fst, (X, y, lam, 60.0))},
                                 repeat, "search_s", 120)
            name = os.path.basename(path).replace(".csv.gz", "")
            row = _row({"data": name, "shape": list(X.shape), "lambda": lam}, tools)
            rows.append(row)
            _print(row, ("fast_small_tree",))
    return {"settings": rows, "summary": _summary(rows, ("fast_small_tree",))}


def _summary(rows, peers):
    out = {"n_settings": len(rows), "all_same_objective": all(r["same_objective"] for r in rows),
           "glassbox_all_certified": all(r["glassbox"].get("certified") for r in rows)}
    for p in peers:
        ratios = [r[f"ratio_vs_{p}"] for r in rows if f"ratio_vs_{p}" in r]
        if ratios:
            out[f"max_ratio_vs_{p}"] = max(ratios)
            out[f"median_ratio_vs_{p}"] = statistics.median(ratios)
    return out


def _print(row, peers):
    g = row["glassbox"]
    parts = [f"{row['data']:>14} lam={row['lambda']:<7} d={row.get('depth')}",
             f"gb {g.get('objective', float('nan')):.6f} {g.get('median_fit_s', g.get('median_search_s', float('nan'))):.4f}s"]
    for p in peers:
        r = row[p]
        parts.append(f"{p} {r.get('objective', float('nan')):.6f} "
                     f"{r.get('median_search_s', r.get('median_fit_s', float('nan'))):.4f}s "
                     f"ratio {row.get(f'ratio_vs_{p}', float('nan')):.3f}")
    print(" | ".join(parts), "same" if row["same_objective"] else "DIFF", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sections", nargs="*", default=["depth", "hard", "suite"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sections = {"depth": section_depth, "hard": section_hard, "suite": section_suite}
    for name in args.sections:
        payload = sections[name](args.repeat)
        payload["repeat"] = args.repeat
        path = write_results(f"tree_{name}", payload,
                             packages=("gosdt", "pystreed", "imodels", "numba"))
        print("wrote", path)


if __name__ == "__main__":
    main()
