"""Background-averaged Shapley weights of leaf models (see glassbox/explain/_shapley.py)."""
from cython.parallel cimport prange

from libc.stdint cimport uint8_t, int64_t


def leaf_pair_weights(
    const uint8_t[:, ::1] sat_x,      # IN  (n_rows, n_pairs) row satisfies the pair's literals
    const uint8_t[::1] pattern_sat,   # IN  background patterns of every leaf, flattened (see below)
    const double[::1] pattern_weight, # IN  (n_patterns,) total background weight of each pattern
    const int64_t[::1] leaf_start,    # IN  (n_leaves + 1,) pairs of leaf L are leaf_start[L]:leaf_start[L+1]
    const int64_t[::1] pattern_start, # IN  (n_leaves + 1,) patterns of leaf L are pattern_start[L]:...[L+1]
    const int64_t[::1] pattern_offset,# IN  (n_leaves,) where leaf L's patterns begin in pattern_sat
    const double[:, ::1] coef_pos,    # IN  coef_pos[p, n] = (p-1)! n! / (p+n)!
    const double[:, ::1] coef_neg,    # IN  coef_neg[p, n] = p! (n-1)! / (p+n)!
    double[:, ::1] out,               # OUT (n_rows, n_pairs) zero-initialised
    int n_threads,
):
    """For every row and (leaf, feature) pair, the Shapley weight the pair's feature receives
    from its leaf, averaged over the background (multiply by the leaf value to get the
    contribution).

    A leaf only sees a background row through which of its pairs the row satisfies, so the
    background is given per leaf as its distinct patterns with their summed weights: pattern u
    of leaf L (length l = leaf_start[L+1] - leaf_start[L]) is
    ``pattern_sat[pattern_offset[L] + u * l : ... + l]``. Rows are split over threads; each row
    writes only its own line of ``out``.
    """
    cdef:
        Py_ssize_t n_rows = sat_x.shape[0]
        Py_ssize_t n_leaves = leaf_start.shape[0] - 1
        Py_ssize_t i, u, leaf, q, length
        int64_t start, stop, base
        int n_p, n_n
        bint blocked
        uint8_t sx, sb
        double c_pos, c_neg, w
    with nogil:
        for i in prange(n_rows, schedule="static", num_threads=n_threads):
            for leaf in range(n_leaves):
                start = leaf_start[leaf]
                stop = leaf_start[leaf + 1]
                length = stop - start
                for u in range(pattern_start[leaf + 1] - pattern_start[leaf]):
                    w = pattern_weight[pattern_start[leaf] + u]
                    base = pattern_offset[leaf] + u * length - start
                    n_p = 0
                    n_n = 0
                    blocked = False
                    for q in range(start, stop):
                        sx = sat_x[i, q]
                        sb = pattern_sat[base + q]
                        if sx and not sb:
                            n_p = n_p + 1
                        elif sb and not sx:
                            n_n = n_n + 1
                        elif not sx:
                            blocked = True  # neither row satisfies: the leaf never fires on a hybrid
                            break
                    if blocked or n_p + n_n == 0:
                        continue
                    c_pos = coef_pos[n_p, n_n] * w
                    c_neg = coef_neg[n_p, n_n] * w
                    for q in range(start, stop):
                        sx = sat_x[i, q]
                        sb = pattern_sat[base + q]
                        if sx and not sb:
                            out[i, q] += c_pos
                        elif sb and not sx:
                            out[i, q] -= c_neg
