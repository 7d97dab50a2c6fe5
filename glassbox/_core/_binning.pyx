"""Map raw values to bin codes (the transform half of FeatureBinner)."""
from cython.parallel cimport prange
from libc.math cimport isnan

from .common cimport BINNED_t


def map_continuous(
    const double[:, :] values,       # IN  (n_samples, n_features) any strides
    const double[:] cuts,            # IN  concatenated cut points of the selected features
    const long[:] cut_offsets,       # IN  (n_selected + 1,) start of each feature's cuts in `cuts`
    const long[:] columns,           # IN  (n_selected,) column of `values` for each selected feature
    const long[:] rows_out,          # IN  (n_selected,) row of `out` to write for each selected feature
    BINNED_t[:, :] out,              # OUT (n_features_out, n_samples) column-major codes
    int n_threads,
):
    """Write ``1 + searchsorted(cuts, v, side='right')`` for each value, 0 for NaN.

    Work splits over (feature, block of rows) so that two threads help even
    when there is a single feature.
    """
    cdef:
        Py_ssize_t n_samples = values.shape[0]
        Py_ssize_t n_sel = columns.shape[0]
        Py_ssize_t block = 16384
        Py_ssize_t n_blocks = (n_samples + block - 1) // block
        Py_ssize_t task, j, b, i, start, stop, lo, hi, mid, c0, nc, col, row
        double v
    if n_samples == 0 or n_sel == 0:
        return
    for task in prange(n_sel * n_blocks, nogil=True, schedule="static", num_threads=n_threads):
        j = task // n_blocks
        b = task % n_blocks
        start = b * block
        stop = start + block
        if stop > n_samples:
            stop = n_samples
        c0 = cut_offsets[j]
        nc = cut_offsets[j + 1] - c0
        col = columns[j]
        row = rows_out[j]
        for i in range(start, stop):
            v = values[i, col]
            if isnan(v):
                out[row, i] = 0
                continue
            # first cut strictly greater than v
            lo = 0
            hi = nc
            while lo < hi:
                mid = (lo + hi) >> 1
                if cuts[c0 + mid] <= v:
                    lo = mid + 1
                else:
                    hi = mid
            out[row, i] = <BINNED_t>(lo + 1)


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
