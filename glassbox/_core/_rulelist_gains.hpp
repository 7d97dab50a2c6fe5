// The rule pass of the rule-list search and the k-rule gain bound it feeds.
//
// One pass per state U counts every candidate rule on U, keeps the usable ones and collects,
// for every default label d, the gains later rules could add. Gains a later rule can add:
// X_d(S) = maj(S) - cnt_d(S) (any subset of S it ends up capturing); the first rule added
// captures U & r exactly, so it gains at most Y_d(S) = max_c cnt_c(S) - cnt_d(S). Only gains
// above reg can lower the bound, and only floor(budget / reg) + 1 of them (each rule costs
// reg); the TOP_K largest are kept sorted.
//
// The look-ahead turns them into h(U) >= min_d min_k [k*reg + max(eqmin(U), err_d(U) - T_{k,d})]
// (see the search module's docstring).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>
#include "_rulelist_count.hpp"

enum { RL_TOP_K = 16 };    // exact largest gains kept per class (see lookahead)

struct RLGains {
    int C = 0, T = 0;                  // classes; tables (classes + maj)
    // per rule position (in the caller's rule array): counts on U (T each), total on U
    std::vector<double> counts, totS;
    std::vector<int32_t> viable;       // positions of the usable rules, n of them returned
    // per class: largest X_d and Y_d over usable rules, gains above reg counted, exact top
    // gains (TOP_K each, descending), their prefix sums T[d][0..TOP_K]
    std::vector<double> xmax, ymax, thr, topv, Tk;
    std::vector<int32_t> n_gain, n_top;
    std::vector<uint64_t> S;           // scratch of the portable pass
    // blocked kernel (rules transposed, see _rulelist_count.hpp), when the CPU has it
    RLBlocked blocked;
    bool use_blocked = false;
    std::vector<uint64_t> scratch;     // W 512-bit vectors (+ alignment slack)
    std::vector<int32_t> usable;

    void init(int n_rules, int n_classes, int W) {
        const size_t R = n_rules > 1 ? (size_t)n_rules : 1;
        C = n_classes;
        T = n_classes + 1;
        counts.resize(R * T);
        totS.resize(R);
        viable.resize(R);
        Tk.resize((size_t)C * (RL_TOP_K + 1));
        topv.resize((size_t)C * RL_TOP_K);
        n_top.resize(C);
        xmax.resize(C);
        thr.resize(C);
        ymax.resize(C);
        n_gain.resize(C);
        S.resize(W);
    }

    // Switch to the blocked kernel with ``blocked`` already prepared for n_rules rules.
    void start_blocked(int n_rules, int W) {
        scratch.assign((size_t)W * 8 + 8, 0);
        usable.resize((size_t)n_rules + 8);
        use_blocked = true;
    }

    // Counts of every rule (rules[0..n_rules)) on U, whose class counts are cU; keeps the
    // usable ones in viable and fills T. ``budget`` is what a completion may cost at most,
    // ``n_candidates`` the number of candidate rules (no list uses more). Returns how many
    // rules are usable.
    int run(const RLTables* tb, const uint64_t* U, const double* cU, const uint64_t* caps,
            const int32_t* rules, int n_rules, int n_candidates, double reg, double tol,
            double budget) {
        int nv = 0;
        int64_t k_max = n_candidates;
        if (reg > 0 && budget / reg < n_candidates) k_max = (int64_t)(budget / reg) + 2;
        double totU = 0.0;
        double* cnt = counts.data();
        double* xm = xmax.data();
        double* ym = ymax.data();
        double* th = thr.data();      // smallest gain the top buffer of d accepts
        double* tp = topv.data();
        int32_t* ng = n_gain.data();
        int32_t* nt = n_top.data();
        const int32_t* us = usable.data();
        int32_t* via = viable.data();
        for (int c = 0; c < C; ++c) {
            totU += cU[c];
            xm[c] = 0.0;
            ym[c] = 0.0;
            ng[c] = 0;
            nt[c] = 0;
            th[c] = reg;
        }
        // Usable rules: accurate-support bound (top >= reg); a rule capturing all of U only
        // adds reg to the default. The blocked kernel applies the same test itself.
        int n_cand;
        if (use_blocked) {
            uint64_t* aligned = (uint64_t*)(((size_t)scratch.data() + 63) & ~(size_t)63);
            n_cand = gb_rl_block_pass(tb, U, &blocked, cnt, aligned, reg - tol, tol,
                                      totU - tol, usable.data());
        } else {
            gb_rl_rule_pass(tb, U, caps, rules, n_rules, cnt, S.data(), reg - tol);
            n_cand = n_rules;
        }
        for (int kk = 0; kk < n_cand; ++kk) {
            const int i = use_blocked ? us[kk] : kk;
            const double* row = cnt + (int64_t)i * T;
            double tot = 0.0, top = 0.0;
            for (int c = 0; c < C; ++c) {
                tot += row[c];
                if (row[c] > top) top = row[c];
            }
            if (!use_blocked && (top < reg - tol || tot <= tol || tot >= totU - tol)) continue;
            via[nv] = i;
            totS[i] = tot;
            ++nv;
            const double maj = row[C];
            for (int d = 0; d < C; ++d) {
                const double x = maj - row[d];
                if (x > xm[d]) xm[d] = x;
                if (top - row[d] > ym[d]) ym[d] = top - row[d];
                if (x <= reg) continue;
                ng[d] += 1;
                // the buffer is full and x is not among its TOP_K largest
                if (x <= th[d]) continue;
                double* tv = tp + d * RL_TOP_K;
                int j = nt[d];
                if (j == RL_TOP_K) j -= 1;
                else nt[d] += 1;
                while (j > 0 && tv[j - 1] < x) {   // insertion into the descending buffer
                    tv[j] = tv[j - 1];
                    j -= 1;
                }
                tv[j] = x;
                if (nt[d] == RL_TOP_K) th[d] = tv[RL_TOP_K - 1];
            }
        }
        for (int d = 0; d < C; ++d) {
            if (ng[d] > k_max) ng[d] = (int32_t)k_max;
            double* Td = Tk.data() + (int64_t)d * (RL_TOP_K + 1);
            const double* tv = tp + d * RL_TOP_K;
            Td[0] = 0.0;
            for (int j = 0; j < nt[d]; ++j) Td[j + 1] = Td[j] + tv[j];
        }
        return nv;
    }

    // min_d min_{k>=1} k*reg + max(eqmin, errs[d] - first[d] - T[d][k-1]) after a run.
    //
    // ``first[d]`` bounds the gain of the first added rule, T[d][j] the gains of j more: the
    // exact sum of the j largest while j <= TOP_K, beyond that extended linearly with the
    // TOP_K-th largest (every further gain is at most that). Convex in k (decreasing
    // increments): stop at the first rise.
    double lookahead(const double* errs, const double* first, double eqmin, double reg) const {
        double out = INFINITY;
        for (int d = 0; d < C; ++d) {
            const double* Td = Tk.data() + (int64_t)d * (RL_TOP_K + 1);
            const int nb = n_top[d];
            double prev = INFINITY;
            for (int k = 0; k < n_gain[d] + 1; ++k) {
                const double t = k <= nb ? Td[k] : Td[nb] + (k - nb) * (Td[nb] - Td[nb - 1]);
                double v = errs[d] - first[d] - t;
                if (v < eqmin) v = eqmin;
                v += (k + 1) * reg;
                if (v >= prev) break;
                prev = v;
            }
            if (prev < out) out = prev;
        }
        return out;
    }
};
