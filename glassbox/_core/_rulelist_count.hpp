// Weighted counts of captured sample groups for the optimal rule-list search.
//
// The search works on groups of identical training rows ("points"). A capture is a bitset
// over groups; what the bounds need is, for a captured set S, the weight of every class in S
// and the weight of the group-wise majority ("maj": sum over groups of their largest class
// weight, so that eqmin(S) = total(S) - maj(S)). Those are n_classes + 1 "tables".
//
// Integer weights (the usual case: no sample_weight, or integer ones) are stored as bit
// planes: table t is  sum_b 2^b * popcount(S & plane_{t,b}).  Groups are sorted by weight, so
// the high planes are short prefixes; the planes are flattened to one entry per non-zero word.
// Real-valued weights, and captured sets with few groups, sum the weights of the set bits.
//
// The kernel evaluates every candidate rule against one uncaptured set U in a single call so
// that the popcount dispatch (below) is paid once per search node, not once per rule.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
// Runtime dispatch (ifunc): the popcnt instruction when the CPU has it, portable code otherwise.
#define GB_RL_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define GB_RL_CLONES
#endif

struct RLTables {
    int n_tables;                 // n_classes + 1 (classes, then maj)
    int n_words;                  // words per group bitset
    int integral;                 // 1: bit planes, 0: float weights per group
    const double* group_weight;   // (n_groups, n_tables) row-major (both modes)
    // Bit planes flattened to one entry per non-zero word, grouped by table:
    // table t = sum over e in [table_entry_start[t], table_entry_start[t+1]) of
    //           popcount(S[ent_word[e]] & ent_bits[e]) << ent_shift[e].
    const uint64_t* ent_bits;
    const int32_t* ent_word;
    const int32_t* ent_shift;
    const int64_t* table_entry_start;  // (n_tables + 1,)
};

static inline double gb_rl_now() {
    return std::chrono::duration<double>(
        std::chrono::steady_clock::now().time_since_epoch()).count();
}

static inline int gb_rl_ctz(uint64_t x) { return __builtin_ctzll(x); }

