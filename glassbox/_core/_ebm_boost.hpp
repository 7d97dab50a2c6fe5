// One outer bag of an Explainable Boosting Machine, boosted end to end in C++.
//
// The loop follows interpret 0.7.8's `_boost.py::boost`: smoothing rounds (cyclic, random cuts),
// then rounds made of one cyclic pass that only refreshes every term's gain followed by
// ceil(greedy_ratio * n_terms) greedy steps that each apply the update of the term with the
// highest (lazily refreshed) gain; early stopping on the validation metric over a window of
// early_stopping_rounds * n_terms steps; the returned model is the one with the best
// validation metric.
//
// Speed: every applied step is ONE pass over the bag's training rows that (a) adds the update
// to the row's score, (b) refreshes its gradient and hessian and (c) accumulates the histogram
// of the term boosted next (known before the pass: the next cyclic term or the top of the
// greedy heap). For log loss the pass keeps exp(score) per row and multiplies it by exp(update)
// of the row's cell (a few distinct values), so no exp() is evaluated per row.
#pragma once
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <queue>
#include <type_traits>
#include <vector>

#include "_ebm_objectives.hpp"
#include "_ebm_split.hpp"
#include "_ebm_fast.hpp"

namespace gbebm {

constexpr int MAX_BATCH = 16;

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

// Bags that share their threads (share_threads) and are boosting right now, in this process.
// Such a bag's passes use n_threads / (that number) threads, so the cores of the bags that
// finish first go to the bags still running: bags stop after different numbers of steps, and
// the stage waits for the slowest. Results never depend on the thread count (fixed row blocks).
inline std::atomic<int>& running_bags() {
    static std::atomic<int> count{0};
    return count;
}
constexpr int64_t ROW_BLOCK = 1 << 16;  // rows per block of the (parallel) training pass

// Rows are processed in a fixed partition of ROW_BLOCK-row blocks, whatever the thread count:
// each block accumulates into its own buffer, added up in block order, so results never
// depend on the number of threads, and a single block is exactly the plain loop.
inline int64_t n_row_blocks(int64_t n_rows) { return std::max<int64_t>(1, (n_rows + ROW_BLOCK - 1) / ROW_BLOCK); }

// acc[j] += blocks[k][offset + j] for k = 1 .. n_blocks - 1, in block order (block 0 is acc).
inline void add_later_blocks(double* acc, const std::vector<std::vector<double>>& blocks, int64_t n_blocks,
                             size_t len, size_t offset = 0) {
    for (int64_t k = 1; k < n_blocks; ++k) {
        const double* add = blocks[k].data() + offset;
        for (size_t j = 0; j < len; ++j) acc[j] += add[j];
    }
}

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
            if (path == 0) {
                // unit weights: no weight stream, labels as bytes (less memory traffic per row)
                const Code* n0 = N0[0];
                const Code* n1 = N1[0];
                const int nnb = NNB[0];
                const uint8_t* y8_ = y8.data();
                const size_t st = stride[0];
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                    int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
                    double e = e_[i] * fb[ca];
                    e_[i] = e;
                    double inv = 1.0 / (1.0 + e);
                    double p = e * inv;
                    size_t o = 2 * ((size_t)(i & 3) * st + cn);
                    GH[o] += p - (double)y8_[i];
                    GH[o + 1] += p * inv;
                }
            } else if (path == 1) {
                // G and H interleaved: one cache line per row instead of two
                const Code* n0 = N0[0];
                const Code* n1 = N1[0];
                const int nnb = NNB[0];
                const double* w_ = wtr;
                const double* wy_ = wy.data();
                const size_t st = stride[0];
                for (int64_t i = lo; i < hi; ++i) {
                    int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
                    int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
                    double e = e_[i] * fb[ca];
                    e_[i] = e;
                    double inv = 1.0 / (1.0 + e);
                    double p = e * inv;
                    size_t o = 2 * ((size_t)(i & 3) * st + cn);
                    GH[o] += w_[i] * p - wy_[i];
                    GH[o + 1] += w_[i] * p * inv;
                }
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
                    int64_t ca = D == 1 ? (int64_t)A0[b][i] : (int64_t)A0[b][i] * ANB[b] + A1[b][i];
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
                    int64_t ca = D == 1 ? (int64_t)A0[b][i] : (int64_t)A0[b][i] * ANB[b] + A1[b][i];
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
                    int64_t ca = D == 1 ? (int64_t)A0[b][i] : (int64_t)A0[b][i] * ANB[b] + A1[b][i];
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
                        int64_t ca = D == 1 ? (int64_t)V0[b][i] : (int64_t)V0[b][i] * ANB[b] + V1[b][i];
                        e *= facs[b][ca];
                    }
                    eval_[i] = e;
                    r = (1.0 + e) / e_if_positive(yval8[i], e);
                } else {
                    double* e = &eval_[i * K];
                    for (int b = 0; b < na; ++b) {
                        int64_t ca = D == 1 ? (int64_t)V0[b][i] : (int64_t)V0[b][i] * ANB[b] + V1[b][i];
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
                    int64_t ca = D == 1 ? (int64_t)V0[b][i] : (int64_t)V0[b][i] * ANB[b] + V1[b][i];
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

template <class Code>
BagResult BagBooster<Code>::run(std::vector<std::vector<double>>& model) {
    BagResult res;
    const int nt = (int)T.size();
    model.resize(nt);
    for (int t = 0; t < nt; ++t) model[t].assign((size_t)T[t].n_cells * K, 0.0);
    if (nt == 0) return res;
    init_state();
    std::vector<std::vector<double>> best = model;
    std::vector<char> dirty(nt, 0);
    std::vector<int> dirty_list;

    const int64_t max_steps = P.max_rounds * nt;
    const double greedy_ratio = std::min(P.greedy_ratio, (double)P.max_rounds);
    int64_t greedy_steps = (int64_t)std::ceil(greedy_ratio * nt);
    double cyclic_progress = P.cyclic_progress;
    if (greedy_steps <= 0) { cyclic_progress = 1.0; greedy_steps = 0; }
    double cyclic_state = cyclic_progress;
    int smoothing = P.smoothing_rounds;
    const bool early = P.early_stopping_rounds > 0 && nval > 0;
    std::vector<double> circular(early ? (size_t)P.early_stopping_rounds * nt : 0, INFINITY);
    size_t circ_idx = 0;
    // minimum of the window in O(1) amortised per step (a scan of the window per step costs as
    // much as the step itself for small data with many pairs): increasing values, with times
    std::deque<std::pair<int64_t, double>> window_min;
    int64_t n_pushed = 0;
    double min_metric = INFINITY, min_prev = INFINITY;
    double best_metric = INFINITY;
    std::vector<int> order(nt);
    for (int t = 0; t < nt; ++t) order[t] = t;
    // max-heap on (gain, -tiebreak): interpret pops the smallest (-gain, random key)
    struct Entry { double gain; uint64_t tie; int term; };
    auto cmp = [](const Entry& a, const Entry& b) {
        if (a.gain != b.gain) return a.gain < b.gain;
        return a.tie > b.tie;
    };
    std::vector<Entry> heap;  // max-heap under cmp

    int64_t state = 0, step = 0;
    bool first_pass = true;
    const int batch = std::max(1, std::min(P.greedy_batch, MAX_BATCH));
    int cur[MAX_BATCH], nxt[MAX_BATCH];
    std::vector<Entry> peek;
    // the top n entries of the heap, without removing them
    auto top_terms = [&](int n, int* out) -> int {
        peek = heap;
        int m = 0;
        while (m < n && !peek.empty()) {
            std::pop_heap(peek.begin(), peek.end(), cmp);
            out[m++] = peek.back().term;
            peek.pop_back();
        }
        return m;
    };
    while (step < max_steps) {
        int n_cur = 0;
        bool progress;
        if (state >= 0) {
            if (state == 0) {
                heap.clear();
                if (first_pass || greedy_steps > 0) rng.shuffle(order.data(), nt);
                first_pass = false;
            }
            cur[n_cur++] = order[state];
            progress = cyclic_state >= 1.0 || smoothing > 0;
        } else {
            // greedy: the terms with the highest stale gains, `batch` at a time
            int want = (int)std::min<int64_t>({(int64_t)batch, -state, (int64_t)heap.size(), max_steps - step});
            for (int b = 0; b < want; ++b) {
                std::pop_heap(heap.begin(), heap.end(), cmp);
                cur[n_cur++] = heap.back().term;
                heap.pop_back();
            }
            progress = true;
        }
        for (int b = 0; b < n_cur; ++b) {
            double gain = make_update(cur[b], smoothing > 0);
            if (!std::isfinite(gain)) gain = 0.0;
            heap.push_back({gain, rng.next(), cur[b]});
            std::push_heap(heap.begin(), heap.end(), cmp);
        }

        // the state after this pass, to know which histograms to build while applying
        int64_t next_state = state + n_cur;
        if (progress) {
            int n_next = 0;
            if (P.inner_bags > 0)
                n_next = 0;  // inner bags build their own histograms (make_update)
            else if (state < 0 && next_state < 0)
                n_next = top_terms((int)std::min<int64_t>(batch, -next_state), nxt);
            else if (state >= 0 && next_state < nt)
                nxt[n_next++] = order[next_state];
            double metric = apply(cur, n_cur, nxt, n_next);
            for (int b = 0; b < n_cur; ++b) {
                const int t = cur[b];
                for (size_t c = 0; c < UPD[t].size(); ++c) model[t][c] += UPD[t][c];
                if (!dirty[t]) { dirty[t] = 1; dirty_list.push_back(t); }
            }
            step += n_cur;
            // the user callback sees every step, the one that triggers early stopping included
            if (P.step_callback != nullptr &&
                P.step_callback(P.callback_ctx, step, 1, nval > 0 ? metric : NAN)) {
                if (nval > 0 && metric < best_metric) {  // keep this step if it is the best
                    best_metric = metric;
                    for (int d : dirty_list) { best[d] = model[d]; dirty[d] = 0; }
                    dirty_list.clear();
                }
                break;
            }
            if (nval > 0) {
                if (metric < best_metric) {
                    best_metric = metric;
                    for (int d : dirty_list) { best[d] = model[d]; dirty[d] = 0; }
                    dirty_list.clear();
                }
                double tol = std::min(std::fabs(min_metric), std::fabs(min_prev)) * P.early_stopping_tolerance;
                if (!std::isfinite(tol)) tol = 0.0;
                min_metric = std::min(metric, min_metric);
                if (early && smoothing <= 0) {
                    for (int b = 0; b < n_cur; ++b) {  // the window counts steps
                        double toss = circular[circ_idx];
                        circular[circ_idx] = metric;
                        circ_idx = (circ_idx + 1) % circular.size();
                        while (!window_min.empty() && !(window_min.back().second < metric)) window_min.pop_back();
                        window_min.emplace_back(n_pushed, metric);
                        if (window_min.front().first <= n_pushed - (int64_t)circular.size()) window_min.pop_front();
                        ++n_pushed;
                        min_prev = std::min(toss, min_prev);
                    }
                    // the window still holds INFINITY until it has seen as many steps as it is long
                    double wmin = window_min.empty() ? INFINITY : window_min.front().second;
                    if (min_prev - tol <= wmin) break;
                }
            }
        }
        if (!progress && P.step_callback != nullptr && P.step_callback(P.callback_ctx, step, 0, NAN)) break;
        state = next_state;
        if (state >= nt) {
            if (smoothing > 0) {
                state = 0;
                --smoothing;
            } else {
                state = -greedy_steps;
                if (cyclic_state >= 1.0) cyclic_state -= 1.0;
                cyclic_state += cyclic_progress;
            }
        }
    }
    res.n_steps = step;
    if (nval > 0) {
        res.best_metric = best_metric;
        model.swap(best);
    }
    return res;
}

}  // namespace gbebm

namespace gbebm {

// Entry point for Cython: build the booster, run it, return the result (no Python objects).
template <class Code>
BagResult run_bag(const BoostParams& bp, const std::vector<TermSpec>& terms, const Code* codes_tr, int64_t n_tr,
                  const Code* codes_val, int64_t n_val, const double* y_tr, const double* w_tr, const double* y_val,
                  const double* w_val, double* scores_tr, double* scores_val, uint64_t seed,
                  std::vector<std::vector<double>>& model) {
    struct Running {  // counted while it boosts, also if it throws
        const bool on;
        explicit Running(bool s) : on(s) { if (on) ++running_bags(); }
        ~Running() { if (on) --running_bags(); }
    } running(bp.share_threads != 0);
    BagBooster<Code> b(bp, terms, codes_tr, n_tr, codes_val, n_val, y_tr, w_tr, y_val, w_val, scores_tr, scores_val,
                       seed);
    return b.run(model);
}

// Non-template entry points (Cython cannot instantiate a template with a fused type).
inline BagResult run_bag_codes(bool wide, const BoostParams& bp, const std::vector<TermSpec>& terms,
                               const void* codes_tr, int64_t n_tr, const void* codes_val, int64_t n_val,
                               const double* y_tr, const double* w_tr, const double* y_val, const double* w_val,
                               double* scores_tr, double* scores_val, uint64_t seed,
                               std::vector<std::vector<double>>& model) {
    if (wide)
        return run_bag<uint16_t>(bp, terms, (const uint16_t*)codes_tr, n_tr, (const uint16_t*)codes_val, n_val, y_tr,
                                 w_tr, y_val, w_val, scores_tr, scores_val, seed, model);
    return run_bag<uint8_t>(bp, terms, (const uint8_t*)codes_tr, n_tr, (const uint8_t*)codes_val, n_val, y_tr, w_tr,
                            y_val, w_val, scores_tr, scores_val, seed, model);
}

}  // namespace gbebm
