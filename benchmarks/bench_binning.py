"""FeatureBinner.transform against scikit-learn's HistGradientBoosting bin mapper.

1,000,000 rows × 20 continuous columns (5 % missing), 255 value bins each, both
libraries on all cores; medians of repeated transforms of the same fitted binner,
each library's runs in one forked child. Writes benchmarks/results/binning.json.

    python -m benchmarks.bench_binning
"""
import statistics
import time

import numpy as np

from ._harness import run_isolated, write_results

N_ROWS, N_COLS, REPEAT = 1_000_000, 20, 7


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_ROWS, N_COLS))
    X[:, ::3] = np.round(X[:, ::3] * 10)  # some columns with ties
    X[rng.random(X.shape) < 0.05] = np.nan
    return X


def time_glassbox():
    from glassbox.preprocessing import FeatureBinner

    X = make_data()
    binner = FeatureBinner(max_bins=255).fit(X)
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        codes = binner.transform(X)
        times.append(time.perf_counter() - t0)
    return {"transform_s": times, "shape": list(codes.shape), "dtype": str(codes.dtype)}


def time_sklearn():
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper

    X = make_data()
    mapper = _BinMapper(n_bins=256).fit(X)  # 255 value bins + 1 missing bin
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        codes = mapper.transform(X)
        times.append(time.perf_counter() - t0)
    return {"transform_s": times, "shape": list(codes.shape), "dtype": str(codes.dtype)}


def main():
    results = {}
    for name, fn in (("glassbox", time_glassbox), ("sklearn_hgb", time_sklearn)):
        run = run_isolated(fn)
        if not run["ok"]:
            raise RuntimeError(run["error"])
        res = run["result"]
        res["median_transform_s"] = statistics.median(res["transform_s"])
        res["peak_rss_mb"] = run["peak_rss_mb"]
        results[name] = res
        print(f"{name:12s} median transform {res['median_transform_s']:.4f} s")
    ratio = results["glassbox"]["median_transform_s"] / results["sklearn_hgb"]["median_transform_s"]
    print(f"ratio glassbox / sklearn = {ratio:.3f}")
    write_results("binning", {
        "settings": {"rows": N_ROWS, "columns": N_COLS, "value_bins": 255, "missing": 0.05,
                     "repeat": REPEAT},
        "results": results,
        "ratio_glassbox_over_sklearn": ratio,
        "goal": "ratio <= 1.0",
    })


if __name__ == "__main__":
    main()
