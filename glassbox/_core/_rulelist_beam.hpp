// Initial upper bound of the rule-list search: a beam search over prefixes.
//
// Each level keeps the ``width`` best distinct children (by uncaptured set) of the current
// beam, ranked by the objective of the list ending there; every child is also a complete list
// and may become the incumbent. A good incumbent before the best-first search starts prunes
// from its first expansion on.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>
#include "_rulelist_count.hpp"
#include "_rulelist_gains.hpp"

// Lowers ``best`` (cost in weight units) and sets ``incumbent`` to every cheaper list found
// (by more than tol); stops at 64 rules, an empty beam, or when the time limit counted from
// t0 runs out (time_limit <= 0: none). Returns 1 when it found a cheaper list.
static int gb_rl_beam(const RLTables* tb, const uint64_t* root, const uint64_t* caps,
                      const int32_t* rules, int n_rules, int n_candidates, RLGains& gains,
                      double reg, double tol, int width, double t0, double time_limit,
                      double& best, std::vector<int32_t>& incumbent) {
    const int W = tb->n_words, C = gains.C, T = gains.T;
    std::vector<uint64_t> U(W), U2(W), S(W);
    std::vector<double> cU(T);
    std::vector<std::vector<int32_t>> beam, nxt;
    std::vector<double> beam_g, nxt_g, nxt_obj;
    std::vector<uint64_t> nxt_hash;
    int found = 0;
    beam.push_back(std::vector<int32_t>());
    beam_g.push_back(0.0);
    for (int step = 0; step < 64; ++step) {
        nxt.clear();
        nxt_g.clear();
        nxt_obj.clear();
        nxt_hash.clear();
        for (int32_t b = 0; b < (int32_t)beam.size(); ++b) {
            if (time_limit > 0 && gb_rl_now() - t0 > time_limit) return found;
            const double g = beam_g[b];
            if (g + reg >= best - tol) continue;
            std::memcpy(U.data(), root, W * sizeof(uint64_t));
            for (int32_t j = 0; j < (int32_t)beam[b].size(); ++j) {
                const uint64_t* cap = caps + (int64_t)beam[b][j] * W;
                for (int w = 0; w < W; ++w) U[w] &= ~cap[w];
            }
            gb_rl_count_set(tb, U.data(), cU.data(), S.data());
            double totU = 0.0;
            for (int c = 0; c < C; ++c) totU += cU[c];
            const int nv = gains.run(tb, U.data(), cU.data(), caps, rules, n_rules,
                                     n_candidates, reg, tol, best - g);
            for (int k = 0; k < nv; ++k) {
                const int32_t p = gains.viable[k];
                const int32_t r = rules[p];
                const double* row = gains.counts.data() + (int64_t)p * T;
                double best_c = 0.0, top2 = 0.0;
                for (int c = 0; c < C; ++c) {
                    if (row[c] > best_c) best_c = row[c];
                    const double c2 = cU[c] - row[c];
                    if (c2 > top2) top2 = c2;
                }
                const double tot2 = totU - gains.totS[p];
                const double g2 = g + reg + (gains.totS[p] - best_c);
                const double obj2 = g2 + (tot2 - top2);
                if (obj2 < best - tol) {
                    best = obj2;
                    incumbent = beam[b];
                    incumbent.push_back(r);
                    found = 1;
                }
                if (g2 + reg >= best - tol) continue;
                // keep the `width` best children by objective, distinct uncaptured sets
                const int32_t m = (int32_t)nxt.size();
                int32_t worst = -1;
                if (m >= width) {
                    for (int32_t j = 0; j < m; ++j)
                        if (worst < 0 || nxt_obj[j] > nxt_obj[worst]) worst = j;
                    if (obj2 >= nxt_obj[worst]) continue;
                }
                const uint64_t* cap = caps + (int64_t)r * W;
                for (int w = 0; w < W; ++w) U2[w] = U[w] & ~cap[w];
                const uint64_t hsh = gb_rl_hash(U2.data(), W);
                bool dup = false;
                for (int32_t j = 0; j < m; ++j) {
                    if (nxt_hash[j] == hsh) {
                        dup = true;
                        break;
                    }
                }
                if (dup) continue;
                if (m >= width) {
                    nxt[worst] = beam[b];
                    nxt[worst].push_back(r);
                    nxt_g[worst] = g2;
                    nxt_obj[worst] = obj2;
                    nxt_hash[worst] = hsh;
                } else {
                    nxt.push_back(beam[b]);
                    nxt[m].push_back(r);
                    nxt_g.push_back(g2);
                    nxt_obj.push_back(obj2);
                    nxt_hash.push_back(hsh);
                }
            }
        }
        if (nxt.size() == 0) break;
        beam.swap(nxt);
        beam_g.swap(nxt_g);
    }
    return found;
}
