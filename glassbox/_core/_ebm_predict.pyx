"""Binning of continuous values at predict time, parallel over rows.

Same layout as ``glassbox.preprocessing.FeatureBinner``: cell 0 is missing (NaN), value cells
are ``1 + searchsorted(cuts, v, side="right")`` (a value equal to a cut goes up). The search is
branch-free (every column's cuts are padded with +inf to a power-of-two length ``widths[j]``)
and runs four rows at a time, so the four chains of dependent loads overlap.
"""
from cython.parallel cimport prange
from libc.stdint cimport int64_t, uint16_t


cdef inline uint16_t _cell(const double* c, int64_t width, double v) noexcept nogil:
    cdef int64_t pos = 0, step = width >> 1
    if v != v:
        return 0
    while step > 0:
        pos = pos + step * (c[pos + step - 1] <= v)
        step = step >> 1
    return <uint16_t>(1 + pos)


def bin_continuous(const double[:, :] values,       # IN (n_samples, n_columns), any strides
                   const double[::1] cuts,           # IN padded cut arrays, concatenated
                   const int64_t[::1] offsets,       # IN (n_columns,): start of column j's cuts
                   const int64_t[::1] widths,        # IN (n_columns,): padded length, a power of two
                   uint16_t[:, ::1] out,             # OUT (n_columns, n_samples)
                   int n_threads):
    """Cell of every value; NaN -> 0."""
    cdef Py_ssize_t n = values.shape[0], m = values.shape[1], i, j, blk, n_blocks = n // 4
    cdef int64_t p0, p1, p2, p3, step, width
    cdef double v0, v1, v2, v3
    cdef const double* c
    if out.shape[0] != m or out.shape[1] != n or offsets.shape[0] != m or widths.shape[0] != m:
        raise ValueError("bin_continuous: shapes do not match")
    if m == 0 or n == 0:
        return
    # column by column: a DataFrame's values are usually column-major, and out is too
    for j in range(m):
        c = &cuts[offsets[j]]
        width = widths[j]
        for blk in prange(n_blocks, nogil=True, schedule="static", num_threads=n_threads):
            i = 4 * blk
            v0 = values[i, j]
            v1 = values[i + 1, j]
            v2 = values[i + 2, j]
            v3 = values[i + 3, j]
            p0 = 0
            p1 = 0
            p2 = 0
            p3 = 0
            step = width >> 1
            while step > 0:
                p0 = p0 + step * (c[p0 + step - 1] <= v0)
                p1 = p1 + step * (c[p1 + step - 1] <= v1)
                p2 = p2 + step * (c[p2 + step - 1] <= v2)
                p3 = p3 + step * (c[p3 + step - 1] <= v3)
                step = step >> 1
            # NaN compares false everywhere (p = 0); its cell is 0, not 1
            out[j, i] = 0 if v0 != v0 else <uint16_t>(1 + p0)
            out[j, i + 1] = 0 if v1 != v1 else <uint16_t>(1 + p1)
            out[j, i + 2] = 0 if v2 != v2 else <uint16_t>(1 + p2)
            out[j, i + 3] = 0 if v3 != v3 else <uint16_t>(1 + p3)
        for i in range(4 * n_blocks, n):
            out[j, i] = _cell(c, width, values[i, j])
