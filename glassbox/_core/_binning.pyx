"""Map raw values to bin codes (the transform half of FeatureBinner)."""
from cython.parallel cimport prange
from libc.math cimport isnan

from .common cimport BINNED_t


cdef inline Py_ssize_t _bin_of(double v, const double* cuts, Py_ssize_t nc) noexcept nogil:
    """1 + index of the first cut strictly greater than v; 0 for NaN."""
    cdef Py_ssize_t base = 0, n = nc, half
    if isnan(v):
        return 0
    if nc == 0:
        return 1
    # Branch-free upper bound (the number of cuts <= v): the loop runs log2(nc) times
    # whatever v is, and the compiler turns the select into a conditional move,
    # which beats a mispredicted branch on random data.
    while n > 1:
        half = n >> 1
        base = base + half if cuts[base + half] <= v else base
        n -= half
    return base + (cuts[base] <= v) + 1


cdef inline void _bins_of4(const double* v, const double* cuts, Py_ssize_t nc,
                          Py_ssize_t* out) noexcept nogil:
    """``_bin_of`` for four values at once: four independent chains of loads overlap."""
    cdef Py_ssize_t b0 = 0, b1 = 0, b2 = 0, b3 = 0, n = nc, half
    if nc > 0:  # without cuts every value is in the one value bin (b = 0)
        while n > 1:
            half = n >> 1
            b0 = b0 + half if cuts[b0 + half] <= v[0] else b0
            b1 = b1 + half if cuts[b1 + half] <= v[1] else b1
            b2 = b2 + half if cuts[b2 + half] <= v[2] else b2
            b3 = b3 + half if cuts[b3 + half] <= v[3] else b3
            n -= half
        b0 += cuts[b0] <= v[0]
        b1 += cuts[b1] <= v[1]
        b2 += cuts[b2] <= v[2]
        b3 += cuts[b3] <= v[3]
    out[0] = 0 if isnan(v[0]) else b0 + 1
    out[1] = 0 if isnan(v[1]) else b1 + 1
    out[2] = 0 if isnan(v[2]) else b2 + 1
    out[3] = 0 if isnan(v[3]) else b3 + 1


def map_continuous(
    const double[:, :] values,       # IN  (n_samples, n_features) C- or F-ordered
    const double[::1] cuts,          # IN  concatenated cut points of the selected features
    const long[::1] cut_offsets,     # IN  (n_selected + 1,) start of each feature's cuts in `cuts`
    const long[::1] columns,         # IN  (n_selected,) column of `values` for each selected feature
    const long[::1] rows_out,        # IN  (n_selected,) row of `out` to write for each selected feature
    BINNED_t[:, ::1] out,            # OUT (n_features_out, n_samples) column-major codes
    int n_threads,
):
    """Write ``1 + searchsorted(cuts, v, side='right')`` for each value, 0 for NaN.

    Work splits over blocks of rows; within a block, four rows of one feature are
    searched together (their chains of dependent loads overlap).
    """
    cdef:
        Py_ssize_t n_samples = values.shape[0]
        Py_ssize_t n_sel = columns.shape[0]
        Py_ssize_t block = 8192
        Py_ssize_t n_blocks = (n_samples + block - 1) // block
        Py_ssize_t row_stride = values.strides[0] // sizeof(double)
        Py_ssize_t col_stride = values.strides[1] // sizeof(double)
        const double* base
        Py_ssize_t b, j, start, stop
    if n_samples == 0 or n_sel == 0:
        return
    base = &values[0, 0]
    for b in prange(n_blocks, nogil=True, schedule="static", num_threads=n_threads):
        start = b * block
        stop = start + block
        if stop > n_samples:
            stop = n_samples
        for j in range(n_sel):
            _map_span(base + columns[j] * col_stride, row_stride, &cuts[cut_offsets[j]],
                      cut_offsets[j + 1] - cut_offsets[j], &out[rows_out[j], 0], start, stop)


cdef inline void _map_span(const double* col, Py_ssize_t stride, const double* cuts, Py_ssize_t nc,
                           BINNED_t* out, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef Py_ssize_t i = start, k
    cdef double v[4]
    cdef Py_ssize_t bins[4]
    while i + 4 <= stop:
        for k in range(4):
            v[k] = col[(i + k) * stride]
        _bins_of4(v, cuts, nc, bins)
        for k in range(4):
            out[i + k] = <BINNED_t>bins[k]
        i += 4
    while i < stop:
        out[i] = <BINNED_t>_bin_of(col[i * stride], cuts, nc)
        i += 1
