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
    // per usable child on U: excess, total weight, equivalent-points error, rule
    std::vector<double> ex, tot, eqd;
    std::vector<int32_t> rule;
    std::vector<uint64_t> V;          // scratch: a sibling's uncaptured set
    bool built = false;               // for the state being expanded
    int64_t n_lookups = 0, n_found = 0;

    // counts: T values per rule position (classes, then maj); viable: the nv usable positions.
    void build(const double* counts, int T, const double* totS, const int32_t* viable, int nv,
               const int32_t* rules) {
        ex.resize(nv);
        tot.resize(nv);
        eqd.resize(nv);
        rule.resize(nv);
        for (int k = 0; k < nv; ++k) {
            const int32_t p = viable[k];
            const double* row = counts + (int64_t)p * T;
            double top = 0.0;
            for (int c = 0; c < T - 1; ++c) top = row[c] > top ? row[c] : top;
            ex[k] = row[T - 1] - top;
            eqd[k] = totS[p] - row[T - 1];
            tot[k] = totS[p];
            rule[k] = rules[p];
        }
        built = true;
    }

    // Whether child r of the state U (excess e, total t, equivalent-points error eq_r of its
    // capture, prefix cost g_r) is dominated by a sibling. eps absorbs the rounding of float
    // weights (integer weights are summed exactly); slack <= 0: no table lookups.
    bool dominated(int32_t r, double e, double t, double eq_r, double g_r, const uint64_t* U,
                   const uint64_t* caps, int W, double eps, double slack, RLStates& st) {
        const uint64_t* cr = caps + (int64_t)r * W;
        const int n = (int)ex.size();
        const double s_r = g_r - eq_r;    // s of child r, less the parent's eqmin(U)
        const double e_max = e + (slack > eps ? slack : eps);
        V.resize(W);
        for (int k = 0; k < n; ++k) {
            if (tot[k] <= t || ex[k] < e - eps || ex[k] > e_max) continue;
            const uint64_t* cd = caps + (int64_t)rule[k] * W;
            int w = 0;
            while (w < W && (cr[w] & U[w] & ~cd[w]) == 0) ++w;
            if (w < W) continue;                 // d's capture does not contain r's
            if (ex[k] <= e + eps) return true;   // same excess
            for (w = 0; w < W; ++w) V[w] = U[w] & ~cd[w];
            ++n_lookups;
            const int32_t j = st.find(V.data());
            if (j >= 0 && st.nodes[j].g - eqd[k] <= s_r + eps) {
                ++n_found;
                return true;
            }
        }
        return false;
    }
};
