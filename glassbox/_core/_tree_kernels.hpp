// Popcount kernels of the optimal-tree search (see _tree_search.hpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace gbtree {

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define GB_HAVE_TARGET_POPCNT 1
#include <immintrin.h>
#endif

// Popcount pair counting: c[(i*na+j)*D + dim] for i <= j over the listed words of S.
// SA is word-major (SA[t*na + i] = word t of S & column i), so a word where S & column i
// is empty is skipped for every j at once; slices are stored sparsely per word
// (ptr/mk/sl: only nonzero mask words); acc is slice-major (acc[q*na + j]); qs lists the
// nq slices present in the listed words (the others count 0 and are skipped).
#define GB_POPCOUNT_PAIRS_BODY                                                          \
    for (int i = 0; i < na; ++i) {                                                      \
        for (int u = 0; u < nq; ++u)                                                    \
            for (int j = i; j < na; ++j) acc[(size_t)qs[u] * na + j] = 0;               \
        for (int t = 0; t < nz; ++t) {                                                  \
            const uint64_t* row = SA + (size_t)t * na;                                  \
            const uint64_t a = row[i];                                                  \
            if (!a) continue;                                                           \
            const int w = words[t];                                                     \
            for (int e = ptr[w]; e < ptr[w + 1]; ++e) {                                 \
                const uint64_t am = a & mk[e];                                          \
                if (!am) continue;                                                      \
                int64_t* aq = acc + (size_t)sl[e] * na;                                 \
                GB_POPCOUNT_ROW(am, row, aq, i, na)                                     \
            }                                                                           \
        }                                                                               \
        for (int j = i; j < na; ++j) {                                                  \
            double* c = C + ((size_t)i * na + j) * D;                                   \
            for (int k = 0; k < D; ++k) c[k] = 0.0;                                     \
            for (int u = 0; u < nq; ++u)                                                \
                c[dim[qs[u]]] += (double)acc[(size_t)qs[u] * na + j] * wt[qs[u]];       \
        }                                                                               \
    }

#define GB_POPCOUNT_PAIRS_ARGS                                                          \
    const uint64_t *SA, int na, int nz, const int *words, const int *ptr,               \
        const uint64_t *mk, const int *sl, const int *qs, int nq, const int32_t *dim,     \
        const double *wt, double *C, int D, int64_t *acc

// aq[j] += popcount(am & row[j]) for j in [i, na): the innermost loop
#define GB_POPCOUNT_ROW(am, row, aq, i, na) \
    for (int j = i; j < na; ++j) aq[j] += __builtin_popcountll(am & row[j]);

static void popcount_pairs_generic(GB_POPCOUNT_PAIRS_ARGS) { GB_POPCOUNT_PAIRS_BODY }

#ifdef GB_HAVE_TARGET_POPCNT
__attribute__((target("popcnt"))) static void popcount_pairs_hw(GB_POPCOUNT_PAIRS_ARGS) {
    GB_POPCOUNT_PAIRS_BODY
}

// The same with AVX-512 VPOPCNTQ: eight columns j per instruction (row and aq are
// contiguous in j), the scalar loop for the rest.
#undef GB_POPCOUNT_ROW
#define GB_POPCOUNT_ROW(am, row, aq, i, na)                                              \
    {                                                                                    \
        int j = i;                                                                       \
        const __m512i va = _mm512_set1_epi64((long long)(am));                           \
        for (; j + 8 <= na; j += 8) {                                                    \
            const __m512i r = _mm512_loadu_si512((const void*)((row) + j));              \
            const __m512i p = _mm512_popcnt_epi64(_mm512_and_si512(r, va));              \
            const __m512i s = _mm512_loadu_si512((const void*)((aq) + j));               \
            _mm512_storeu_si512((void*)((aq) + j), _mm512_add_epi64(s, p));              \
        }                                                                                \
        for (; j < na; ++j) (aq)[j] += __builtin_popcountll((am) & (row)[j]);            \
    }

__attribute__((target("popcnt,avx512f,avx512vpopcntdq"))) static void popcount_pairs_avx512(
    GB_POPCOUNT_PAIRS_ARGS) {
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

static inline bool cpu_has_avx512_popcnt() {
#ifdef GB_HAVE_TARGET_POPCNT
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
#else
    return false;
#endif
}

}  // namespace gbtree
