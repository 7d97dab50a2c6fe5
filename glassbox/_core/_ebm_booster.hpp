// BagBooster: the state of one outer bag while it is boosted, and the term updates.
//
// The class is declared here with its parameters, its per-row and per-term state
// (init_state), the histograms of the terms (build_hist) and the term updates fitted from them
// with their gains (make_update, inner_bag_update). The pass that applies an update to the rows
// is in _ebm_pass.hpp (apply, apply_multi), the boosting loop in _ebm_boost.hpp (run).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "_ebm_objectives.hpp"
#include "_ebm_row_blocks.hpp"
#include "_ebm_split.hpp"

namespace gbebm {

constexpr int MAX_BATCH = 16;  // most updates applied (and histograms built) in one pass

struct BoostParams {
    SplitParams split;
    int objective;
    double obj_param;  // tweedie variance power or quantile alpha
    double gain_scale;
    double greedy_ratio;
    double cyclic_progress;
    int smoothing_rounds;
    int64_t max_rounds;
    int early_stopping_rounds;
    double early_stopping_tolerance;
    int greedy_batch;   // greedy steps applied per pass over the rows (1 = interpret's sequence)
    int n_threads;      // threads for the row blocks of this bag's passes (1 = serial)
    int share_threads;  // 1: n_threads is shared by the bags running at once (see running_bags)
    int inner_bags;     // 0: boost on the bag's rows; k: average the updates fitted on k bootstrap samples
    // optional user callback after every step (interpret's `callback`): nonzero return stops the bag
    int (*step_callback)(void* ctx, int64_t step, int progress, double metric);
    void* callback_ctx;
};

struct TermSpec {
    int n_dims;
    int feat[2];
    int nb[2];
    int n_cells;
    bool nominal;
    int monotone;
};

struct BagResult {
    int64_t n_steps = 0;
    double best_metric = INFINITY;
};

template <class Code>
class BagBooster {
   public:
    // codes_tr: (n_features, n_tr) column-major codes of the bag's training rows; same for val.
    // scores_tr / scores_val: (n, K) initial scores (intercept + frozen terms), used as scratch
    // (log loss and multiclass carry exp(score) per row instead of the scores).
    BagBooster(const BoostParams& bp, const std::vector<TermSpec>& terms, const Code* codes_tr, int64_t n_tr,
               const Code* codes_val, int64_t n_val, const double* y_tr, const double* w_tr, const double* y_val,
               const double* w_val, double* scores_tr, double* scores_val, uint64_t seed)
        : P(bp), T(terms), K(bp.split.n_scores), ctr(codes_tr), cval(codes_val), ntr(n_tr), nval(n_val),
          ytr(y_tr), wtr(w_tr), yval(y_val), wval(w_val), str(scores_tr), sval(scores_val), rng(seed) {}

    // Run the whole loop; `model` holds one (n_cells * K) tensor per term, returned as the best model.
    BagResult run(std::vector<std::vector<double>>& model);

   private:
    const BoostParams P;
    const std::vector<TermSpec>& T;
    const int K;
    const Code *ctr, *cval;
    const int64_t ntr, nval;
    const double *ytr, *wtr, *yval, *wval;
    double *str, *sval;
    Rng rng;

    std::vector<double> etr, eval_;      // exp(score) per training / validation row (log loss, multiclass)
    bool unit_val_weights = true;
    bool unit_weights = true;           // every training weight is 1
    bool unit_train_weights = false;    // log loss with w == 1: the hot pass skips the weights
    std::vector<uint8_t> y8;            // labels as bytes when unit_train_weights
    std::vector<uint8_t> yval8;         // validation labels as bytes (log loss): less memory traffic
    std::vector<double> g, h;            // weighted gradient / hessian per training row
    std::vector<std::vector<double>> HG, HH, CNT, WSUM, UPD;
    std::vector<int64_t> hist_epoch, upd_epoch;  // apply count when the histogram/update was computed
    std::vector<double> upd_gain;
    std::vector<double> fac;            // exp(update) per cell
    std::vector<double> wy;             // w * y per training row (log loss)
    std::vector<double> scratch;        // interleaved histogram copies
    std::vector<std::vector<double>> blk;  // per row block: its histogram copies
    std::vector<double> vblk_loss;       // per validation row block: its loss
    std::vector<uint8_t> ib_cnt;         // inner_bags x ntr bootstrap counts (inner bagging)
    std::vector<double> ig, ih, ic, iu;  // one inner bag's histogram, counts and update
    int64_t applied = 0;
    bool const_hess = false, mult = false;
    double wval_total = 0.0;
    Split1DWork w1;
    Split2DWork w2;