// out[i * n_tables + t] = table t summed over U & caps[rule_ids[i]] for i < n_rules.
// The last table (maj, the sum of group-wise largest class weights) is computed first: when
// it is below ``skip_below`` no class can reach it either, the rule cannot be used in this
// state, and its other tables are left at 0.
GB_RL_CLONES
static void gb_rl_rule_pass(const RLTables* tb, const uint64_t* U, const uint64_t* caps,
                            const int32_t* rule_ids, int n_rules, double* out, uint64_t* S,
                            double skip_below) {
    const int W = tb->n_words;
    const int T = tb->n_tables;
    for (int i = 0; i < n_rules; ++i) {
        const uint64_t* cap = caps + (int64_t)rule_ids[i] * W;
        uint64_t any = 0;
        for (int w = 0; w < W; ++w) {
            S[w] = U[w] & cap[w];
            any |= S[w];
        }
        double* o = out + (int64_t)i * T;
        for (int t = 0; t < T; ++t) o[t] = 0.0;
        if (!any) continue;
        int64_t n_set = 0;
        if (tb->integral)
            for (int w = 0; w < W; ++w) n_set += __builtin_popcountll(S[w]);
        if (!tb->integral || 2 * n_set * T < tb->table_entry_start[T]) {
            // few captured groups (deep in the search): add their weight rows directly
            for (int w = 0; w < W; ++w) {
                uint64_t x = S[w];
                while (x) {
                    const double* gw = tb->group_weight + ((int64_t)w * 64 + gb_rl_ctz(x)) * T;
                    for (int t = 0; t < T; ++t) o[t] += gw[t];
                    x &= x - 1;
                }
            }
            if (o[T - 1] < skip_below)
                for (int t = 0; t < T - 1; ++t) o[t] = 0.0;
            continue;
        }
        // maj first (last table): rules that cannot reach skip_below stop here
        int64_t acc = 0;
        for (int64_t e = tb->table_entry_start[T - 1]; e < tb->table_entry_start[T]; ++e)
            acc += (int64_t)__builtin_popcountll(S[tb->ent_word[e]] & tb->ent_bits[e])
                   << tb->ent_shift[e];
        o[T - 1] = (double)acc;
        if (o[T - 1] < skip_below) continue;
        for (int t = 0; t < T - 1; ++t) {
            acc = 0;
            for (int64_t e = tb->table_entry_start[t]; e < tb->table_entry_start[t + 1]; ++e)
                acc += (int64_t)__builtin_popcountll(S[tb->ent_word[e]] & tb->ent_bits[e])
                       << tb->ent_shift[e];
            o[t] = (double)acc;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Blocked kernel: eight rules at a time, one 64-bit lane per rule (AVX-512 VPOPCNTQ).
//
// The captures of the rules a search evaluates at every node are stored transposed in
// blocks of eight: capsT[(b * W + w) * 8 + lane] = word w of rule 8b + lane (zero padding).
// Each bit-plane entry is then one AND, one POPCNT, one shift and one add for eight rules.
// Integer weights only; the caller falls back to gb_rl_rule_pass otherwise.

struct RLBlocked {
    std::vector<uint64_t> capsT;
    int n_rules = 0;
};

static void gb_rl_block_prepare(RLBlocked* bl, const uint64_t* caps, const int32_t* rule_ids,
                                int n_rules, int W) {
    const int n_blocks = (n_rules + 7) / 8;
    bl->n_rules = n_rules;
    bl->capsT.assign((size_t)n_blocks * W * 8, 0);
    for (int i = 0; i < n_rules; ++i) {
        const uint64_t* cap = caps + (int64_t)rule_ids[i] * W;
        for (int w = 0; w < W; ++w) bl->capsT[((size_t)(i / 8) * W + w) * 8 + (i % 8)] = cap[w];
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define GB_RL_HAVE_AVX512 1

__attribute__((target("avx512f,avx512dq,avx512vpopcntdq")))
static int gb_rl_block_pass_avx512(const RLTables* tb, const uint64_t* U, const RLBlocked* bl,
                                   double* out, uint64_t* scratch, double top_min,
                                   double tot_min, double tot_max, int32_t* usable) {
    const int W = tb->n_words;
    const int T = tb->n_tables;
    const int n_blocks = (bl->n_rules + 7) / 8;
    __m512i* S = (__m512i*)scratch;   // W vectors, 64-byte aligned by the caller
    alignas(64) int64_t lanes[8];
    int n_usable = 0;
    for (int b = 0; b < n_blocks; ++b) {
        const uint64_t* blk = bl->capsT.data() + (size_t)b * W * 8;
        for (int w = 0; w < W; ++w)
            S[w] = _mm512_and_si512(_mm512_set1_epi64((long long)U[w]),
                                    _mm512_loadu_si512((const void*)(blk + (size_t)w * 8)));
        const int n_lane = (b + 1) * 8 <= bl->n_rules ? 8 : bl->n_rules - b * 8;
        __m512d tot = _mm512_setzero_pd(), top = _mm512_setzero_pd();
        for (int t = 0; t < T; ++t) {
            __m512i acc = _mm512_setzero_si512();
            for (int64_t e = tb->table_entry_start[t]; e < tb->table_entry_start[t + 1]; ++e) {
                __m512i x = _mm512_and_si512(S[tb->ent_word[e]],
                                             _mm512_set1_epi64((long long)tb->ent_bits[e]));
                acc = _mm512_add_epi64(
                    acc, _mm512_sll_epi64(_mm512_popcnt_epi64(x),
                                          _mm_cvtsi32_si128(tb->ent_shift[e])));
            }
            _mm512_store_si512((void*)lanes, acc);
            for (int l = 0; l < n_lane; ++l) out[(int64_t)(b * 8 + l) * T + t] = (double)lanes[l];
            if (t < T - 1) {   // class tables (the last one is maj)
                const __m512d v = _mm512_cvtepi64_pd(acc);   // exact: counts < 2^52
                tot = _mm512_add_pd(tot, v);
                top = _mm512_max_pd(top, v);
            }
        }
        // usable: top >= top_min, tot_min < tot < tot_max (the tests of the portable path)
        __mmask8 ok = _mm512_cmp_pd_mask(top, _mm512_set1_pd(top_min), _CMP_GE_OQ)
                    & _mm512_cmp_pd_mask(tot, _mm512_set1_pd(tot_min), _CMP_GT_OQ)
                    & _mm512_cmp_pd_mask(tot, _mm512_set1_pd(tot_max), _CMP_LT_OQ)
                    & (__mmask8)((1u << n_lane) - 1);
        while (ok) {
            const int l = __builtin_ctz(ok);
            usable[n_usable++] = b * 8 + l;
            ok &= ok - 1;
        }
    }
    return n_usable;
}

static int gb_rl_has_avx512() {
    static int has = -1;
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
    }
    return has;
}
#else
static int gb_rl_has_avx512() { return 0; }
#endif

// 1 when gb_rl_block_pass can run here (integer weights and the CPU has VPOPCNTQ).
static inline int gb_rl_block_usable(const RLTables* tb) {
    return tb->integral && gb_rl_has_avx512();
}

// All tables of the prepared rules on U (like gb_rl_rule_pass, without skipping), and the
// positions of the usable ones in ``usable`` (returns how many): the rules whose largest class
// weight is >= top_min and whose total is in (tot_min, tot_max). Floating-point sums of the
// integer counts are exact, so this is the same test as the portable path.
static int gb_rl_block_pass(const RLTables* tb, const uint64_t* U, const RLBlocked* bl,
                            double* out, uint64_t* scratch, double top_min, double tot_min,
                            double tot_max, int32_t* usable) {
#ifdef GB_RL_HAVE_AVX512
    return gb_rl_block_pass_avx512(tb, U, bl, out, scratch, top_min, tot_min, tot_max, usable);
#else
    return 0;
#endif
}

// The same tables for one set (the node's own uncaptured set).
static void gb_rl_count_set(const RLTables* tb, const uint64_t* U, double* out, uint64_t* S) {
    // A "rule" that captures everything: reuse the pass with U as the capture of rule 0.
    const int32_t zero = 0;
    gb_rl_rule_pass(tb, U, U, &zero, 1, out, S, -1.0);
}

// 64-bit hash of a bitset (splitmix-style mixing per word).
static inline uint64_t gb_rl_hash(const uint64_t* a, int W) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)W;
    for (int w = 0; w < W; ++w) {
        uint64_t z = a[w] + 0x9E3779B97F4A7C15ULL * (uint64_t)(w + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        h = (h ^ z) * 0x100000001B3ULL;
        h ^= h >> 32;
    }
    return h;
}
