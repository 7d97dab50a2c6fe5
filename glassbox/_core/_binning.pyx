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

    Work splits over blocks of rows. Within a block the loop order follows the
    memory order of ``values`` (column by column for F-ordered input, row by
    row for C-ordered input) so reads stay sequential either way.
    """
    cdef:
        Py_ssize_t n_samples = values.shape[0]
        Py_ssize_t n_sel = columns.shape[0]
        Py_ssize_t block = 8192
        Py_ssize_t n_blocks = (n_samples + block - 1) // block
        Py_ssize_t row_stride = values.strides[0] // sizeof(double)
        Py_ssize_t col_stride = values.strides[1] // sizeof(double)
        bint feature_major = row_stride == 1
        const double* base
        Py_ssize_t b, i, j, start, stop
    if n_samples == 0 or n_sel == 0:
        return
    base = &values[0, 0]
    for b in prange(n_blocks, nogil=True, schedule="static", num_threads=n_threads):
        start = b * block
        stop = start + block
        if stop > n_samples:
            stop = n_samples
        if feature_major:
            for j in range(n_sel):
                _map_span(base + columns[j] * col_stride, 1, &cuts[cut_offsets[j]],
                          cut_offsets[j + 1] - cut_offsets[j], &out[rows_out[j], 0], start, stop)
        else:
            for i in range(start, stop):
                for j in range(n_sel):
                    out[rows_out[j], i] = <BINNED_t>_bin_of(
                        base[i * row_stride + columns[j] * col_stride],
                        &cuts[cut_offsets[j]], cut_offsets[j + 1] - cut_offsets[j])


cdef inline void _map_span(const double* col, Py_ssize_t stride, const double* cuts, Py_ssize_t nc,
                           BINNED_t* out, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(start, stop):
        out[i] = <BINNED_t>_bin_of(col[i * stride], cuts, nc)


def map_codes(
    const long[:] codes,             # IN  (n_samples,) category index (-1: missing or unseen)
    const unsigned char[:] missing,  # IN  (n_samples,) 1 where the value is missing
    const long[:] code_to_bin,       # IN  (n_categories,) bin of each category index
    long unseen_bin,
    BINNED_t[:] out,                 # OUT (n_samples,)
):
    """Bins of a categorical column: 0 missing, ``code_to_bin[c]`` seen, ``unseen_bin`` otherwise."""
    cdef Py_ssize_t i, n = codes.shape[0]
    cdef long c
    with nogil:
        for i in range(n):
            if missing[i]:
                out[i] = 0
            else:
                c = codes[i]
                out[i] = <BINNED_t>(code_to_bin[c] if c >= 0 else unseen_bin)
