# Bitsets over samples (or features) as arrays of uint64 words, shared by the
# optimal-tree and rule-list searches. Inline and nogil: callers own the memory.
from libc.stdint cimport uint64_t

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define GB_POPCOUNT64(x) __builtin_popcountll(x)
    #else
    static inline int GB_POPCOUNT64(unsigned long long x) {
        int c = 0; while (x) { x &= x - 1; ++c; } return c;
    }
    #endif
    """
    int GB_POPCOUNT64(uint64_t x) nogil


cdef inline Py_ssize_t n_words(Py_ssize_t n_bits) noexcept nogil:
    return (n_bits + 63) >> 6


cdef inline Py_ssize_t popcount(const uint64_t* a, Py_ssize_t nw) noexcept nogil:
    cdef Py_ssize_t i, c = 0
    for i in range(nw):
        c += GB_POPCOUNT64(a[i])
    return c


cdef inline Py_ssize_t and_popcount(const uint64_t* a, const uint64_t* b, Py_ssize_t nw) noexcept nogil:
    cdef Py_ssize_t i, c = 0
    for i in range(nw):
        c += GB_POPCOUNT64(a[i] & b[i])
    return c


cdef inline Py_ssize_t andnot_popcount(const uint64_t* a, const uint64_t* b, Py_ssize_t nw) noexcept nogil:
    """popcount(a & ~b)"""
    cdef Py_ssize_t i, c = 0
    for i in range(nw):
        c += GB_POPCOUNT64(a[i] & ~b[i])
    return c


cdef inline void and_into(uint64_t* out, const uint64_t* a, const uint64_t* b, Py_ssize_t nw) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(nw):
        out[i] = a[i] & b[i]


cdef inline void andnot_into(uint64_t* out, const uint64_t* a, const uint64_t* b, Py_ssize_t nw) noexcept nogil:
    """out = a & ~b"""
    cdef Py_ssize_t i
    for i in range(nw):
        out[i] = a[i] & ~b[i]
