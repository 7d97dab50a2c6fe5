// Dominance between sibling states in the rule-list search.
//
// Write s = g + eqmin(U) for a prefix of cost g leaving U uncaptured. For U1 inside U2,
// c*(U2) >= c*(U1) + eqmin(U2 \ U1) (the core lemma), so a prefix leaving U2 has no cheaper
// completion than one leaving U1 whenever s1 <= s2: U2 need not be searched from that
// prefix. Among the children of a state U, child r has s = s(U) + reg + ex(U & r), where
// ex(S) = maj(S) - max_c cnt_c(S) >= 0 is the error above the equivalent-points error; ex
// only grows with S. So child r is dominated by a sibling d whose capture in U strictly
// contains r's and
//  * has the same excess (a larger capture, no larger excess: typically both pure), or
//  * whose state U - d is already stored with a prefix cheaper than this parent gives it
//    (looked up in the state table for excesses up to `slack` above r's).
// Dropping dominated children keeps an optimal list: replacing a dominated state by its
// dominator strictly shrinks the uncaptured set, so the replacements end.
#pragma once
#include <cstdint>
#include <vector>
#include "_rulelist_store.hpp"

struct RLSiblings {
    // per rule (indexed by rule id), for the usable children of the state being expanded:
    // excess, total weight, equivalent-points error; usable: bitmask of those rules
    std::vector<double> ex, tot, eqd;
    std::vector<uint64_t> usable;
    std::vector<int32_t> listed;      // the rules set in usable (to clear it)
    // holders[g]: bitmask over rules of those whose capture holds group g, so the siblings
    // whose capture contains child r's are usable AND holders[g] over the groups g of r's
    // capture in U: a few words per group instead of a containment check per sibling
    std::vector<uint64_t> holders;
    int RW = 0;
    std::vector<uint64_t> V;          // scratch: a sibling's uncaptured set
    std::vector<uint64_t> cand;       // scratch: the candidate dominators (RW words)
    bool built = false;               // for the state being expanded
    int64_t n_lookups = 0, n_found = 0;

    void init(const uint64_t* caps, int n_rules, int W) {
        RW = (n_rules + 63) / 64;
        ex.assign(n_rules, 0.0);
        tot.assign(n_rules, 0.0);
        eqd.assign(n_rules, 0.0);
        usable.assign(RW, 0);
        holders.assign((size_t)W * 64 * RW, 0);
        for (int r = 0; r < n_rules; ++r)
            for (int w = 0; w < W; ++w) {
                uint64_t x = caps[(size_t)r * W + w];
                while (x) {
                    const int g = w * 64 + __builtin_ctzll(x);
                    x &= x - 1;
                    holders[(size_t)g * RW + (r >> 6)] |= (uint64_t)1 << (r & 63);
                }
            }
        V.resize(W);
        cand.assign(RW, 0);
    }

    // counts: T values per rule position (classes, then maj); viable: the nv usable positions.
    void build(const double* counts, int T, const double* totS, const int32_t* viable, int nv,
               const int32_t* rules) {
        for (size_t j = 0; j < listed.size(); ++j)
            usable[listed[j] >> 6] = 0;
        listed.clear();
        for (int k = 0; k < nv; ++k) {
            const int32_t p = viable[k];
            const int32_t r = rules[p];
            const double* row = counts + (int64_t)p * T;
            double top = 0.0;
            for (int c = 0; c < T - 1; ++c) top = row[c] > top ? row[c] : top;
            ex[r] = row[T - 1] - top;
            eqd[r] = totS[p] - row[T - 1];
            tot[r] = totS[p];
            usable[r >> 6] |= (uint64_t)1 << (r & 63);
            listed.push_back(r);
        }
        built = true;
    }

    // Whether child r of the state U (excess e, total t, equivalent-points error eq_r of its
    // capture, prefix cost g_r) is dominated by a sibling. eps absorbs the rounding of float
    // weights (integer weights are summed exactly); slack <= 0: no table lookups.
    bool dominated(int32_t r, double e, double t, double eq_r, double g_r, const uint64_t* U,
                   const uint64_t* caps, int W, double eps, double slack, RLStates& st) {
        const uint64_t* cr = caps + (int64_t)r * W;
        const double s_r = g_r - eq_r;    // s of child r, less the parent's eqmin(U)
        const double e_max = e + (slack > eps ? slack : eps);
        uint64_t* cm = cand.data();
        for (int q = 0; q < RW; ++q) cm[q] = usable[q];
        uint64_t any = 0;
        for (int w = 0; w < W; ++w) {
            uint64_t x = cr[w] & U[w];
            while (x) {
                const uint64_t* hg = holders.data() + (size_t)(w * 64 + __builtin_ctzll(x)) * RW;
                x &= x - 1;
                any = 0;
                for (int q = 0; q < RW; ++q) {
                    cm[q] &= hg[q];
                    any |= cm[q];
                }
                if (!any) return false;
            }
        }
        for (int q = 0; q < RW; ++q) {
            uint64_t x = cm[q];
            while (x) {
                const int32_t d = q * 64 + __builtin_ctzll(x);
                x &= x - 1;
                if (tot[d] <= t || ex[d] < e - eps || ex[d] > e_max) continue;
                if (ex[d] <= e + eps) return true;   // same excess
                const uint64_t* cd = caps + (int64_t)d * W;
                for (int w = 0; w < W; ++w) V[w] = U[w] & ~cd[w];
                ++n_lookups;
                const int32_t j = st.find(V.data());
                if (j >= 0 && st.nodes[j].g - eqd[d] <= s_r + eps) {
                    ++n_found;
                    return true;
                }
            }
        }
        return false;
    }
};
