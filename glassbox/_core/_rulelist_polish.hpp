// Local search on the incumbent rule list of the rule-list search.
//
// Best-first search finds good lists late: on COMPAS (40 boosted stumps) at lambda = 0.001
// the beam's list scored 0.315568 and a 60 s search returned 0.315272, while two moves from
// the beam's list (insert a rule, replace a rule) reach 0.314948. This only lowers the upper
// bound (a real list, its cost computed exactly here and again in Python); the certificate
// never depends on it.
//
// Moves, first improvement, until none improves or the sweep cap: insert any usable rule at
// any position, replace a rule, delete a rule, swap two rules.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>
#include "_rulelist_count.hpp"

struct RLPolish {
    std::vector<uint64_t> U, part, S;
    std::vector<double> cnt;
    std::vector<int32_t> trial;
    int64_t n_evals = 0;

    void init(int W, int T) {
        U.assign(W, 0);
        part.assign(W, 0);
        S.assign(W, 0);
        cnt.assign(T, 0.0);
    }

    double part_errors(int C) const {
        double tot = 0.0, top = 0.0;
        for (int c = 0; c < C; ++c) {
            tot += cnt[c];
            if (cnt[c] > top) top = cnt[c];
        }
        return tot - top;
    }

    // reg * k + the errors of every part (majority label) and of the default; stops early
    // (returning a value >= stop) once the cost reaches ``stop``.
    double cost(const RLTables* tb, const uint64_t* root, const uint64_t* caps,
                const std::vector<int32_t>& list, double reg, double stop) {
        const int W = tb->n_words, C = tb->n_tables - 1;
        ++n_evals;
        std::memcpy(U.data(), root, W * sizeof(uint64_t));
        double c = reg * (double)list.size();
        for (size_t j = 0; j < list.size(); ++j) {
            const uint64_t* cap = caps + (int64_t)list[j] * W;
            uint64_t any = 0;
            for (int w = 0; w < W; ++w) {
                part[w] = U[w] & cap[w];
                U[w] &= ~cap[w];
                any |= part[w];
            }
            if (any) {
                gb_rl_count_set(tb, part.data(), cnt.data(), S.data());
                c += part_errors(C);
            }
            if (c >= stop) return c;
        }
        gb_rl_count_set(tb, U.data(), cnt.data(), S.data());
        return c + part_errors(C);
    }

    static bool has(const std::vector<int32_t>& list, int32_t r) {
        for (int32_t x : list)
            if (x == r) return true;
        return false;
    }

    // Improves ``list`` (cost ``cur``) in place; returns its new cost.
    double run(const RLTables* tb, const uint64_t* root, const uint64_t* caps,
               const int32_t* rules, int n_rules, double reg, double tol,
               std::vector<int32_t>& list, double cur, int max_sweeps) {
        for (int sweep = 0; sweep < max_sweeps; ++sweep) {
            bool better = false;
            const int k = (int)list.size();
            // insert
            for (int pos = 0; pos <= k && !better; ++pos) {
                for (int i = 0; i < n_rules && !better; ++i) {
                    if (has(list, rules[i])) continue;
                    trial = list;
                    trial.insert(trial.begin() + pos, rules[i]);
                    const double c = cost(tb, root, caps, trial, reg, cur - tol);
                    if (c < cur - tol) { list.swap(trial); cur = c; better = true; }
                }
            }
            // replace, delete
            for (int pos = 0; pos < k && !better; ++pos) {
                trial = list;
                trial.erase(trial.begin() + pos);
                double c = cost(tb, root, caps, trial, reg, cur - tol);
                if (c < cur - tol) { list.swap(trial); cur = c; better = true; break; }
                for (int i = 0; i < n_rules && !better; ++i) {
                    if (has(list, rules[i])) continue;
                    trial = list;
                    trial[pos] = rules[i];
                    c = cost(tb, root, caps, trial, reg, cur - tol);
                    if (c < cur - tol) { list.swap(trial); cur = c; better = true; }
                }
            }
            // swap
            for (int a = 0; a < k && !better; ++a) {
                for (int b = a + 1; b < k && !better; ++b) {
                    trial = list;
                    std::swap(trial[a], trial[b]);
                    const double c = cost(tb, root, caps, trial, reg, cur - tol);
                    if (c < cur - tol) { list.swap(trial); cur = c; better = true; }
                }
            }
            if (!better) break;
        }
        return cur;
    }
};
