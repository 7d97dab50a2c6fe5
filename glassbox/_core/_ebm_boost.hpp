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
#include <cmath>
#include <cstdint>
#include <cstring>
#include <queue>
#include <vector>

#include "_ebm_split.hpp"

namespace gbebm {

enum Objective { LOG_LOSS = 0, MULTICLASS = 1, RMSE = 2, POISSON = 3, TWEEDIE = 4, GAMMA = 5, QUANTILE = 6 };

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
    int refresh_every;  // recompute exp(score) from scores every this many applied steps
};

struct TermSpec {
    int n_dims;
    int feat[2];
    int nb[2];
    int n_cells;
    bool nominal;
    int monotone;
};

// Per-row gradient / hessian of every objective (weights applied by the caller).
inline void row_grad(int obj, double q, const double* s, double y, double* g, double* h, int K) {
    switch (obj) {
        case LOG_LOSS: {
            double p = 1.0 / (1.0 + std::exp(-s[0]));
            g[0] = p - y;
            h[0] = p * (1.0 - p);
            break;
        }
        case MULTICLASS: {
            double m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
            double z = 0.0;
            for (int k = 0; k < K; ++k) z += std::exp(s[k] - m);
            for (int k = 0; k < K; ++k) {
                double p = std::exp(s[k] - m) / z;
                g[k] = p - (k == (int)y ? 1.0 : 0.0);
                h[k] = p * (1.0 - p);
            }
            break;
        }
        case RMSE: g[0] = s[0] - y; h[0] = 1.0; break;
        case POISSON: { double mu = std::exp(s[0]); g[0] = mu - y; h[0] = mu; break; }
        case TWEEDIE: {
            double a = y * std::exp((1.0 - q) * s[0]), b = std::exp((2.0 - q) * s[0]);
            g[0] = b - a;
            h[0] = (2.0 - q) * b - (1.0 - q) * a;
            break;
        }
        case GAMMA: { double r = y * std::exp(-s[0]); g[0] = 1.0 - r; h[0] = r; break; }
        case QUANTILE: g[0] = y > s[0] ? -q : (y < s[0] ? 1.0 - q : 0.0); h[0] = 1.0; break;
    }
}

// Per-row loss (validation metric, before weighting): log loss, squared error, deviances, pinball.
inline double row_loss(int obj, double q, const double* s, double y, int K) {
    switch (obj) {
        case LOG_LOSS: {
            double z = s[0];
            double l = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
            return l - y * z;
        }
        case MULTICLASS: {
            double m = s[0];
            for (int k = 1; k < K; ++k) m = std::max(m, s[k]);
            double z = 0.0;
            for (int k = 0; k < K; ++k) z += std::exp(s[k] - m);
            return m + std::log(z) - s[(int)y];
        }
        case RMSE: { double d = s[0] - y; return d * d; }
        case POISSON: {
            double mu = std::exp(s[0]);
            return 2.0 * ((y > 0 ? y * (std::log(y) - s[0]) : 0.0) - (y - mu));
        }
        case TWEEDIE: {
            double a = y > 0 ? std::pow(y, 2.0 - q) / ((1.0 - q) * (2.0 - q)) : 0.0;
            return 2.0 * (a - y * std::exp((1.0 - q) * s[0]) / (1.0 - q) + std::exp((2.0 - q) * s[0]) / (2.0 - q));
        }
        case GAMMA: {
            double ly = std::log(y);
            return 2.0 * (s[0] - ly + y * std::exp(-s[0]) - 1.0);
        }
        case QUANTILE: { double d = y - s[0]; return d >= 0 ? q * d : (q - 1.0) * d; }
    }
    return 0.0;
}

struct BagResult {
    int64_t n_steps = 0;
    double best_metric = INFINITY;
};