    inline int64_t cell(const TermSpec& t, const Code* codes, int64_t n, int64_t i) const {
        if (t.n_dims == 1) return codes[(int64_t)t.feat[0] * n + i];
        return (int64_t)codes[(int64_t)t.feat[0] * n + i] * t.nb[1] + codes[(int64_t)t.feat[1] * n + i];
    }
    void init_state();
    void refresh_exp();
    void refresh_exp_val();
    void build_hist(int t);
    // fn(k) for every row block k, taken dynamically by the bag's threads when it has several
    template <class F>
    void run_blocks(int64_t n_blocks, F&& fn) const {
        int share = std::max(1, P.n_threads);
        if (P.share_threads) share = std::max(1, share / std::max(1, running_bags().load(std::memory_order_relaxed)));
        const int nthr = (int)std::min<int64_t>(share, n_blocks);
        if (nthr > 1) {
#pragma omp parallel for num_threads(nthr) schedule(dynamic, 1)
            for (int64_t k = 0; k < n_blocks; ++k) fn(k);
        } else {
            for (int64_t k = 0; k < n_blocks; ++k) fn(k);
        }
    }
    double inner_bag_update(int t, bool random_splits);
    double make_update(int t, bool random_splits);
    template <int OBJ, int D>
    double apply_multi(const int* ta, int na, const int* tn, int nn);
    double apply(const int* ta, int na, const int* tn, int nn);
    std::vector<double> facs[16];       // exp(update) per cell of each applied term
};

template <class Code>
void BagBooster<Code>::init_state() {
    const int obj = P.objective;
    mult = (obj == LOG_LOSS || obj == MULTICLASS);
    const_hess = (obj == RMSE || obj == QUANTILE);
    // log loss and multiclass recompute gradients from exp(score): no per-row g / h arrays
    const bool store_grad = !(obj == LOG_LOSS || obj == MULTICLASS);
    if (store_grad) {
        g.assign((size_t)ntr * K, 0.0);
        h.assign((size_t)ntr * K, 0.0);
    }
    if (mult) {
        etr.assign((size_t)ntr * K, 0.0);
        eval_.assign((size_t)nval * K, 0.0);
        refresh_exp();
        refresh_exp_val();
    }
    if (obj == LOG_LOSS) {
        wy.resize(ntr);
        for (int64_t i = 0; i < ntr; ++i) wy[i] = wtr[i] * ytr[i];
        unit_train_weights = true;
        for (int64_t i = 0; i < ntr; ++i)
            unit_train_weights = unit_train_weights && wtr[i] == 1.0 && (ytr[i] == 0.0 || ytr[i] == 1.0);
        if (unit_train_weights) {
            y8.resize(ntr);
            for (int64_t i = 0; i < ntr; ++i) y8[i] = (uint8_t)ytr[i];
        }
        yval8.resize(nval);
        for (int64_t i = 0; i < nval; ++i) yval8[i] = yval[i] != 0.0;
    }
    for (int64_t i = 0; i < nval; ++i) unit_val_weights = unit_val_weights && wval[i] == 1.0;
    for (int64_t i = 0; i < ntr; ++i) unit_weights = unit_weights && wtr[i] == 1.0;
    for (int64_t i = 0; i < (store_grad ? ntr : 0); ++i) {
        double gg[64], hh[64];
        row_grad(obj, P.obj_param, str + i * K, ytr[i], gg, hh, K);
        for (int k = 0; k < K; ++k) {
            g[i * K + k] = wtr[i] * gg[k];
            h[i * K + k] = wtr[i] * hh[k];
        }
    }
    const size_t nt = T.size();
    HG.resize(nt); HH.resize(nt); CNT.resize(nt); WSUM.resize(nt); UPD.resize(nt);
    hist_epoch.assign(nt, -1);
    upd_epoch.assign(nt, -1);
    upd_gain.assign(nt, 0.0);
    size_t max_cells = 0;
    for (size_t t = 0; t < nt; ++t) {
        const TermSpec& ts = T[t];
        HG[t].assign((size_t)ts.n_cells * K, 0.0);
        HH[t].assign((size_t)ts.n_cells * K, 0.0);
        UPD[t].assign((size_t)ts.n_cells * K, 0.0);
        CNT[t].assign(ts.n_cells, 0.0);
        WSUM[t].assign(ts.n_cells, 0.0);
        for (int64_t i = 0; i < ntr; ++i) {
            int64_t c = cell(ts, ctr, ntr, i);
            CNT[t][c] += 1.0;
            WSUM[t][c] += wtr[i];
        }
        max_cells = std::max(max_cells, (size_t)ts.n_cells);
    }
    fac.assign(max_cells * K, 1.0);
    if (P.inner_bags > 0) {
        // bootstrap samples of the bag's training rows (own stream: the boosting draws are
        // the same as without inner bags up to here); counts above 255 are capped
        Rng irng(rng.state ^ 0xA0761D6478BD642FULL);
        ib_cnt.assign((size_t)P.inner_bags * ntr, 0);
        for (int b = 0; b < P.inner_bags; ++b) {
            uint8_t* cnt = &ib_cnt[(size_t)b * ntr];
            for (int64_t j = 0; j < ntr; ++j) {
                uint8_t& c = cnt[irng.below(ntr)];
                if (c < 255) ++c;
            }
        }
    }
    wval_total = 0.0;
    for (int64_t i = 0; i < nval; ++i) wval_total += wval[i];
}

template <class Code>
void BagBooster<Code>::refresh_exp() {
    if (P.objective == LOG_LOSS) {
        for (int64_t i = 0; i < ntr; ++i) etr[i] = std::exp(str[i]);
    } else {
        for (int64_t i = 0; i < ntr; ++i) {
            const double* s = str + i * K;
            double m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
            for (int k = 0; k < K; ++k) etr[i * K + k] = std::exp(s[k] - m);
        }
    }
}

template <class Code>
void BagBooster<Code>::refresh_exp_val() {
    for (int64_t i = 0; i < nval; ++i) {
        const double* s = sval + i * K;
        double m = 0.0;
        if (K > 1) {
            m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
        }
        for (int k = 0; k < K; ++k) eval_[i * K + k] = std::exp(s[k] - m);
    }
}

// Histogram of term t from the stored gradients.
template <class Code>
void BagBooster<Code>::build_hist(int t) {
    const TermSpec& ts = T[t];
    const size_t nc = (size_t)ts.n_cells * K;
    double* G = HG[t].data();
    double* H = HH[t].data();
    std::fill(G, G + nc, 0.0);
    std::fill(H, H + nc, 0.0);
    // fixed row blocks as in the training pass: block 0 adds straight into the histogram, the
    // others into their own copies, added in block order (one block: the plain loop)
    const int64_t nblk = n_row_blocks(ntr);
    if ((int64_t)blk.size() < nblk) blk.resize(nblk);
    auto rows = [&](int64_t k) {
        const int64_t lo = k * ROW_BLOCK, hi = std::min<int64_t>(ntr, lo + ROW_BLOCK);
        double* Gk = G;
        double* Hk = H;
        if (k > 0) {
            blk[k].assign(2 * nc, 0.0);
            Gk = blk[k].data();
            Hk = Gk + nc;
        }
        if (P.objective == LOG_LOSS) {
            // UNIT (unit weights): w * p - w * y is p - y exactly; labels as bytes, no weight streams
            auto rows_w = [&](auto unit) {
                constexpr bool UNIT = decltype(unit)::value;
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t c = cell(ts, ctr, ntr, i);
                    double e = etr[i], inv = 1.0 / (1.0 + e), p = e * inv;
                    Gk[c] += UNIT ? p - (double)y8[i] : wtr[i] * p - wy[i];
                    Hk[c] += UNIT ? p * inv : wtr[i] * p * inv;
                }
            };
            if (unit_train_weights)
                rows_w(std::true_type());
            else
                rows_w(std::false_type());
        } else if (P.objective == MULTICLASS) {
            for (int64_t i = lo; i < hi; ++i) {
                int64_t c = cell(ts, ctr, ntr, i);
                const double* e = &etr[i * K];
                double z = 0.0;
                for (int k2 = 0; k2 < K; ++k2) z += e[k2];
                double inv = 1.0 / z;
                int yi = (int)ytr[i];
                for (int k2 = 0; k2 < K; ++k2) {
                    double p = e[k2] * inv;
                    Gk[c * K + k2] += wtr[i] * (p - (k2 == yi ? 1.0 : 0.0));
                    Hk[c * K + k2] += wtr[i] * p * (1.0 - p);
                }
            }
        } else if (K == 1) {
            const Code* c0 = ctr + (int64_t)ts.feat[0] * ntr;
            const Code* c1 = ts.n_dims == 2 ? ctr + (int64_t)ts.feat[1] * ntr : nullptr;
            const int nb1 = ts.nb[1];
            if (ts.n_dims == 1) {
                if (const_hess) {
                    for (int64_t i = lo; i < hi; ++i) Gk[c0[i]] += g[i];
                } else {
                    for (int64_t i = lo; i < hi; ++i) { Gk[c0[i]] += g[i]; Hk[c0[i]] += h[i]; }
                }
            } else if (const_hess) {
                for (int64_t i = lo; i < hi; ++i) Gk[(int64_t)c0[i] * nb1 + c1[i]] += g[i];
            } else {
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t c = (int64_t)c0[i] * nb1 + c1[i];
                    Gk[c] += g[i];
                    Hk[c] += h[i];
                }
            }
        } else {
            for (int64_t i = lo; i < hi; ++i) {
                int64_t c = cell(ts, ctr, ntr, i);
                for (int k2 = 0; k2 < K; ++k2) {
                    Gk[c * K + k2] += g[i * K + k2];
                    Hk[c * K + k2] += h[i * K + k2];
                }
            }
        }
    };
    run_blocks(nblk, rows);
    add_later_blocks(G, blk, nblk, nc);
    add_later_blocks(H, blk, nblk, nc, nc);
    if (const_hess) std::copy(WSUM[t].begin(), WSUM[t].end(), H);
    hist_epoch[t] = applied;
}

