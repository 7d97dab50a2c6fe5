"""Shared runner for the benchmarks: isolated runs, medians, peak memory, result files.

Every measured call runs in a forked child process, so that its peak resident
memory (``ru_maxrss``) belongs to that call alone and a crash or a hang of a peer
cannot take the benchmark down. Run the benchmarks with an interpreter that has
both glassbox and the peers installed (see benchmarks/README.md); peers are
imported inside the functions that use them, never at module level.
"""
from __future__ import annotations

import datetime as _dt
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
import traceback
from importlib import metadata

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def _child(conn, fn, args, kwargs):
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send({"ok": True, "result": result, "wall_s": wall, "cpu_s": cpu,
                   "peak_rss_mb": rss_kb / 1024.0})
    except BaseException as exc:  # report, never hang the parent
        conn.send({"ok": False, "error": f"{type(exc).__name__}: {exc}",
                   "traceback": traceback.format_exc()})
    finally:
        conn.close()


def run_isolated(fn, *args, timeout=None, **kwargs):
    """Run ``fn(*args, **kwargs)`` in a forked child; return its result and measurements.

    ``fn`` may return a dict of its own timings (for instance ``{"fit_s": ...}``
    measured around the fit only); ``wall_s`` covers the whole call.
    On timeout the child is killed and ``{"ok": False, "error": "timeout"}`` is returned.
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    if parent.poll(timeout):
        out = parent.recv()
    else:
        proc.kill()
        out = {"ok": False, "error": f"timeout after {timeout} s"}
    proc.join()
    return out


def repeat_isolated(fn, *args, repeat=3, key="wall_s", timeout=None, **kwargs):
    """Run ``fn`` ``repeat`` times isolated; return the runs and the median of ``key``.

    ``key`` is looked up first in the run (``wall_s``, ``cpu_s``, ``peak_rss_mb``), then in
    the dict the function returned (for instance ``fit_s``).
    """
    runs = [run_isolated(fn, *args, timeout=timeout, **kwargs) for _ in range(repeat)]
    ok = [r for r in runs if r.get("ok")]

    def value(r):
        return r[key] if key in r else r["result"][key]

    summary = {"runs": runs, "n_ok": len(ok)}
    if ok:
        summary["median_" + key] = statistics.median(value(r) for r in ok)
        summary["max_peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
        summary["result"] = ok[-1]["result"]
    return summary


def machine_info():
    info = {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "processor": platform.processor(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["mem_total_kb"] = int(f.readline().split()[1])
        info["loadavg_at_start"] = os.getloadavg()
    except OSError:
        pass
    return info


def versions(*packages):
    out = {}
    for name in ("glassbox", "numpy", "scikit-learn", "pandas", *packages):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_results(name, payload, packages=()):
    """Write ``benchmarks/results/<name>.json`` with machine, versions and a timestamp."""
    os.makedirs(RESULTS_DIR, exist_ok=True)
    doc = {
        "benchmark": name,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
        "machine": machine_info(),
        "versions": versions(*packages),
        **payload,
    }
    path = os.path.join(RESULTS_DIR, f"{name}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, default=_json_default)
        f.write("\n")
    return path


def _json_default(obj):
    try:
        import numpy as np
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    except ImportError:
        pass
    return str(obj)


def have(module):
    """True when ``module`` imports (peers are optional)."""
    try:
        __import__(module)
        return True
    except Exception:
        return False
