// Core bounds for the rule-list search: lower bounds borrowed from solved sub-problems.
//
// Write c*(U) for the cheapest completion of a state (any rule list over the candidate rules,
// applied to the groups in U, cost = reg * rules + misclassified weight). For a set of groups
// V contained in U:
//
//     c*(U) >= c*(V) + eqmin(U \ V) = eqmin(U) + (c*(V) - eqmin(V)).
//
// Proof: take any list L. Every part of U that L labels (a rule's capture, or the default's
// rows) splits into its rows in V and outside V. Outside V, the part's errors are at least
// its equivalent-points error, and these add up to eqmin(U \ V) (equivalent points are per
// group). Inside V, L's errors are at least those of the same rules with every prediction
// re-chosen as the majority of its part within V, which is the objective of L's rules as a
// list on V (rules that capture nothing in V only add reg), hence >= c*(V). The rule count
// is the same on both sides. eqmin is additive over groups, so eqmin(U \ V) = eqmin(U) -
// eqmin(V).
//
// So a "core" V with a proven lower bound lb(V) <= c*(V) lends its excess
// ex(V) = lb(V) - eqmin(V) to every state whose uncaptured set contains V. The search runs
// small capped sub-searches on cores picked from the states it expands (heavy groups that
// often stay uncaptured) and keeps their excesses here.
//
// Finding the cores inside a state is the hot part (tens of thousands of cores, a scan at
// every pop). A state's uncaptured set is the root minus its prefix rules' captures, so a
// core lies inside it iff none of its k prefix rules meets the core. Each core keeps the
// set of rules that meet it (touch); the cores are laid out by decreasing excess and
// slice[r] is the bitmask over them of those that rule r meets, so the cores inside a state
// are NOT (slice[r1] | ... | slice[rk]): k words per 64 cores, and the first bits set are
// the largest excesses. Cores added since the layout was last rebuilt sit in a tail with
// the same slices in the order they came.
#pragma once
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>
#include "_rulelist_count.hpp"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define GB_RL_WIDE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GB_RL_WIDE_CLONES
#endif

// out[q] = the cores of word j0 + q (q < nb <= 8) that none of the k prefix rules meets:
// NOT (slice[r1] | ... | slice[rk]) one block of 8 words at a time, which the compiler
// turns into vector operations (one 512-bit operation per rule with AVX-512).
GB_RL_WIDE_CLONES
static void gb_rl_slice_block(const uint64_t* slice, int n_words, const int32_t* prefix, int k,
                              int j0, int nb, uint64_t* out) {
    uint64_t m[8] = {~(uint64_t)0, ~(uint64_t)0, ~(uint64_t)0, ~(uint64_t)0,
                     ~(uint64_t)0, ~(uint64_t)0, ~(uint64_t)0, ~(uint64_t)0};
    if (nb == 8) {
        for (int t = 0; t < k; ++t) {
            const uint64_t* s = slice + (size_t)prefix[t] * n_words + j0;
            for (int q = 0; q < 8; ++q) m[q] &= ~s[q];
        }
    } else {
        for (int t = 0; t < k; ++t) {
            const uint64_t* s = slice + (size_t)prefix[t] * n_words + j0;
            for (int q = 0; q < nb; ++q) m[q] &= ~s[q];
        }
    }
    for (int q = 0; q < 8; ++q) out[q] = m[q];
}

struct RLCores {
    int W = 0;
    std::vector<double> excess;    // of core k (cores are numbered as they are kept)
    // for add(): cores filed under one of their groups (the one least often left
    // uncaptured): a set can only contain the cores filed under the groups it has. Each
    // bucket keeps its cores by decreasing excess, with a copy of their bits next to each
    // other (W words per core) so that a scan reads memory in order.
    std::vector<std::vector<uint64_t>> bucket_bits;
    std::vector<std::vector<double>> bucket_excess;
    std::vector<std::pair<double, int32_t>> found, extra;

    int size() const { return (int)excess.size(); }

    static bool inside(const uint64_t* a, const uint64_t* b, int W) {   // a subset of b
        uint64_t out = 0;
        for (int w = 0; w < W; ++w) out |= a[w] & ~b[w];
        return !out;
    }