// Inner bagging (interpret's inner_bags): the term's update is the mean of the updates fitted
// on each bootstrap sample of the bag's training rows (gradients weighted by the row's count),
// and its gain the mean gain. One pass over the rows fills every inner bag's histogram.
template <class Code>
double BagBooster<Code>::inner_bag_update(int t, bool random_splits) {
    const TermSpec& ts = T[t];
    const int IB = P.inner_bags;
    const size_t nc = (size_t)ts.n_cells * K;
    ig.assign(IB * nc, 0.0);
    ih.assign(IB * nc, 0.0);
    ic.assign((size_t)IB * ts.n_cells, 0.0);
    double gk[64], hk[64];
    for (int64_t i = 0; i < ntr; ++i) {
        const int64_t c = cell(ts, ctr, ntr, i);
        const double wi = wtr[i];
        if (P.objective == LOG_LOSS) {
            double e = etr[i], inv = 1.0 / (1.0 + e), p = e * inv;
            gk[0] = wi * p - wy[i];
            hk[0] = wi * p * inv;
        } else if (P.objective == MULTICLASS) {
            const double* e = &etr[i * K];
            double z = 0.0;
            for (int k = 0; k < K; ++k) z += e[k];
            const int yi = (int)ytr[i];
            for (int k = 0; k < K; ++k) {
                double p = e[k] / z;
                gk[k] = wi * (p - (k == yi ? 1.0 : 0.0));
                hk[k] = wi * p * (1.0 - p);
            }
        } else {
            for (int k = 0; k < K; ++k) {
                gk[k] = g[i * K + k];
                hk[k] = const_hess ? wi : h[i * K + k];
            }
        }
        for (int b = 0; b < IB; ++b) {
            const double m = ib_cnt[(size_t)b * ntr + i];
            if (m == 0.0) continue;
            double* G = &ig[b * nc + c * K];
            double* H = &ih[b * nc + c * K];
            for (int k = 0; k < K; ++k) {
                G[k] += m * gk[k];
                H[k] += m * hk[k];
            }
            ic[(size_t)b * ts.n_cells + c] += m;
        }
    }
    double* upd = UPD[t].data();
    std::fill(upd, upd + nc, 0.0);
    iu.resize(nc);
    double gain = 0.0;
    for (int b = 0; b < IB; ++b) {
        double gb;
        std::fill(iu.begin(), iu.end(), 0.0);
        if (ts.n_dims == 1)
            gb = split_1d(ts.nb[0], &ig[b * nc], &ih[b * nc], &ic[(size_t)b * ts.n_cells], ts.nominal, ts.monotone,
                          random_splits, P.split, rng, w1, iu.data());
        else
            gb = split_2d(ts.nb[0], ts.nb[1], &ig[b * nc], &ih[b * nc], &ic[(size_t)b * ts.n_cells], random_splits,
                          P.split, rng, w2, iu.data());
        if (!std::isfinite(gb)) gb = 0.0;
        gain += gb / IB;
        for (size_t x = 0; x < nc; ++x) upd[x] += iu[x] / IB;
    }
    return gain;
}

template <class Code>
double BagBooster<Code>::make_update(int t, bool random_splits) {
    if (upd_epoch[t] == applied && !random_splits) return upd_gain[t];
    const TermSpec& ts = T[t];
    double gain;
    if (P.inner_bags > 0) {
        gain = inner_bag_update(t, random_splits);
        if (ts.n_dims == 1 && ts.nominal) gain *= P.gain_scale;
        upd_epoch[t] = applied;
        upd_gain[t] = gain;
        return gain;
    }
    if (hist_epoch[t] != applied) build_hist(t);
    if (ts.n_dims == 1)
        gain = split_1d(ts.nb[0], HG[t].data(), HH[t].data(), CNT[t].data(), ts.nominal, ts.monotone, random_splits,
                        P.split, rng, w1, UPD[t].data());
    else
        gain = split_2d(ts.nb[0], ts.nb[1], HG[t].data(), HH[t].data(), CNT[t].data(), random_splits, P.split, rng, w2,
                        UPD[t].data());
    if (ts.n_dims == 1 && ts.nominal) gain *= P.gain_scale;
    upd_epoch[t] = applied;
    upd_gain[t] = gain;
    return gain;
}

}  // namespace gbebm
