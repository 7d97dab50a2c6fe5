"""Binning of continuous values at predict time, parallel over rows.

Same layout as ``glassbox.preprocessing.FeatureBinner``: cell 0 is missing (NaN), value cells
are ``1 + searchsorted(cuts, v, side="right")`` (a value equal to a cut goes up). The search is
branch-free: every column's cuts are padded with +inf to a power-of-two length ``widths[j]``.
"""
from cython.parallel cimport prange
from libc.stdint cimport int64_t, uint16_t


def bin_continuous(const double[:, :] values,       # IN (n_samples, n_columns), any strides
                   const double[::1] cuts,           # IN padded cut arrays, concatenated
                   const int64_t[::1] offsets,       # IN (n_columns,): start of column j's cuts
                   const int64_t[::1] widths,        # IN (n_columns,): padded length, a power of two
                   uint16_t[:, ::1] out,             # OUT (n_columns, n_samples)
                   int n_threads):
    """Cell of every value; NaN -> 0."""
    cdef Py_ssize_t n = values.shape[0], m = values.shape[1], i, j
    cdef int64_t pos, step, base
    cdef double v
    if out.shape[0] != m or out.shape[1] != n or offsets.shape[0] != m or widths.shape[0] != m:
        raise ValueError("bin_continuous: shapes do not match")
    for i in prange(n, nogil=True, schedule="static", num_threads=n_threads):
        for j in range(m):
            v = values[i, j]
            if v != v:
                out[j, i] = 0
            else:
                base = offsets[j]
                pos = 0
                step = widths[j] >> 1
                while step > 0:
                    pos = pos + step * (cuts[base + pos + step - 1] <= v)
                    step = step >> 1
                out[j, i] = <uint16_t>(1 + pos)