    // Insert unless an existing core dominates it (a subset with at least its excess: every
    // state containing the new core contains that one). Such a core is filed under one of
    // the new core's groups, so only those buckets are searched. (Existing cores that the
    // new one dominates are left in place: they cost a little scanning, never a wrong bound.)
    // ``rarity`` ranks the groups (the core is filed under its lowest). Returns 1 when
    // inserted.
    int add(const uint64_t* v, double ex, const double* rarity) {
        if ((int)bucket_bits.size() < W * 64) {
            bucket_bits.resize(W * 64);
            bucket_excess.resize(W * 64);
        }
        int key = -1;
        for (int w = 0; w < W; ++w) {
            uint64_t x = v[w];
            while (x) {
                const int g = w * 64 + __builtin_ctzll(x);
                x &= x - 1;
                if (key < 0 || rarity[g] < rarity[key]) key = g;
                const std::vector<double>& be = bucket_excess[g];
                const uint64_t* bb = bucket_bits[g].data();
                for (size_t j = 0; j < be.size(); ++j) {      // decreasing excess
                    if (be[j] < ex) break;
                    if (inside(bb + j * W, v, W)) return 0;
                }
            }
        }
        if (key < 0) return 0;
        const int n = (int)excess.size();
        excess.push_back(ex);
        std::vector<double>& be = bucket_excess[key];     // kept by decreasing excess
        size_t pos = 0;
        while (pos < be.size() && be[pos] >= ex) ++pos;
        be.insert(be.begin() + pos, ex);
        bucket_bits[key].insert(bucket_bits[key].begin() + pos * W, v, v + W);
        index(n, v);
        return 1;
    }

    // Rule-sliced layout for the scan (see the top of the file).
    const uint64_t* rule_caps = nullptr;   // captures of rules 0..R-1 (W words each)
    int R = 0, RW = 0;                     // rules, words per touch set
    std::vector<uint64_t> touch;           // core k: touch[k * RW ..]: rules meeting it
    std::vector<int32_t> sorted;           // laid-out cores, by decreasing excess
    std::vector<double> sorted_excess;
    std::vector<uint64_t> slice;           // slice[r * n_slice_words + j]
    int n_slice_words = 0;
    std::vector<int32_t> tail;             // cores added since the last layout
    std::vector<uint64_t> tail_slice;      // block j of 64 tail cores: tail_slice[j * R + r]

    void set_rules(const uint64_t* caps, int n_rules) {
        rule_caps = caps;
        R = n_rules;
        RW = (n_rules + 63) / 64;
    }

    bool meets(int32_t k, int32_t r) const {
        return (touch[(size_t)k * RW + (r >> 6)] >> (r & 63)) & 1;
    }

    // Record which rules meet new core k (bits v) and put it in the tail; lay everything
    // out again once the tail holds a quarter as many cores as the layout (amortised: each
    // core is laid out O(log n) times).
    void index(int32_t k, const uint64_t* v) {
        touch.resize(touch.size() + RW, 0);
        uint64_t* t = touch.data() + (size_t)k * RW;
        if (tail.size() % 64 == 0) tail_slice.resize(tail_slice.size() + R, 0);
        const size_t q = tail.size();
        uint64_t* ts = tail_slice.data() + (q >> 6) * R;
        for (int r = 0; r < R; ++r) {
            const uint64_t* c = rule_caps + (size_t)r * W;
            uint64_t hit = 0;
            for (int w = 0; w < W; ++w) hit |= c[w] & v[w];
            if (hit) {
                t[r >> 6] |= (uint64_t)1 << (r & 63);
                ts[r] |= (uint64_t)1 << (q & 63);
            }
        }
        tail.push_back(k);
        if (tail.size() > std::max<size_t>(1024, sorted.size() / 4)) layout();
    }

