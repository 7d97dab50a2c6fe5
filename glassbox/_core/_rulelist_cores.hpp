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
// often stay uncaptured) and keeps their excesses here, filed by group, largest first.
#pragma once
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

struct RLCores {
    int W = 0;
    std::vector<uint64_t> bits;    // core k: bits[k * W .. (k + 1) * W)
    std::vector<double> excess;
    // cores filed under one of their groups (the one least often left uncaptured): a state
    // can only contain the cores filed under the groups it still has. Each bucket keeps its
    // cores by decreasing excess, with a copy of their bits next to each other (W words per
    // core) so that a scan reads memory in order.
    std::vector<std::vector<int32_t>> bucket;
    std::vector<std::vector<uint64_t>> bucket_bits;
    std::vector<std::vector<double>> bucket_excess;
    int n_alive = 0;
    std::vector<std::pair<double, int32_t>> found;

    int size() const { return n_alive; }

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
        if ((int)bucket.size() < W * 64) {
            bucket.resize(W * 64);
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
        bits.insert(bits.end(), v, v + W);
        excess.push_back(ex);
        std::vector<int32_t>& bk = bucket[key];     // kept by decreasing excess
        size_t pos = 0;
        while (pos < bk.size() && excess[bk[pos]] >= ex) ++pos;
        bk.insert(bk.begin() + pos, n);
        bucket_excess[key].insert(bucket_excess[key].begin() + pos, ex);
        bucket_bits[key].insert(bucket_bits[key].begin() + pos * W, v, v + W);
        ++n_alive;
        return 1;
    }

    // Cores contained in U with excess >= min_excess, largest excess first, at most max_here
    // of them and the best of each bucket (into here); returns the largest excess of such a
    // core, or 0 when none. (Skipping cores only weakens the bound.)
    double contained(const uint64_t* U, std::vector<int32_t>& here, int max_here,
                     double min_excess) {
        here.clear();
        if (!n_alive) return 0.0;
        found.clear();
        for (int w = 0; w < W; ++w) {
            uint64_t x = U[w];
            while (x) {
                const int g = w * 64 + __builtin_ctzll(x);
                x &= x - 1;
                const std::vector<double>& be = bucket_excess[g];
                const uint64_t* bb = bucket_bits[g].data();
                for (size_t j = 0; j < be.size(); ++j) {  // the first inside U is the best
                    if (be[j] < min_excess) break;
                    if (inside(bb + j * W, U, W)) {
                        found.emplace_back(-be[j], bucket[g][j]);
                        break;
                    }
                }
            }
        }
        if (found.empty()) return 0.0;
        const size_t m = found.size() < (size_t)max_here ? found.size() : (size_t)max_here;
        std::partial_sort(found.begin(), found.begin() + m, found.end());
        for (size_t j = 0; j < m; ++j) here.push_back(found[j].second);
        return excess[here[0]];
    }

    // Largest excess among the cores in `here` that `cap` does not touch (they stay inside
    // the child's uncaptured set U \ cap); 0 when none.
    double disjoint(const std::vector<int32_t>& here, const uint64_t* cap) const {
        for (size_t j = 0; j < here.size(); ++j) {
            const uint64_t* v = bits.data() + (size_t)here[j] * W;
            uint64_t hit = 0;
            for (int w = 0; w < W; ++w) hit |= v[w] & cap[w];
            if (!hit) return excess[here[j]];
        }
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
