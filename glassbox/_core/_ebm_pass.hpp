// The pass of an applied step: the update applied to every row of the bag, per objective.
//
// Speed: every applied step is ONE pass over the bag's training rows that (a) adds the update
// to the row's score, (b) refreshes its gradient and hessian and (c) accumulates the histogram
// of the term boosted next (known before the pass: the next cyclic term or the top of the
// greedy heap). For log loss the pass keeps exp(score) per row and multiplies it by exp(update)
// of the row's cell (a few distinct values), so no exp() is evaluated per row.
//
// apply_multi has dedicated loops for the common cases (binary log loss with and without unit
// weights, rmse, multiclass with one update and at most one histogram) and a general loop for
// the rest, then updates the validation rows and returns the validation metric.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "_ebm_booster.hpp"

namespace gbebm {

// `y ? e : 1.0` for a 0/1 label, without a branch: labels are random from row to row, and a
// mispredicted branch per row made the validation pass about three times slower (the bits of
// e or of 1.0 are selected, so the value is exactly the same).
inline double e_if_positive(uint8_t y, double e) {
    const double one = 1.0;
    uint64_t eb, ob;
    std::memcpy(&eb, &e, sizeof eb);
    std::memcpy(&ob, &one, sizeof ob);
    const uint64_t pick = 0 - (uint64_t)y;  // all ones for y = 1
    const uint64_t bits = (eb & pick) | (ob & ~pick);
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// Cell of row i in a term's update table: its bin (D = 1) or bin pair c0 * nb1 + c1 (D = 2).
template <int D, class Code>
inline int64_t cell_of(const Code* c0, const Code* c1, int nb1, int64_t i) {
    return D == 1 ? (int64_t)c0[i] : (int64_t)c0[i] * nb1 + c1[i];
}

// Apply the updates UPD[ta[0..na)] to every row, refresh the gradients and build the histograms
// of the terms tn[0..nn) in the same pass. Returns the validation metric (NaN without validation).
template <class Code>
template <int OBJ, int D>
double BagBooster<Code>::apply_multi(const int* ta, int na, const int* tn, int nn) {
    const Code* A0[MAX_BATCH];
    const Code* A1[MAX_BATCH];
    int ANB[MAX_BATCH];
    const double* U[MAX_BATCH];
    const Code* N0[MAX_BATCH];
    const Code* N1[MAX_BATCH];
    int NNB[MAX_BATCH];
    double* Gb[MAX_BATCH];
    double* Hb[MAX_BATCH];
    size_t stride[MAX_BATCH], ncell[MAX_BATCH];
    for (int b = 0; b < na; ++b) {
        const TermSpec& A = T[ta[b]];
        A0[b] = ctr + (int64_t)A.feat[0] * ntr;
        A1[b] = D == 2 ? ctr + (int64_t)A.feat[1] * ntr : nullptr;
        ANB[b] = D == 2 ? A.nb[1] : 0;
        U[b] = UPD[ta[b]].data();
        if constexpr (OBJ == LOG_LOSS || OBJ == MULTICLASS) {
            // an update is piecewise constant (a few leaves): one exp() per run of equal values
            facs[b].resize((size_t)A.n_cells * K);
            const double* u = U[b];
            double* f = facs[b].data();
            double last_u[64], last_f[64];
            for (int k = 0; k < K; ++k) { last_u[k] = u[k]; last_f[k] = std::exp(u[k]); }
            for (size_t c = 0; c < (size_t)A.n_cells; ++c)
                for (int k = 0; k < K; ++k) {
                    const double v = u[c * K + k];
                    if (v != last_u[k]) { last_u[k] = v; last_f[k] = std::exp(v); }
                    f[c * K + k] = last_f[k];
                }
        }
    }
    // Terms with few cells get 4 interleaved copies of their histogram: consecutive rows then
    // rarely add to the same memory cell, which would chain the additions' latencies.
    size_t total = 0;
    for (int b = 0; b < nn; ++b) {
        const TermSpec& N = T[tn[b]];
        N0[b] = ctr + (int64_t)N.feat[0] * ntr;
        N1[b] = D == 2 ? ctr + (int64_t)N.feat[1] * ntr : nullptr;
        NNB[b] = D == 2 ? N.nb[1] : 0;
        ncell[b] = (size_t)N.n_cells * K;
        stride[b] = ncell[b] <= 512 ? ncell[b] : 0;
        total += stride[b] ? 4 * ncell[b] : ncell[b];
    }
    // row blocks (see n_row_blocks), each with its own histogram copies
    const int64_t nblk = n_row_blocks(ntr);
    if ((int64_t)blk.size() < nblk) blk.resize(nblk);
    const double q = P.obj_param;
    // which loop: 0 log loss + unit weights + one histogram, 1 log loss + one histogram,
    // 2 log loss without histogram, 3 multiclass hot path, 4 general, 5 rmse hot path
    int path = 4;
    if constexpr (OBJ == LOG_LOSS) {
        if (na == 1 && nn <= 1) path = nn == 0 ? 2 : (unit_train_weights ? 0 : 1);
    }
    if constexpr (OBJ == MULTICLASS) {
        if (na == 1 && nn <= 1) path = 3;
    }
    if constexpr (OBJ == RMSE) {
        if (na == 1 && nn <= 1) path = 5;
    }
    const size_t len0 = nn ? (stride[0] ? 4 * ncell[0] : ncell[0]) : 0;
    const size_t buflen = path <= 1 ? 2 * len0
                          : path == 2 ? 0
                          : path == 3 ? 2 * (nn ? ncell[0] : 0)
                          : path == 5 ? len0  // gradients only: the hessian of rmse is the weight
                                      : 2 * total;

    auto block_rows = [&](int64_t k) {
        const int64_t lo = k * ROW_BLOCK, hi = std::min<int64_t>(ntr, lo + ROW_BLOCK);
        double* GH;
        if (path == 4 && k == 0) {
            GH = scratch.data();  // block 0 adds straight into the (zeroed) final layout
        } else {
            blk[k].assign(buflen, 0.0);
            GH = blk[k].data();
        }
        if (path <= 2) {
            const Code* a0 = A0[0];
            const Code* a1 = A1[0];
            const int anb = ANB[0];
            const double* fb = facs[0].data();
            double* e_ = etr.data();
            if (path <= 1) {
                // G and H interleaved: one cache line per row instead of two. UNIT (path 0):
                // unit weights, no weight stream and labels as bytes (less memory traffic)
                const Code* n0 = N0[0];
                const Code* n1 = N1[0];
                const int nnb = NNB[0];
                const uint8_t* y8_ = y8.data();
                const double* w_ = wtr;
                const double* wy_ = wy.data();
                const size_t st = stride[0];
                auto rows_w = [&](auto unit) {
                    constexpr bool UNIT = decltype(unit)::value;
                    for (int64_t i = lo; i < hi; ++i) {
                        int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                        int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
                        double e = e_[i] * fb[ca];
                        e_[i] = e;
                        double inv = 1.0 / (1.0 + e);
                        double p = e * inv;
                        size_t o = 2 * ((size_t)(i & 3) * st + cn);
                        if constexpr (UNIT) {
                            GH[o] += p - (double)y8_[i];
                            GH[o + 1] += p * inv;
                        } else {
                            GH[o] += w_[i] * p - wy_[i];
                            GH[o + 1] += w_[i] * p * inv;
                        }
                    }
                };
                if (path == 0)
                    rows_w(std::true_type());
                else
                    rows_w(std::false_type());
            } else {
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                    e_[i] *= fb[ca];
                }
            }
            return;
        }
        if (path == 5) {
            // rmse hot path: one update, at most one histogram (four copies of G when small)
            const Code* a0 = A0[0];
            const Code* a1 = A1[0];
            const int anb = ANB[0];
            const double* u = U[0];
            const Code* n0 = nn ? N0[0] : a0;
            const Code* n1 = nn ? N1[0] : a1;
            const int nnb = nn ? NNB[0] : anb;
            const size_t st = nn ? stride[0] : 0;
            double* s_ = str;
            double* g_ = g.data();
            const double* y_ = ytr;
            const double* w_ = wtr;
            // UNIT: every weight is 1 (no weight stream)
            auto rows_w = [&](auto unit) {
                constexpr bool UNIT = decltype(unit)::value;
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                    const double sc = s_[i] + u[ca], gi = UNIT ? sc - y_[i] : w_[i] * (sc - y_[i]);
                    s_[i] = sc;
                    g_[i] = gi;
                    if (nn) {
                        int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
                        GH[(size_t)(i & 3) * st + cn] += gi;
                    }
                }
            };
            if (unit_weights)
                rows_w(std::true_type());
            else
                rows_w(std::false_type());
            return;
        }
        if (path == 3) {
            // multiclass hot path: one update, at most one histogram, (G, H) of each class interleaved
            const Code* a0 = A0[0];
            const Code* a1 = A1[0];
            const int anb = ANB[0];
            const double* fb = facs[0].data();
            const Code* n0 = nn ? N0[0] : a0;
            const Code* n1 = nn ? N1[0] : a1;
            const int nnb = nn ? NNB[0] : anb;
            // the class loops unrolled for 3 and 4 classes (KC = 0: any K, read at run time)
            auto rows_k = [&](auto kc) {
                constexpr int KC = decltype(kc)::value;
                const int KK = KC ? KC : K;
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                    double* e = &etr[i * KK];
                    const double* f = fb + ca * KK;
                    double z = 0.0;
                    for (int k = 0; k < KK; ++k) {
                        e[k] *= f[k];
                        z += e[k];
                    }
                    if (nn) {
                        int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
                        const double wi = wtr[i], inv = 1.0 / z, ws = wi * inv;  // one division, not K + 1
                        double* o = GH + 2 * (size_t)cn * KK;
                        for (int k = 0; k < KK; ++k) {
                            double p = e[k] * inv;
                            o[2 * k] += ws * e[k];
                            o[2 * k + 1] += wi * p * (1.0 - p);
                        }
                        o[2 * (int)ytr[i]] -= wi;
                    }
                }
            };
            if (K == 3)
                rows_k(std::integral_constant<int, 3>());
            else if (K == 4)
                rows_k(std::integral_constant<int, 4>());
            else
                rows_k(std::integral_constant<int, 0>());
            return;
        }
        // general loop: the same layout as `scratch` (G copies of every histogram, then H)
        double* Gk[MAX_BATCH];
        double* Hk[MAX_BATCH];
        for (int b = 0; b < nn; ++b) {
            Gk[b] = GH + (Gb[b] - scratch.data());
            Hk[b] = GH + (Hb[b] - scratch.data());
        }
        for (int64_t i = lo; i < hi; ++i) {
            const double wi = wtr[i];
            const size_t lane = (size_t)(i & 3);
            if constexpr (OBJ == LOG_LOSS) {
                // scores are carried by exp(score) only (drift ~1e-16 per step, no refresh needed)
                double e = etr[i];
                for (int b = 0; b < na; ++b) {
                    const int64_t ca = cell_of<D>(A0[b], A1[b], ANB[b], i);
                    e *= facs[b][ca];
                }
                etr[i] = e;
                double inv = 1.0 / (1.0 + e);
                double p = e * inv;
                double gi = wi * p - wy[i];
                double hi_ = wi * p * inv;
                for (int b = 0; b < nn; ++b) {
                    int64_t cn = D == 1 ? (int64_t)N0[b][i] : (int64_t)N0[b][i] * NNB[b] + N1[b][i];
                    size_t o = lane * stride[b] + cn;
                    Gk[b][o] += gi;
                    Hk[b][o] += hi_;
                }
            } else if constexpr (OBJ == MULTICLASS) {
                double* e = &etr[i * K];
                for (int b = 0; b < na; ++b) {
                    const int64_t ca = cell_of<D>(A0[b], A1[b], ANB[b], i);
                    const double* fb = &facs[b][ca * K];
                    for (int k = 0; k < K; ++k) e[k] *= fb[k];
                }
                double z = 0.0;
                for (int k = 0; k < K; ++k) z += e[k];
                double inv = 1.0 / z;
                int yi = (int)ytr[i];
                double gk[64], hk[64];
                for (int k = 0; k < K; ++k) {
                    double p = e[k] * inv;
                    gk[k] = wi * (p - (k == yi ? 1.0 : 0.0));
                    hk[k] = wi * p * (1.0 - p);
                }
                for (int b = 0; b < nn; ++b) {
                    int64_t cn = D == 1 ? (int64_t)N0[b][i] : (int64_t)N0[b][i] * NNB[b] + N1[b][i];
                    size_t o = lane * stride[b] + cn * K;
                    for (int k = 0; k < K; ++k) {
                        Gk[b][o + k] += gk[k];
                        Hk[b][o + k] += hk[k];
                    }
                }
            } else {
                double s = str[i];
                for (int b = 0; b < na; ++b) {
                    const int64_t ca = cell_of<D>(A0[b], A1[b], ANB[b], i);
                    s += U[b][ca];
                }
                str[i] = s;
                double gi, hi_ = wi;
                if constexpr (OBJ == RMSE) {
                    gi = wi * (s - ytr[i]);
                } else if constexpr (OBJ == QUANTILE) {
                    double y = ytr[i];
                    gi = wi * (y > s ? -q : (y < s ? 1.0 - q : 0.0));
                } else {
                    double gg, hh;
                    row_grad(OBJ, q, &s, ytr[i], &gg, &hh, 1);
                    gi = wi * gg;
                    hi_ = wi * hh;
                    h[i] = hi_;
                }
                g[i] = gi;
                for (int b = 0; b < nn; ++b) {
                    int64_t cn = D == 1 ? (int64_t)N0[b][i] : (int64_t)N0[b][i] * NNB[b] + N1[b][i];
                    size_t o = lane * stride[b] + cn;
                    Gk[b][o] += gi;
                    if (!const_hess) Hk[b][o] += hi_;
                }
            }
        }
    };

    if (path == 4) {
        scratch.assign(2 * total, 0.0);
        size_t o = 0;
        for (int b = 0; b < nn; ++b) {
            Gb[b] = scratch.data() + o;
            Hb[b] = scratch.data() + total + o;
            o += stride[b] ? 4 * ncell[b] : ncell[b];
        }
    }
    run_blocks(nblk, block_rows);
    ++applied;
    // add the blocks up in block order, then sum the interleaved copies into the term histograms
    if (path == 4) {
        add_later_blocks(scratch.data(), blk, nblk, buflen);
        for (int b = 0; b < nn; ++b) {
            double* Gout = HG[tn[b]].data();
            double* Hout = HH[tn[b]].data();
            const size_t nc = ncell[b];
            if (stride[b]) {
                const double* G = Gb[b];
                const double* H = Hb[b];
                for (size_t c = 0; c < nc; ++c) {
                    Gout[c] = (G[c] + G[nc + c]) + (G[2 * nc + c] + G[3 * nc + c]);
                    Hout[c] = (H[c] + H[nc + c]) + (H[2 * nc + c] + H[3 * nc + c]);
                }
            } else {
                std::copy(Gb[b], Gb[b] + nc, Gout);
                std::copy(Hb[b], Hb[b] + nc, Hout);
            }
            if (const_hess) std::copy(WSUM[tn[b]].begin(), WSUM[tn[b]].end(), Hout);
            hist_epoch[tn[b]] = applied;
        }
    } else if (nn == 1) {
        // hot paths: (G, H) interleaved per cell, four copies (paths 0, 1) or one (path 3)
        double* acc = blk[0].data();
        add_later_blocks(acc, blk, nblk, buflen);
        double* Gout = HG[tn[0]].data();
        double* Hout = HH[tn[0]].data();
        const size_t nc = ncell[0];
        if (path == 5) {
            if (stride[0]) {
                for (size_t c = 0; c < nc; ++c)
                    Gout[c] = (acc[c] + acc[nc + c]) + (acc[2 * nc + c] + acc[3 * nc + c]);
            } else {
                std::copy(acc, acc + nc, Gout);
            }
            std::copy(WSUM[tn[0]].begin(), WSUM[tn[0]].end(), Hout);
        } else if (path <= 1 && stride[0]) {
            for (size_t c = 0; c < nc; ++c) {
                Gout[c] = (acc[2 * c] + acc[2 * (nc + c)]) + (acc[2 * (2 * nc + c)] + acc[2 * (3 * nc + c)]);
                Hout[c] = (acc[2 * c + 1] + acc[2 * (nc + c) + 1]) +
                          (acc[2 * (2 * nc + c) + 1] + acc[2 * (3 * nc + c) + 1]);
            }
        } else {
            for (size_t c = 0; c < nc; ++c) {
                Gout[c] = acc[2 * c];
                Hout[c] = acc[2 * c + 1];
            }
        }
        hist_epoch[tn[0]] = applied;
    }
    // validation rows: scores and metric
    if (nval == 0) return NAN;
    const Code* V0[MAX_BATCH];
    const Code* V1[MAX_BATCH];
    for (int b = 0; b < na; ++b) {
        const TermSpec& A = T[ta[b]];
        V0[b] = cval + (int64_t)A.feat[0] * nval;
        V1[b] = D == 2 ? cval + (int64_t)A.feat[1] * nval : nullptr;
    }
    // the same fixed row blocks as the training pass; each block's loss is added in block order
    // (one block: exactly the plain loop)
    const int64_t nvblk = n_row_blocks(nval);
    vblk_loss.assign(nvblk, 0.0);
    auto val_rows = [&](int64_t k) {
        const int64_t lo = k * ROW_BLOCK, hi = std::min<int64_t>(nval, lo + ROW_BLOCK);
        double loss = 0.0;
        if constexpr (OBJ == LOG_LOSS || OBJ == MULTICLASS) {
            // -log p(y) = log(r) with r = (1 + e) / e^y (binary) or sum_k e_k / e_y (multiclass):
            // exp(score) alone carries the rows (as for the training rows), so the scores are
            // not stored, which saves a third of the validation pass's memory traffic. With unit
            // weights the logs of a running product are taken only when it gets large.
            double prod = 1.0;
            for (int64_t i = lo; i < hi; ++i) {
                double r;
                if constexpr (OBJ == LOG_LOSS) {
                    double e = eval_[i];
                    for (int b = 0; b < na; ++b) {
                        const int64_t ca = cell_of<D>(V0[b], V1[b], ANB[b], i);
                        e *= facs[b][ca];
                    }
                    eval_[i] = e;
                    r = (1.0 + e) / e_if_positive(yval8[i], e);
                } else {
                    double* e = &eval_[i * K];
                    for (int b = 0; b < na; ++b) {
                        const int64_t ca = cell_of<D>(V0[b], V1[b], ANB[b], i);
                        for (int k = 0; k < K; ++k) e[k] *= facs[b][ca * K + k];
                    }
                    double z = 0.0;
                    for (int k = 0; k < K; ++k) z += e[k];
                    r = z / e[(int)yval[i]];
                }
                if (unit_val_weights) {
                    prod *= r;
                    if (prod > 1e250) { loss += std::log(prod); prod = 1.0; }
                } else {
                    loss += wval[i] * std::log(r);
                }
            }
            loss += std::log(prod);
        } else {
            for (int64_t i = lo; i < hi; ++i) {
                double sv = sval[i];
                for (int b = 0; b < na; ++b) {
                    const int64_t ca = cell_of<D>(V0[b], V1[b], ANB[b], i);
                    sv += U[b][ca];
                }
                sval[i] = sv;
                loss += wval[i] * row_loss(OBJ, q, &sv, yval[i], 1);
            }
        }
        vblk_loss[k] = loss;
    };
    run_blocks(nvblk, val_rows);
    double loss = vblk_loss[0];
    for (int64_t k = 1; k < nvblk; ++k) loss += vblk_loss[k];
    return wval_total > 0 ? loss / wval_total : loss;
}

template <class Code>
double BagBooster<Code>::apply(const int* ta, int na, const int* tn, int nn) {
    const bool two = T[ta[0]].n_dims == 2;
#define GB_DISPATCH(O)                                                      \
    case O:                                                                 \
        return two ? apply_multi<O, 2>(ta, na, tn, nn) : apply_multi<O, 1>(ta, na, tn, nn);
    switch (P.objective) {
        GB_DISPATCH(LOG_LOSS)
        GB_DISPATCH(MULTICLASS)
        GB_DISPATCH(RMSE)
        GB_DISPATCH(POISSON)
        GB_DISPATCH(TWEEDIE)
        GB_DISPATCH(GAMMA)
        GB_DISPATCH(QUANTILE)
    }
#undef GB_DISPATCH
    return NAN;
}

}  // namespace gbebm
