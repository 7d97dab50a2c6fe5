"""Per-term score lookups of a fitted EBM (the eval_terms / decision_function hot path)."""
from cython.parallel cimport prange
from libc.stdint cimport int64_t, uint8_t, uint16_t

ctypedef fused code_t:
    uint8_t
    uint16_t


def gather_term_scores(
    const code_t[:, ::1] main,       # IN  (n_features, n_rows) main cells, as the binner gives them
    Py_ssize_t start,                # IN  first row of the block: out[i] is row start + i
    const int64_t[::1] cell_map,     # IN  pair-level cell of every main cell, features concatenated
    const int64_t[::1] map_offsets,  # IN  (n_features,) start of each feature's part of cell_map
    const int64_t[::1] first,        # IN  (n_terms,) feature of a main term / first feature of a pair
    const int64_t[::1] second,       # IN  (n_terms,) second feature of a pair, -1 for a main term
    const int64_t[::1] width,        # IN  (n_terms,) cells of the second feature (pairs)
    const int64_t[::1] offsets,      # IN  (n_terms,) start of each term's table in `scores`
    const double[::1] scores,        # IN  every term's score table, flattened, K scores per cell
    double[:, :, ::1] out,           # OUT (n_block, n_terms, K)
    int n_threads,
):
    """``out[i, t, :] = term_scores_[t][cell of row start + i]``, rows in parallel; pure copies,
    so sums taken afterwards are the same numbers whatever the thread count. A pair term's
    cells are looked up from the main cells (``cell_map``), so pair-level codes are never
    materialised."""
    cdef Py_ssize_t n = out.shape[0], n_terms = out.shape[1], K = out.shape[2]
    cdef Py_ssize_t i, r, t, k, cell, f, g
    if start < 0 or start + n > main.shape[1]:
        raise ValueError("gather_term_scores: the block's rows lie outside `main`.")
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        r = start + i
        for t in range(n_terms):
            f = first[t]
            g = second[t]
            if g < 0:
                cell = main[f, r]
            else:
                cell = (cell_map[map_offsets[f] + main[f, r]] * width[t]
                        + cell_map[map_offsets[g] + main[g, r]])
            cell = offsets[t] + cell * K
            for k in range(K):
                out[i, t, k] = scores[cell + k]
