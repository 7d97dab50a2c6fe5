"""Background-averaged Shapley weights of leaf models (see glassbox/explain/_shapley.py)."""
from cython.parallel cimport prange

from libc.stdint cimport uint8_t, int64_t


def leaf_pair_weights(
    const uint8_t[:, ::1] sat_x,      # IN  (n_rows, n_pairs) row satisfies the pair's literals
    const uint8_t[:, ::1] sat_bg,     # IN  (n_background, n_pairs) same for the background rows
    const double[::1] weight,         # IN  (n_background,) background weights, summing to 1
    const int64_t[::1] leaf_start,    # IN  (n_leaves + 1,) pairs of leaf L are leaf_start[L]:leaf_start[L+1]
    const double[:, ::1] coef_pos,    # IN  coef_pos[p, n] = (p-1)! n! / (p+n)!
    const double[:, ::1] coef_neg,    # IN  coef_neg[p, n] = p! (n-1)! / (p+n)!
    double[:, ::1] out,               # OUT (n_rows, n_pairs) zero-initialised
    int n_threads,
):
    """For every row and (leaf, feature) pair, the Shapley weight the pair's feature receives
    from its leaf, averaged over the background (multiply by the leaf value to get the
    contribution). Rows are split over threads; each row writes only its own line of ``out``.
    """
    cdef:
        Py_ssize_t n_rows = sat_x.shape[0]
        Py_ssize_t n_bg = sat_bg.shape[0]
        Py_ssize_t n_leaves = leaf_start.shape[0] - 1
        Py_ssize_t i, b, leaf, q
        int64_t start, stop
        int n_p, n_n
        bint blocked
        uint8_t sx, sb
        double c_pos, c_neg
    with nogil:
        for i in prange(n_rows, schedule="static", num_threads=n_threads):
            for b in range(n_bg):
                if weight[b] == 0:
                    continue
                for leaf in range(n_leaves):
                    start = leaf_start[leaf]
                    stop = leaf_start[leaf + 1]
                    n_p = 0
                    n_n = 0
                    blocked = False
                    for q in range(start, stop):
                        sx = sat_x[i, q]
                        sb = sat_bg[b, q]
                        if sx and not sb:
                            n_p = n_p + 1
                        elif sb and not sx:
                            n_n = n_n + 1
                        elif not sx:
                            blocked = True  # neither row satisfies: the leaf never fires on a hybrid
                            break
                    if blocked or n_p + n_n == 0:
                        continue
                    c_pos = coef_pos[n_p, n_n] * weight[b]
                    c_neg = coef_neg[n_p, n_n] * weight[b]
                    for q in range(start, stop):
                        sx = sat_x[i, q]
                        sb = sat_bg[b, q]
                        if sx and not sb:
                            out[i, q] += c_pos
                        elif sb and not sx:
                            out[i, q] -= c_neg
