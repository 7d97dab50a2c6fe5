"""Thread count for the kernels: respects n_jobs, OMP_NUM_THREADS and the cores available."""
import os

from ._openmp cimport GB_OMP_MAX_THREADS


def effective_n_threads(n_jobs=None):
    """Number of threads a kernel should use for ``n_jobs`` (joblib semantics: -1 all, -2 all but one)."""
    n_cpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    max_threads = min(GB_OMP_MAX_THREADS(), n_cpu)
    if n_jobs is None or n_jobs == 0:
        return max_threads
    if n_jobs < 0:
        return max(1, max_threads + 1 + n_jobs)
    return max(1, min(n_jobs, max_threads))
