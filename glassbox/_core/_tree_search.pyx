# distutils: language = c++
"""Branch-and-bound search for optimal sparse decision trees (see _tree_search.hpp).

One call runs the whole search under ``nogil``; Python only prepares the point
statistics and reads back the tree as three int32 arrays.
"""
import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libcpp cimport bool as cbool
from libcpp.vector cimport vector

cdef extern from "_tree_search.hpp" namespace "gbtree":
    cdef int UNLIMITED

    cdef cppclass SearchInput:
        int n_points
        int n_features
        int n_words
        int n_dims
        int task
        int n_values
        const uint64_t* columns
        const int64_t* indptr
        const int32_t* ones
        const double* stats
        double lam
        double min_samples_leaf
        int max_depth
        double time_limit
        double max_cache_bytes
        cbool similar_support
        cbool leaf_support
        double eps
        int n_slices
        const uint64_t* slice_masks
        const int32_t* slice_dim
        const double* slice_weight
        cbool derive_count

    cdef cppclass SearchOutput:
        vector[int32_t] feature
        vector[int32_t] left
        vector[int32_t] right
        double objective
        double lower_bound
        int status
        int64_t n_expansions
        int64_t n_distinct_expanded
        int64_t n_subtracted
        int64_t n_reused
        int64_t n_cache_entries
        int64_t n_cache_bytes
        double seconds

    void run_search(const SearchInput& inp, SearchOutput& out) nogil


cdef extern from "_tree_points.hpp" namespace "gbtree":
    int64_t c_distinct_rows "gbtree::distinct_rows"(
        const uint8_t* X, int64_t n, int64_t m, int64_t* inverse, int64_t* first) nogil


STATUS = {0: "optimal", 1: "time_limit", 2: "memory_limit"}


def distinct_rows(const uint8_t[:, ::1] X):
    """Point of every row of 0/1 matrix ``X`` and the first row of every point.

    Points are the distinct rows, numbered in order of first appearance.

    Returns
    -------
    inverse : ndarray of int64, shape (n_rows,)
    first : ndarray of int64, shape (n_points,)
    """
    cdef int64_t n = X.shape[0], m = X.shape[1]
    inverse = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] iv = inverse, fv = first
    cdef int64_t n_points = 0
    cdef uint8_t dummy = 0
    if n == 0:
        return inverse, first[:0]
    with nogil:
        n_points = c_distinct_rows(&X[0, 0] if m > 0 else &dummy, n, m, &iv[0], &fv[0])
    return inverse, first[:n_points]


def search_tree(
    const uint64_t[:, ::1] columns,   # IN (n_features, n_words)
    const int64_t[::1] indptr,        # IN (n_points + 1,)
    const int32_t[::1] ones,          # IN
    const double[:, ::1] stats,       # IN (n_points, n_dims)
    int task,
    int n_values,
    double lam,
    double min_samples_leaf,
    max_depth,
    double time_limit,
    double max_cache_bytes,
    bint similar_support=True,
    bint leaf_support=True,
    double eps=1e-12,
    const uint64_t[:, ::1] slice_masks=None,   # IN (n_words, n_slices)
    const int32_t[::1] slice_dim=None,          # IN (n_slices,)
    const double[::1] slice_weight=None,        # IN (n_slices,)
    bint derive_count=False,
):
    """Run the search; return a dict with the tree arrays, bounds (raw units) and statistics."""
    cdef SearchInput inp
    cdef SearchOutput out
    cdef uint64_t dummy_col = 0
    cdef int32_t dummy_one = 0
    inp.n_points = stats.shape[0]
    inp.n_features = columns.shape[0]
    inp.n_words = columns.shape[1]
    inp.n_dims = stats.shape[1]
    inp.task = task
    inp.n_values = n_values
    inp.columns = &columns[0, 0] if columns.shape[0] > 0 and columns.shape[1] > 0 else &dummy_col
    inp.indptr = &indptr[0]
    inp.ones = &ones[0] if ones.shape[0] > 0 else &dummy_one
    inp.stats = &stats[0, 0]
    inp.lam = lam
    inp.min_samples_leaf = min_samples_leaf
    inp.max_depth = UNLIMITED if max_depth is None else min(int(max_depth), UNLIMITED - 1)
    inp.time_limit = time_limit
    inp.max_cache_bytes = max_cache_bytes
    inp.similar_support = similar_support
    inp.leaf_support = leaf_support
    inp.eps = eps
    inp.n_slices = 0
    if slice_masks is not None and slice_masks.shape[1] > 0 and slice_masks.shape[0] > 0:
        inp.n_slices = slice_masks.shape[1]
        inp.slice_masks = &slice_masks[0, 0]
        inp.slice_dim = &slice_dim[0]
        inp.slice_weight = &slice_weight[0]
        inp.derive_count = derive_count
    with nogil:
        run_search(inp, out)
    n = out.feature.size()
    feature = np.empty(n, dtype=np.int32)
    left = np.empty(n, dtype=np.int32)
    right = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] fv = feature, lv = left, rv = right
    cdef size_t i
    for i in range(n):
        fv[i] = out.feature[i]
        lv[i] = out.left[i]
        rv[i] = out.right[i]
    return {
        "feature": feature,
        "left": left,
        "right": right,
        "objective": out.objective,
        "lower_bound": out.lower_bound,
        "status": STATUS[out.status],
        "n_expansions": out.n_expansions,
        "n_distinct_expanded": out.n_distinct_expanded,
        "n_subtracted": out.n_subtracted,
        "n_reused": out.n_reused,
        "n_cache_entries": out.n_cache_entries,
        "cache_bytes": out.n_cache_bytes,
        "search_seconds": out.seconds,
    }