    void layout() {
        const int n = (int)excess.size();
        sorted.resize(n);
        for (int k = 0; k < n; ++k) sorted[k] = k;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [this](int32_t a, int32_t b) { return excess[a] > excess[b]; });
        sorted_excess.resize(n);
        n_slice_words = (n + 63) / 64;
        slice.assign((size_t)R * n_slice_words, 0);
        for (int p = 0; p < n; ++p) {
            const int k = sorted[p];
            sorted_excess[p] = excess[k];
            const uint64_t* t = touch.data() + (size_t)k * RW;
            for (int w = 0; w < RW; ++w) {
                uint64_t x = t[w];
                while (x) {
                    const int r = w * 64 + __builtin_ctzll(x);
                    x &= x - 1;
                    slice[(size_t)r * n_slice_words + (p >> 6)] |= (uint64_t)1 << (p & 63);
                }
            }
        }
        tail.clear();
        tail_slice.clear();
    }

    // Cores inside the state whose prefix rules are prefix[0..k), with excess >= min_excess:
    // the max_here largest into `here`, largest first; returns the largest excess, or 0
    // when none. (Skipping cores only weakens the bound.)
    double contained(const int32_t* prefix, int k, std::vector<int32_t>& here, int max_here,
                     double min_excess) {
        here.clear();
        if (excess.empty()) return 0.0;
        found.clear();
        const int n = (int)sorted.size();
        uint64_t m8[8];
        bool done = false;
        for (int j0 = 0; j0 < n_slice_words && !done; j0 += 8) {
            if (sorted_excess[(size_t)j0 * 64] < min_excess) break;
            const int nb = n_slice_words - j0 < 8 ? n_slice_words - j0 : 8;
            gb_rl_slice_block(slice.data(), n_slice_words, prefix, k, j0, nb, m8);
            if (j0 + nb == n_slice_words && (n & 63)) m8[nb - 1] &= ((uint64_t)1 << (n & 63)) - 1;
            for (int q = 0; q < nb && !done; ++q) {
                uint64_t m = m8[q];
                while (m) {
                    const int p = (j0 + q) * 64 + __builtin_ctzll(m);
                    m &= m - 1;
                    if (sorted_excess[p] < min_excess || (int)found.size() >= max_here) {
                        done = true;
                        break;
                    }
                    found.emplace_back(-sorted_excess[p], sorted[p]);
                }
            }
        }
        // the laid-out cores came in order; a tail core counts if it beats the last of
        // them (when there are max_here): merge the few that do
        const double floor = (int)found.size() >= max_here ? -found.back().first : min_excess;
        extra.clear();
        const int nt = (int)tail.size();
        for (int j = 0; j * 64 < nt; ++j) {
            uint64_t m = nt - j * 64 < 64 ? ((uint64_t)1 << (nt - j * 64)) - 1 : ~(uint64_t)0;
            const uint64_t* ts = tail_slice.data() + (size_t)j * R;
            for (int t = 0; t < k; ++t) m &= ~ts[prefix[t]];
            while (m) {
                const int32_t c = tail[j * 64 + __builtin_ctzll(m)];
                m &= m - 1;
                if (excess[c] > floor || (excess[c] >= floor && (int)found.size() < max_here))
                    extra.emplace_back(-excess[c], c);
            }
        }
        std::sort(extra.begin(), extra.end());
        size_t a = 0, b = 0;
        while ((int)here.size() < max_here && (a < found.size() || b < extra.size())) {
            if (b == extra.size() || (a < found.size() && found[a].first <= extra[b].first))
                here.push_back(found[a++].second);
            else
                here.push_back(extra[b++].second);
        }
        if (here.empty()) return 0.0;
        return excess[here[0]];
    }

    // Largest excess among the cores in `here` (inside a state) that rule r does not meet:
    // they stay inside the child that adds r. 0 when none.
    double disjoint(const std::vector<int32_t>& here, int32_t r) const {
        for (size_t j = 0; j < here.size(); ++j)
            if (!meets(here[j], r)) return excess[here[j]];
        return 0.0;
    }
};

