"""Per-term score lookups of a fitted EBM (the eval_terms / decision_function hot path)."""
from cython.parallel cimport prange
from libc.stdint cimport int64_t, uint16_t


def gather_term_scores(
    const uint16_t[:, ::1] main,     # IN  (n_features, n_samples) main cells
    const uint16_t[:, ::1] pair,     # IN  (n_features, n_samples) pair-level cells
    const int64_t[::1] first,        # IN  (n_terms,) feature of a main term / first feature of a pair
    const int64_t[::1] second,       # IN  (n_terms,) second feature of a pair, -1 for a main term
    const int64_t[::1] width,        # IN  (n_terms,) cells of the second feature (pairs)
    const int64_t[::1] offsets,      # IN  (n_terms,) start of each term's table in `scores`
    const double[::1] scores,        # IN  every term's score table, flattened, K scores per cell
    double[:, :, ::1] out,           # OUT (n_samples, n_terms, K)
    int n_threads,
):
    """``out[i, t, :] = term_scores_[t][cell of row i]``, rows in parallel; pure copies, so
    sums taken afterwards are the same numbers whatever the thread count."""
    cdef Py_ssize_t n = out.shape[0], n_terms = out.shape[1], K = out.shape[2]
    cdef Py_ssize_t i, t, k, cell
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        for t in range(n_terms):
            if second[t] < 0:
                cell = main[first[t], i]
            else:
                cell = pair[first[t], i] * width[t] + pair[second[t], i]
            cell = offsets[t] + cell * K
            for k in range(K):
                out[i, t, k] = scores[cell + k]
