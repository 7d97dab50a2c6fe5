// FAST pair ranking (Lou et al. 2013) for one bag: gradients of the mains model, one 2-D
// histogram per candidate pair, best 4-quadrant gain.
#pragma once
#include <cstdint>
#include <vector>

#include "_ebm_objectives.hpp"
#include "_ebm_split.hpp"

namespace gbebm {

// FAST strengths of candidate pairs on one bag: gradients from the given scores, one 2-D
// histogram per pair, best 4-quadrant gain.
template <class Code>
void interaction_strengths(const SplitParams& sp, int objective, double obj_param, const Code* codes, int64_t n,
                           const double* y, const double* w, const double* scores, const int* pairs, int n_pairs,
                           const int* n_bins, double* out) {
    const int K = sp.n_scores;
    std::vector<double> g((size_t)n * K), h((size_t)n * K);
    for (int64_t i = 0; i < n; ++i) {
        double gg[64], hh[64];
        row_grad(objective, obj_param, scores + i * K, y[i], gg, hh, K);
        for (int k = 0; k < K; ++k) {
            g[i * K + k] = w[i] * gg[k];
            h[i * K + k] = (objective == RMSE || objective == QUANTILE) ? w[i] : w[i] * hh[k];
        }
    }
    Split2DWork work;
    std::vector<double> G, H, C;
    for (int pi = 0; pi < n_pairs; ++pi) {
        int fa = pairs[2 * pi], fb = pairs[2 * pi + 1];
        int na = n_bins[fa], nb = n_bins[fb];
        G.assign((size_t)na * nb * K, 0.0);
        H.assign((size_t)na * nb * K, 0.0);
        C.assign((size_t)na * nb, 0.0);
        const Code* ca = codes + (int64_t)fa * n;
        const Code* cb = codes + (int64_t)fb * n;
        for (int64_t i = 0; i < n; ++i) {
            int64_t c = (int64_t)ca[i] * nb + cb[i];
            C[c] += 1.0;
            for (int k = 0; k < K; ++k) {
                G[c * K + k] += g[i * K + k];
                H[c * K + k] += h[i * K + k];
            }
        }
        out[pi] = fast_strength(na, nb, G.data(), H.data(), C.data(), sp, work);
    }
}

inline void interaction_strengths_codes(bool wide, const SplitParams& sp, int objective, double obj_param,
                                        const void* codes, int64_t n, const double* y, const double* w,
                                        const double* scores, const int* pairs, int n_pairs, const int* n_bins,
                                        double* out) {
    if (wide)
        interaction_strengths<uint16_t>(sp, objective, obj_param, (const uint16_t*)codes, n, y, w, scores, pairs,
                                        n_pairs, n_bins, out);
    else
        interaction_strengths<uint8_t>(sp, objective, obj_param, (const uint8_t*)codes, n, y, w, scores, pairs,
                                       n_pairs, n_bins, out);
}

}  // namespace gbebm
