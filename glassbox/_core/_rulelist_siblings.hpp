// Sibling dominance in the rule-list search.
//
// Write s(P) = g(P) + eqmin(U_P) for a prefix P leaving U_P uncaptured. For U1 inside U2,
// c*(U2) >= c*(U1) + eqmin(U2 \ U1) (the core lemma), so every list through U2 costs at
// least the best list through U1 whenever s(U1) <= s(U2): U2 need not be searched. Among the
// children of one state U, child r has s = s(U) + reg + ex(U & r), ex(S) = maj(S) - max_c
// cnt_c(S) >= 0 its error above the equivalent-points error, and ex only grows with S. So
// child r is dominated by a sibling d whose capture in U strictly contains r's and has the
// same excess (a larger capture with no larger excess; typically both pure).
#pragma once
#include <cstdint>
#include <vector>
#include "_rulelist_store.hpp"

struct RLSiblings {
    std::vector<double> ex, tot;      // per usable child: excess and total weight on U
    std::vector<int32_t> rule;
    std::vector<double> eqd;          // equivalent-points error of each child's capture in U
    std::vector<uint64_t> V;
    bool built = false;
    int64_t n_lookups = 0, n_found = 0;

    // counts: T values per rule position (classes, then maj); viable: nv positions.
    void build(const double* counts, int T, const double* totS, const int32_t* viable, int nv,
               const int32_t* rules) {
        ex.resize(nv);
        tot.resize(nv);
        rule.resize(nv);
        for (int k = 0; k < nv; ++k) {
            const int32_t p = viable[k];
            const double* row = counts + (int64_t)p * T;
            double top = 0.0;
            for (int c = 0; c < T - 1; ++c) top = row[c] > top ? row[c] : top;
            ex[k] = row[T - 1] - top;
            eqd.resize(nv);
            eqd[k] = totS[p] - row[T - 1];
            tot[k] = totS[p];
            rule[k] = rules[p];
        }
        built = true;
    }

    // Whether rule r (excess e, total t on U) has a dominating sibling. eps absorbs the
    // rounding of float weights (integer weights are summed exactly).
    bool dominated(int32_t r, double e, double t, const uint64_t* U, const uint64_t* caps,
                   int W, double eps) const {
        const uint64_t* cr = caps + (int64_t)r * W;
        const int n = (int)ex.size();
        for (int k = 0; k < n; ++k) {
            if (tot[k] <= t || ex[k] > e + eps || ex[k] < e - eps) continue;
            const uint64_t* cd = caps + (int64_t)rule[k] * W;
            int w = 0;
            while (w < W && (cr[w] & U[w] & ~cd[w]) == 0) ++w;
            if (w == W) return true;
        }
        return false;
    }

    // Same, also against siblings with a larger excess whose state is stored with a cheaper
    // prefix than this parent gives it: child r has s = sP + ex(r) (sP: the parent's s plus
    // reg), a stored sibling state has s = its g + eqmin(U) - eqmin(its capture).
    bool dominated_stored(int32_t r, double e, double t, double g2, double eqd2,
                          const uint64_t* U, const uint64_t* caps, int W, double eps,
                          double slack, RLStates& st) {
        const uint64_t* cr = caps + (int64_t)r * W;
        const int n = (int)ex.size();
        const double s_r = g2 - eqd2;     // s of child r, less the parent's eqmin(U)
        V.resize(W);
        for (int k = 0; k < n; ++k) {
            if (tot[k] <= t || ex[k] < e - eps || ex[k] > e + slack) continue;
            const uint64_t* cd = caps + (int64_t)rule[k] * W;
            int w = 0;
            while (w < W && (cr[w] & U[w] & ~cd[w]) == 0) ++w;
            if (w < W) continue;
            if (ex[k] <= e + eps) return true;
            for (w = 0; w < W; ++w) V[w] = U[w] & ~cd[w];
            ++n_lookups;
            const int32_t j = st.find(V.data());
            if (j >= 0 && st.nodes[j].g - eqd[k] <= s_r + eps) { ++n_found; return true; }
        }
        return false;
    }
};