// V = the m groups of U with the largest weight * (freq / n_freq)^alpha (ties: lower group
// index); m >= |U| takes U. ``scratch`` is reused between calls.
static void gb_rl_pick_core(const uint64_t* U, int W, const double* weight, const double* freq,
                            double n_freq, double alpha, int m, uint64_t* V,
                            std::vector<std::pair<double, int32_t>>& scratch) {
    scratch.clear();
    for (int w = 0; w < W; ++w) {
        uint64_t x = U[w];
        while (x) {
            const int g = w * 64 + __builtin_ctzll(x);
            x &= x - 1;
            const double f = n_freq > 0 ? freq[g] / n_freq : 1.0;
            const double fa = alpha == 4.0 ? (f * f) * (f * f) : std::pow(f, alpha);
            scratch.emplace_back(-weight[g] * fa, g);
        }
    }
    std::memset(V, 0, W * sizeof(uint64_t));
    const size_t k = scratch.size() < (size_t)m ? scratch.size() : (size_t)m;
    if (k < scratch.size())
        std::nth_element(scratch.begin(), scratch.begin() + k, scratch.end());
    for (size_t j = 0; j < k; ++j) {
        const int g = scratch[j].second;
        V[g >> 6] |= (uint64_t)1 << (g & 63);
    }
}

// A core V (at most 64 groups) as a problem of its own, for its sub-search: V's groups
// renumbered 0..m-1 in one word, the distinct captures the rules have on V (a rule that
// captures nothing of V or all of it is never usable there; rules with the same capture on V
// are interchangeable), and the weight tables of V's groups. The sub-search then works on
// one word per set and a fraction of the rules instead of the whole problem's.
struct RLCoreProblem {
    std::vector<uint64_t> caps;
    uint64_t root = 0;
    std::vector<double> group_weight;      // m x n_tables
    std::vector<uint64_t> ent_bits;
    std::vector<int32_t> ent_word, ent_shift;
    std::vector<int64_t> start;
    std::vector<int32_t> local;            // scratch: groups of V
    RLTables tb;

    // V over W words; the rules[0..n_rules) rows of caps. Returns the number of captures.
    int build(const RLTables* parent, const uint64_t* V, int W, const uint64_t* rule_caps,
              const int32_t* rules, int n_rules) {
        const int T = parent->n_tables;
        local.clear();
        for (int w = 0; w < W; ++w) {
            uint64_t x = V[w];
            while (x) {
                local.push_back(w * 64 + __builtin_ctzll(x));
                x &= x - 1;
            }
        }
        const int m = (int)local.size();
        root = m == 64 ? ~(uint64_t)0 : ((uint64_t)1 << m) - 1;
        caps.clear();
        for (int i = 0; i < n_rules; ++i) {
            const uint64_t* c = rule_caps + (size_t)rules[i] * W;
            uint64_t p = 0;
            for (int j = 0; j < m; ++j)
                p |= ((c[local[j] >> 6] >> (local[j] & 63)) & 1) << j;
            if (p && p != root) caps.push_back(p);
        }
        std::sort(caps.begin(), caps.end());
        caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
        group_weight.resize((size_t)m * T);
        for (int j = 0; j < m; ++j)
            for (int t = 0; t < T; ++t)
                group_weight[(size_t)j * T + t] = parent->group_weight[(size_t)local[j] * T + t];
        ent_bits.clear();
        ent_word.clear();
        ent_shift.clear();
        start.assign(T + 1, 0);
        if (parent->integral) {
            for (int t = 0; t < T; ++t) {
                int64_t top = 0;
                for (int j = 0; j < m; ++j)
                    top = std::max(top, (int64_t)group_weight[(size_t)j * T + t]);
                for (int b = 0; top >> b; ++b) {
                    uint64_t plane = 0;
                    for (int j = 0; j < m; ++j)
                        plane |= (uint64_t)(((int64_t)group_weight[(size_t)j * T + t] >> b) & 1) << j;
                    if (!plane) continue;
                    ent_bits.push_back(plane);
                    ent_word.push_back(0);
                    ent_shift.push_back(b);
                }
                start[t + 1] = (int64_t)ent_bits.size();
            }
        }
        if (ent_bits.empty()) {     // the kernels take the address of element 0
            ent_bits.push_back(0);
            ent_word.push_back(0);
            ent_shift.push_back(0);
        }
        tb.n_tables = T;
        tb.n_words = 1;
        tb.integral = parent->integral;
        tb.group_weight = group_weight.data();
        tb.ent_bits = ent_bits.data();
        tb.ent_word = ent_word.data();
        tb.ent_shift = ent_shift.data();
        tb.table_entry_start = start.data();
        return (int)caps.size();
    }
};
