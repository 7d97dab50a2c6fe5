// Popcount kernels of the optimal-tree search (see _tree_search.hpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace gbtree {

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define GB_HAVE_TARGET_POPCNT 1
#endif

// Popcount pair counting: c[(i*na+j)*D + dim] for i <= j over the listed words of S.
// Slices are stored sparsely per word (ptr/mk/sl: only nonzero mask words).
#define GB_POPCOUNT_PAIRS_BODY                                                          \
    for (int i = 0; i < na; ++i) {                                                      \
        const uint64_t* A = SA + (size_t)i * nz;                                        \
        for (int j = i; j < na; ++j) {                                                  \
            const uint64_t* B = SA + (size_t)j * nz;                                    \
            for (int q = 0; q < ns; ++q) acc[q] = 0;                                    \
            for (int t = 0; t < nz; ++t) {                                              \
                const uint64_t x = A[t] & B[t];                                         \
                if (!x) continue;                                                       \
                const int w = words[t];                                                 \
                for (int e = ptr[w]; e < ptr[w + 1]; ++e)                               \
                    acc[sl[e]] += __builtin_popcountll(x & mk[e]);                      \
            }                                                                           \
            double* c = C + ((size_t)i * na + j) * D;                                   \
            for (int k = 0; k < D; ++k) c[k] = 0.0;                                     \
            for (int q = 0; q < ns; ++q) c[dim[q]] += (double)acc[q] * wt[q];            \
        }                                                                               \
    }

#define GB_POPCOUNT_PAIRS_ARGS                                                          \
    const uint64_t *SA, int na, int nz, const int *words, const int *ptr,               \
        const uint64_t *mk, const int *sl, int ns, const int32_t *dim, const double *wt, \
        double *C, int D, int64_t *acc

static void popcount_pairs_generic(GB_POPCOUNT_PAIRS_ARGS) { GB_POPCOUNT_PAIRS_BODY }

#ifdef GB_HAVE_TARGET_POPCNT
__attribute__((target("popcnt"))) static void popcount_pairs_hw(GB_POPCOUNT_PAIRS_ARGS) {
    GB_POPCOUNT_PAIRS_BODY
}
#endif

static inline bool cpu_has_popcnt() {
#ifdef GB_HAVE_TARGET_POPCNT
    return __builtin_cpu_supports("popcnt");
#else
    return false;
#endif
}

}  // namespace gbtree