template <class Code>
class BagBooster {
   public:
    // codes_tr: (n_features, n_tr) column-major codes of the bag's training rows; same for val.
    // scores_tr / scores_val: (n, K) initial scores (intercept + frozen terms); updated in place.
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
    std::vector<double> g, h;            // weighted gradient / hessian per training row
    std::vector<std::vector<double>> HG, HH, CNT, WSUM, UPD;
    std::vector<int64_t> hist_epoch, upd_epoch;  // apply count when the histogram/update was computed
    std::vector<double> upd_gain;
    std::vector<double> fac;            // exp(update) per cell
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
    double make_update(int t, bool random_splits);
    template <int OBJ, int D>
    double apply_fused(int ta, int tn);
    double apply(int ta, int tn);
};

template <class Code>
void BagBooster<Code>::init_state() {
    const int obj = P.objective;
    mult = (obj == LOG_LOSS || obj == MULTICLASS);
    const_hess = (obj == RMSE || obj == QUANTILE);
    g.assign((size_t)ntr * K, 0.0);
    h.assign((size_t)ntr * K, 0.0);
    if (mult) {
        etr.assign((size_t)ntr * K, 0.0);
        eval_.assign((size_t)nval * K, 0.0);
        refresh_exp();
        refresh_exp_val();
    }
    for (int64_t i = 0; i < nval; ++i) unit_val_weights = unit_val_weights && wval[i] == 1.0;
    for (int64_t i = 0; i < ntr; ++i) {
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
    double* G = HG[t].data();
    double* H = HH[t].data();
    std::fill(G, G + (size_t)ts.n_cells * K, 0.0);
    if (K == 1) {
        if (ts.n_dims == 1) {
            const Code* c0 = ctr + (int64_t)ts.feat[0] * ntr;
            if (const_hess) {
                for (int64_t i = 0; i < ntr; ++i) G[c0[i]] += g[i];
            } else {
                std::fill(H, H + ts.n_cells, 0.0);
                for (int64_t i = 0; i < ntr; ++i) { G[c0[i]] += g[i]; H[c0[i]] += h[i]; }
            }
        } else {
            const Code* c0 = ctr + (int64_t)ts.feat[0] * ntr;
            const Code* c1 = ctr + (int64_t)ts.feat[1] * ntr;
            const int nb1 = ts.nb[1];
            if (const_hess) {
                for (int64_t i = 0; i < ntr; ++i) G[(int64_t)c0[i] * nb1 + c1[i]] += g[i];
            } else {
                std::fill(H, H + ts.n_cells, 0.0);
                for (int64_t i = 0; i < ntr; ++i) {
                    int64_t c = (int64_t)c0[i] * nb1 + c1[i];
                    G[c] += g[i];
                    H[c] += h[i];
                }
            }
        }
    } else {
        std::fill(H, H + (size_t)ts.n_cells * K, 0.0);
        for (int64_t i = 0; i < ntr; ++i) {
            int64_t c = cell(ts, ctr, ntr, i);
            for (int k = 0; k < K; ++k) {
                G[c * K + k] += g[i * K + k];
                H[c * K + k] += h[i * K + k];
            }
        }
    }
    if (const_hess) std::copy(WSUM[t].begin(), WSUM[t].end(), H);
    hist_epoch[t] = applied;
}

template <class Code>
double BagBooster<Code>::make_update(int t, bool random_splits) {
    if (upd_epoch[t] == applied && !random_splits) return upd_gain[t];
    if (hist_epoch[t] != applied) build_hist(t);
    const TermSpec& ts = T[t];
    double gain;
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

// Apply UPD[ta] to every row; refresh gradients; build the histogram of term tn (-1: none).
// Returns the validation metric (NaN without validation rows).
template <class Code>
template <int OBJ, int D>
double BagBooster<Code>::apply_fused(int ta, int tn) {
    const TermSpec& A = T[ta];
    const double* u = UPD[ta].data();
    const Code* a0 = ctr + (int64_t)A.feat[0] * ntr;
    const Code* a1 = D == 2 ? ctr + (int64_t)A.feat[1] * ntr : nullptr;
    const int anb = D == 2 ? A.nb[1] : 0;
    const bool has_next = tn >= 0;
    const TermSpec& N = T[has_next ? tn : ta];
    const Code* n0 = ctr + (int64_t)N.feat[0] * ntr;
    const Code* n1 = D == 2 ? ctr + (int64_t)N.feat[1] * ntr : nullptr;
    const int nnb = D == 2 ? N.nb[1] : 0;
    double* G = HG[has_next ? tn : ta].data();
    double* H = HH[has_next ? tn : ta].data();
    if (has_next) {
        std::fill(G, G + (size_t)N.n_cells * K, 0.0);
        if (!const_hess) std::fill(H, H + (size_t)N.n_cells * K, 0.0);
    }
    const double q = P.obj_param;
    if constexpr (OBJ == LOG_LOSS || OBJ == MULTICLASS)
        for (int c = 0; c < A.n_cells * K; ++c) fac[c] = std::exp(u[c]);
    const double* f = fac.data();
    for (int64_t i = 0; i < ntr; ++i) {
        int64_t ca = D == 1 ? (int64_t)a0[i] : (int64_t)a0[i] * anb + a1[i];
        int64_t cn = D == 1 ? (int64_t)n0[i] : (int64_t)n0[i] * nnb + n1[i];
        const double wi = wtr[i];
        if constexpr (OBJ == LOG_LOSS) {
            str[i] += u[ca];
            double e = etr[i] * f[ca];
            etr[i] = e;
            double inv = 1.0 / (1.0 + e);
            double p = e * inv;
            double gi = wi * (p - ytr[i]);
            double hi = wi * p * inv;
            g[i] = gi;
            h[i] = hi;
            if (has_next) { G[cn] += gi; H[cn] += hi; }
        } else if constexpr (OBJ == MULTICLASS) {
            double z = 0.0;
            for (int k = 0; k < K; ++k) {
                str[i * K + k] += u[ca * K + k];
                double e = etr[i * K + k] * f[ca * K + k];
                etr[i * K + k] = e;
                z += e;
            }
            double inv = 1.0 / z;
            int yi = (int)ytr[i];
            for (int k = 0; k < K; ++k) {
                double p = etr[i * K + k] * inv;
                double gi = wi * (p - (k == yi ? 1.0 : 0.0));
                double hi = wi * p * (1.0 - p);
                g[i * K + k] = gi;
                h[i * K + k] = hi;
                if (has_next) { G[cn * K + k] += gi; H[cn * K + k] += hi; }
            }
        } else if constexpr (OBJ == RMSE) {
            double s = str[i] + u[ca];
            str[i] = s;
            double gi = wi * (s - ytr[i]);
            g[i] = gi;
            if (has_next) G[cn] += gi;
        } else if constexpr (OBJ == QUANTILE) {
            double s = str[i] + u[ca];
            str[i] = s;
            double y = ytr[i];
            double gi = wi * (y > s ? -q : (y < s ? 1.0 - q : 0.0));
            g[i] = gi;
            if (has_next) G[cn] += gi;
        } else {
            str[i] += u[ca];
            double gg, hh;
            row_grad(OBJ, q, str + i, ytr[i], &gg, &hh, 1);
            g[i] = wi * gg;
            h[i] = wi * hh;
            if (has_next) { G[cn] += g[i]; H[cn] += h[i]; }
        }
    }
    if (has_next) {
        if (const_hess) std::copy(WSUM[tn].begin(), WSUM[tn].end(), H);
    }
    ++applied;
    if (has_next) hist_epoch[tn] = applied;
    if constexpr (OBJ == LOG_LOSS || OBJ == MULTICLASS) {
        if (P.refresh_every > 0 && applied % P.refresh_every == 0) refresh_exp();
    }
    // validation rows: scores and metric
    if (nval == 0) return NAN;
    const Code* v0 = cval + (int64_t)A.feat[0] * nval;
    const Code* v1 = D == 2 ? cval + (int64_t)A.feat[1] * nval : nullptr;
    double loss = 0.0;
    if constexpr (OBJ == LOG_LOSS || OBJ == MULTICLASS) {
        // log loss = sum w * log(1 + e) - sum w * y * s (binary) or log(sum_k e_k / e_y) (multiclass):
        // with unit weights the logs of a running product are taken only when it gets large.
        double prod = 1.0, lin = 0.0;
        for (int64_t i = 0; i < nval; ++i) {
            int64_t ca = D == 1 ? (int64_t)v0[i] : (int64_t)v0[i] * anb + v1[i];
            double r;
            if constexpr (OBJ == LOG_LOSS) {
                double sv = sval[i] + u[ca];
                sval[i] = sv;
                double e = eval_[i] * f[ca];
                eval_[i] = e;
                r = 1.0 + e;
                lin += wval[i] * yval[i] * sv;
            } else {
                double z = 0.0;
                for (int k = 0; k < K; ++k) {
                    sval[i * K + k] += u[ca * K + k];
                    double e = eval_[i * K + k] * f[ca * K + k];
                    eval_[i * K + k] = e;
                    z += e;
                }
                r = z / eval_[i * K + (int)yval[i]];
            }
            if (unit_val_weights) {
                prod *= r;
                if (prod > 1e250) { loss += std::log(prod); prod = 1.0; }
            } else {
                loss += wval[i] * std::log(r);
            }
        }
        loss += std::log(prod) - lin;
        if (P.refresh_every > 0 && applied % P.refresh_every == 0) refresh_exp_val();
    } else {
        for (int64_t i = 0; i < nval; ++i) {
            int64_t ca = D == 1 ? (int64_t)v0[i] : (int64_t)v0[i] * anb + v1[i];
            sval[i] += u[ca];
            loss += wval[i] * row_loss(OBJ, q, sval + i, yval[i], 1);
        }
    }
    return wval_total > 0 ? loss / wval_total : loss;
}

template <class Code>
double BagBooster<Code>::apply(int ta, int tn) {
    const bool two = T[ta].n_dims == 2;
#define GB_DISPATCH(O)                                                      \
    case O:                                                                 \
        return two ? apply_fused<O, 2>(ta, tn) : apply_fused<O, 1>(ta, tn);
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
    while (step < max_steps) {
        int term;
        bool progress;
        if (state >= 0) {
            if (state == 0) {
                heap.clear();
                if (first_pass || greedy_steps > 0) rng.shuffle(order.data(), nt);
                first_pass = false;
            }
            term = order[state];
            progress = cyclic_state >= 1.0 || smoothing > 0;
        } else {
            std::pop_heap(heap.begin(), heap.end(), cmp);
            term = heap.back().term;
            heap.pop_back();
            progress = true;
        }
        double gain = make_update(term, smoothing > 0);
        if (!std::isfinite(gain)) gain = 0.0;
        heap.push_back({gain, rng.next(), term});
        std::push_heap(heap.begin(), heap.end(), cmp);

        // the state after this step, to know which histogram to build during the apply
        int64_t next_state = state + 1;
        bool pass_end = state >= 0 && next_state >= nt;
        if (progress) {
            int next_term = -1;
            if (state < 0 && next_state < 0) next_term = heap.front().term;
            else if (state >= 0 && !pass_end) next_term = order[next_state];
            double metric = apply(term, next_term);
            for (size_t c = 0; c < UPD[term].size(); ++c) model[term][c] += UPD[term][c];
            if (!dirty[term]) { dirty[term] = 1; dirty_list.push_back(term); }
            ++step;
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
                    double toss = circular[circ_idx];
                    circular[circ_idx] = metric;
                    circ_idx = (circ_idx + 1) % circular.size();
                    min_prev = std::min(toss, min_prev);
                    double wmin = *std::min_element(circular.begin(), circular.end());
                    if (min_prev - tol <= wmin) break;
                }
            }
        }
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

}  // namespace gbebm

namespace gbebm {

// Entry point for Cython: build the booster, run it, return the result (no Python objects).
template <class Code>
BagResult run_bag(const BoostParams& bp, const std::vector<TermSpec>& terms, const Code* codes_tr, int64_t n_tr,
                  const Code* codes_val, int64_t n_val, const double* y_tr, const double* w_tr, const double* y_val,
                  const double* w_val, double* scores_tr, double* scores_val, uint64_t seed,
                  std::vector<std::vector<double>>& model) {
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
