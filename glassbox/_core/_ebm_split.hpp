// Split search for one EBM term update: the small per-term trees.
//
// A term update is a piecewise-constant tensor found from the gradient/hessian
// histogram of the term (one cell per bin, or per bin pair):
//   * mains (1-D): the missing bin is its own leaf; the other bins, in their
//     order (continuous, ordinal) or sorted by G / (H + cat_smooth) (nominal),
//     are cut best-first into at most max_leaves contiguous leaves, with
//     optional monotone constraints;
//   * pairs (2-D): interpret's 3-leaf "chain" tree: one cut on one dimension,
//     then one cut on the other dimension inside one of the two halves.
// During smoothing rounds the cut positions are drawn at random instead.
// Gains and leaf values follow XGBoost/interpret: score(G, H) =
// T(G)^2 / (H + lambda), value = -T(G) / (H + lambda) (T = L1 soft threshold),
// capped by max_delta_step, multiplied by the learning rate.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

namespace gbebm {

// splitmix64: small, fast, and good enough for cut positions, shuffles and tie-breaks.
struct Rng {
    uint64_t state;
    explicit Rng(uint64_t seed) : state(seed) {}
    inline uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // uniform integer in [0, n)
    inline int64_t below(int64_t n) { return (int64_t)(next() % (uint64_t)n); }
    template <class T>
    void shuffle(T* a, int64_t n) {
        for (int64_t i = n - 1; i > 0; --i) std::swap(a[i], a[below(i + 1)]);
    }
};

struct SplitParams {
    int n_scores;            // K: 1, or the number of classes for multiclass
    double learning_rate;
    int max_leaves;
    double min_samples_leaf;
    double min_hessian;
    double reg_alpha;
    double reg_lambda;
    double max_delta_step;
    double min_cat_samples;
    double cat_smooth;
    int missing;             // mains of ordered features: MISSING_SEPARATE, _LOW, _HIGH or _GAIN
};

// Where the missing cell (cell 0) of a continuous / ordinal main goes while its updates are cut
// (interpret's `missing`): its own leaf, with the lowest values, with the highest values, or on
// whichever side gives the larger gain at each step. Pairs and nominal features always treat it
// as a cell of their own order (lowest for pairs, a category for nominal features).
enum { MISSING_SEPARATE = 0, MISSING_LOW = 1, MISSING_HIGH = 2, MISSING_GAIN = 3 };

inline double soft_threshold(double g, double alpha) {
    if (alpha <= 0.0) return g;
    if (g > alpha) return g - alpha;
    if (g < -alpha) return g + alpha;
    return 0.0;
}

// Sum over classes of T(G_k)^2 / (H_k + lambda).
inline double node_score(const double* G, const double* H, int K, const SplitParams& p) {
    double s = 0.0;
    for (int k = 0; k < K; ++k) {
        double d = H[k] + p.reg_lambda;
        if (d > 0.0) {
            double t = soft_threshold(G[k], p.reg_alpha);
            s += t * t / d;
        }
    }
    return s;
}

inline double leaf_value(double G, double H, const SplitParams& p) {
    double d = H + p.reg_lambda;
    if (!(d > 0.0)) return 0.0;
    double v = -soft_threshold(G, p.reg_alpha) / d;
    if (p.max_delta_step > 0.0) v = std::max(-p.max_delta_step, std::min(p.max_delta_step, v));
    return v;
}

inline double sum_h(const double* H, int K) {
    double s = 0.0;
    for (int k = 0; k < K; ++k) s += H[k];
    return s;
}

// ---------------------------------------------------------------------------------------------
// 1-D terms
// ---------------------------------------------------------------------------------------------

// Working memory for split_1d, reused across calls to avoid allocation per step.
struct Split1DWork {
    std::vector<int> order;        // bins in split order
    std::vector<int> unit_of_bin;  // bin -> unit index (-1: not in any unit)
    std::vector<int> unit_start;   // units are runs of `order`
    std::vector<double> UG, UH, UC;
    std::vector<double> PG, PH, PC;  // prefix sums over units
    std::vector<double> key;
    struct Seg { int lo, hi; double vlo, vhi; double val[1]; };
    std::vector<int> cuts;
};

// Best split of units [lo, hi) into [lo, c) and [c, hi); returns gain (-inf if none).
// mono: +1 increasing, -1 decreasing, 0 none (only used with K == 1).
inline double best_cut(const Split1DWork& w, int lo, int hi, int K, const SplitParams& p, int mono,
                       double blo, double bhi, int* cut_out) {
    const double* PG = w.PG.data();
    const double* PH = w.PH.data();
    const double* PC = w.PC.data();
    double tg[64], th[64];
    double best = -INFINITY;
    int bestc = -1;
    double parent;
    for (int k = 0; k < K; ++k) {
        tg[k] = PG[hi * K + k] - PG[lo * K + k];
        th[k] = PH[hi * K + k] - PH[lo * K + k];
    }
    parent = node_score(tg, th, K, p);
    double ctot = PC[hi] - PC[lo];
    for (int c = lo + 1; c < hi; ++c) {
        double cl = PC[c] - PC[lo];
        if (cl < p.min_samples_leaf) continue;
        if (ctot - cl < p.min_samples_leaf) break;
        double lg[64], lh[64], rg[64], rh[64];
        for (int k = 0; k < K; ++k) {
            lg[k] = PG[c * K + k] - PG[lo * K + k];
            lh[k] = PH[c * K + k] - PH[lo * K + k];
            rg[k] = tg[k] - lg[k];
            rh[k] = th[k] - lh[k];
        }
        if (sum_h(lh, K) < p.min_hessian || sum_h(rh, K) < p.min_hessian) continue;
        if (mono != 0) {
            double vl = std::max(blo, std::min(bhi, leaf_value(lg[0], lh[0], p)));
            double vr = std::max(blo, std::min(bhi, leaf_value(rg[0], rh[0], p)));
            if (mono * (vr - vl) < 0.0) continue;
        }
        double g = node_score(lg, lh, K, p) + node_score(rg, rh, K, p) - parent;
        if (g > best) {
            best = g;
            bestc = c;
        }
    }
    *cut_out = bestc;
    return best;
}

// Fill `upd` (n_bins * K) with the update of one 1-D term and return its gain.
//   HG, HH: (n_bins, K) gradient / hessian sums; CNT: (n_bins,) sample counts.
//   nominal: order the bins by G / (H + cat_smooth) (K == 1) or at random (K > 1).
//   random_splits: draw the cut positions at random (smoothing rounds).
inline double split_1d_placed(int n_bins, const double* HG, const double* HH, const double* CNT, bool nominal,
                              int mono, bool random_splits, const SplitParams& p, Rng& rng, Split1DWork& w,
                              double* upd, int missing);

inline double split_1d(int n_bins, const double* HG, const double* HH, const double* CNT, bool nominal,
                       int mono, bool random_splits, const SplitParams& p, Rng& rng, Split1DWork& w,
                       double* upd) {
    if (p.missing != MISSING_GAIN || nominal || CNT[0] <= 0)
        return split_1d_placed(n_bins, HG, HH, CNT, nominal, mono, random_splits, p, rng, w, upd,
                               nominal ? MISSING_SEPARATE : (p.missing == MISSING_GAIN ? MISSING_SEPARATE : p.missing));
    // "gain": try the missing cell on both sides, keep the better (a random side while smoothing)
    if (random_splits)
        return split_1d_placed(n_bins, HG, HH, CNT, nominal, mono, true, p, rng, w, upd,
                               rng.below(2) ? MISSING_HIGH : MISSING_LOW);
    const size_t n = (size_t)n_bins * p.n_scores;
    std::vector<double> high(n);
    double g_low = split_1d_placed(n_bins, HG, HH, CNT, nominal, mono, false, p, rng, w, upd, MISSING_LOW);
    double g_high = split_1d_placed(n_bins, HG, HH, CNT, nominal, mono, false, p, rng, w, high.data(), MISSING_HIGH);
    if (g_high > g_low) {
        std::copy(high.begin(), high.end(), upd);
        return g_high;
    }
    return g_low;
}

inline double split_1d_placed(int n_bins, const double* HG, const double* HH, const double* CNT, bool nominal,
                              int mono, bool random_splits, const SplitParams& p, Rng& rng, Split1DWork& w,
                              double* upd, int missing) {
    const int K = p.n_scores;
    if (K > 1) mono = 0;  // interpret: no monotone constraints for multiclass
    if (nominal) mono = 0;
    // 1. units: runs of bins that stay together.
    w.order.clear();
    w.unit_start.clear();
    w.unit_of_bin.assign(n_bins, -1);
    // continuous/ordinal: the missing bin 0 is its own leaf ("separate"), or takes its place at
    // the low or high end of the order
    int first = nominal || missing == MISSING_LOW ? 0 : 1;
    if (!nominal) {
        // one unit per non-empty bin, in bin order; empty bins join the unit on their left
        auto add = [&](int b) {
            if (CNT[b] > 0) w.unit_start.push_back((int)w.order.size());
            w.order.push_back(b);
        };
        const int last = missing == MISSING_HIGH ? n_bins - 1 : n_bins;  // the unseen cell stays last
        for (int b = first; b < last; ++b) add(b);
        if (missing == MISSING_HIGH) {
            add(0);
            add(n_bins - 1);
        }
        if (w.unit_start.empty()) w.unit_start.push_back(0);
        w.unit_start[0] = 0;  // leading empty bins belong to the first unit
    } else {
        // categories with enough samples, sorted; the rest (rare or empty) form one last unit
        std::vector<int>& big = w.cuts;  // reuse as scratch
        big.clear();
        std::vector<int> small;
        for (int b = first; b < n_bins; ++b) {
            if (CNT[b] >= std::max(1.0, p.min_cat_samples)) big.push_back(b);
            else small.push_back(b);
        }
        if (!random_splits) {
            if (K == 1) {
                w.key.assign(n_bins, 0.0);
                for (int b : big) w.key[b] = HG[b] / (HH[b] + p.cat_smooth);
                std::stable_sort(big.begin(), big.end(), [&](int a, int b2) { return w.key[a] < w.key[b2]; });
            } else {
                rng.shuffle(big.data(), (int64_t)big.size());
            }
        }
        for (int b : big) {
            w.unit_start.push_back((int)w.order.size());
            w.order.push_back(b);
        }
        if (!small.empty()) {
            w.unit_start.push_back((int)w.order.size());
            for (int b : small) w.order.push_back(b);
        }
        if (w.unit_start.empty()) w.unit_start.push_back(0);
    }
    const int U = (int)w.unit_start.size();
    w.unit_start.push_back((int)w.order.size());
    // 2. unit sums and prefix sums
    w.PG.assign((size_t)(U + 1) * K, 0.0);
    w.PH.assign((size_t)(U + 1) * K, 0.0);
    w.PC.assign(U + 1, 0.0);
    for (int u = 0; u < U; ++u) {
        double* pg = &w.PG[(size_t)(u + 1) * K];
        double* ph = &w.PH[(size_t)(u + 1) * K];
        for (int k = 0; k < K; ++k) {
            pg[k] = w.PG[(size_t)u * K + k];
            ph[k] = w.PH[(size_t)u * K + k];
        }
        double c = w.PC[u];
        for (int q = w.unit_start[u]; q < w.unit_start[u + 1]; ++q) {
            int b = w.order[q];
            w.unit_of_bin[b] = u;
            for (int k = 0; k < K; ++k) {
                pg[k] += HG[(size_t)b * K + k];
                ph[k] += HH[(size_t)b * K + k];
            }
            c += CNT[b];
        }
        w.PC[u + 1] = c;
    }
    // 3. leaves: segments of units, grown best-first (or at random)
    struct Seg { int lo, hi; double blo, bhi; };
    Seg segs[64];
    int n_segs = 1;
    segs[0] = {0, U, -INFINITY, INFINITY};
    int max_leaves = std::max(1, std::min(p.max_leaves, 64));
    for (int it = 1; it < max_leaves; ++it) {
        int best_s = -1, best_c = -1;
        double best_g = -INFINITY;
        if (random_splits) {
            // a random segment with room, then a random admissible cut in it
            int cand[64], nc = 0;
            for (int s = 0; s < n_segs; ++s)
                if (segs[s].hi - segs[s].lo >= 2) cand[nc++] = s;
            if (nc == 0) break;
            int s = cand[rng.below(nc)];
            int lo = segs[s].lo, hi = segs[s].hi;
            int c = lo + 1 + (int)rng.below(hi - lo - 1);
            double cl = w.PC[c] - w.PC[lo], cr = w.PC[hi] - w.PC[c];
            if (cl < p.min_samples_leaf || cr < p.min_samples_leaf) continue;
            if (mono != 0) {
                double lg = w.PG[c] - w.PG[lo], lh = w.PH[c] - w.PH[lo];
                double rg = w.PG[hi] - w.PG[c], rh = w.PH[hi] - w.PH[c];
                if (mono * (leaf_value(rg, rh, p) - leaf_value(lg, lh, p)) < 0.0) continue;
            }
            best_s = s;
            best_c = c;
        } else {
            for (int s = 0; s < n_segs; ++s) {
                int c;
                double g = best_cut(w, segs[s].lo, segs[s].hi, K, p, mono, segs[s].blo, segs[s].bhi, &c);
                if (c >= 0 && g > best_g) {
                    best_g = g;
                    best_s = s;
                    best_c = c;
                }
            }
            if (best_s < 0 || !(best_g > 0.0)) break;
        }
        Seg old = segs[best_s];
        Seg left = {old.lo, best_c, old.blo, old.bhi};
        Seg right = {best_c, old.hi, old.blo, old.bhi};
        if (mono != 0) {
            double vl = leaf_value(w.PG[best_c] - w.PG[old.lo], w.PH[best_c] - w.PH[old.lo], p);
            double vr = leaf_value(w.PG[old.hi] - w.PG[best_c], w.PH[old.hi] - w.PH[best_c], p);
            vl = std::max(old.blo, std::min(old.bhi, vl));
            vr = std::max(old.blo, std::min(old.bhi, vr));
            double mid = 0.5 * (vl + vr);
            if (mono > 0) { left.bhi = mid; right.blo = mid; }
            else { left.blo = mid; right.bhi = mid; }
        }
        segs[best_s] = left;
        segs[n_segs++] = right;
    }
    // 4. leaf values and the total gain (missing leaf included)
    double tot_g[64], tot_h[64];
    for (int k = 0; k < K; ++k) { tot_g[k] = 0.0; tot_h[k] = 0.0; }
    for (int b = 0; b < n_bins; ++b)
        for (int k = 0; k < K; ++k) {
            tot_g[k] += HG[(size_t)b * K + k];
            tot_h[k] += HH[(size_t)b * K + k];
        }
    double gain = -node_score(tot_g, tot_h, K, p);
    std::fill(upd, upd + (size_t)n_bins * K, 0.0);
    if (!nominal && missing == MISSING_SEPARATE && CNT[0] > 0) {
        gain += node_score(HG, HH, K, p);
        for (int k = 0; k < K; ++k) upd[k] = p.learning_rate * leaf_value(HG[k], HH[k], p);
    }
    for (int s = 0; s < n_segs; ++s) {
        const Seg& sg = segs[s];
        double g[64], h[64];
        for (int k = 0; k < K; ++k) {
            g[k] = w.PG[(size_t)sg.hi * K + k] - w.PG[(size_t)sg.lo * K + k];
            h[k] = w.PH[(size_t)sg.hi * K + k] - w.PH[(size_t)sg.lo * K + k];
        }
        gain += node_score(g, h, K, p);
        double v[64];
        for (int k = 0; k < K; ++k) {
            v[k] = leaf_value(g[k], h[k], p);
            if (mono != 0) v[k] = std::max(sg.blo, std::min(sg.bhi, v[k]));
            v[k] *= p.learning_rate;
        }
        for (int q = w.unit_start[sg.lo]; q < w.unit_start[sg.hi]; ++q) {
            int b = w.order[q];
            for (int k = 0; k < K; ++k) upd[(size_t)b * K + k] = v[k];
        }
    }
    return gain;
}

// ---------------------------------------------------------------------------------------------
// 2-D terms (pairs): interpret's 3-leaf chain tree
// ---------------------------------------------------------------------------------------------

// Scratch of best_chain_1: prefix sums as separate planes and per-column candidate scores.
struct ChainWork { std::vector<double> pg, ph, pc, q[4], c[4], colhi, collo; };

struct Split2DWork {
    std::vector<double> C;  // (na+1, nb+1, 2K+1) prefix sums: G[K], H[K], count
    ChainWork chain;
};

// Candidate layouts: first cut on dimension `first` (0: a, 1: b) at position x, then a cut on
// the other dimension at y inside the low (side 0) or high (side 1) half.
struct PairCut { int first, side, i, j; };

inline void prefix_2d(int na, int nb, const double* HG, const double* HH, const double* CNT, int K,
                      Split2DWork& w) {
    const int S = 2 * K + 1;
    w.C.assign((size_t)(na + 1) * (nb + 1) * S, 0.0);
    double* C = w.C.data();
    for (int i = 0; i < na; ++i) {
        for (int j = 0; j < nb; ++j) {
            double* o = C + ((size_t)(i + 1) * (nb + 1) + (j + 1)) * S;
            const double* a = C + ((size_t)i * (nb + 1) + (j + 1)) * S;
            const double* b = C + ((size_t)(i + 1) * (nb + 1) + j) * S;
            const double* c = C + ((size_t)i * (nb + 1) + j) * S;
            size_t cell = (size_t)i * nb + j;
            for (int k = 0; k < K; ++k) {
                o[k] = a[k] + b[k] - c[k] + HG[cell * K + k];
                o[K + k] = a[K + k] + b[K + k] - c[K + k] + HH[cell * K + k];
            }
            o[2 * K] = a[2 * K] + b[2 * K] - c[2 * K] + CNT[cell];
        }
    }
}

// The three leaves of a candidate as rectangles [a0, a1) x [b0, b1).
inline void pair_leaves(const PairCut& pc, int na, int nb, int rect[3][4]) {
    int i = pc.i, j = pc.j;
    if (pc.first == 0) {  // cut a at i, then b at j in one half
        if (pc.side == 0) {
            int r[3][4] = {{0, i, 0, j}, {0, i, j, nb}, {i, na, 0, nb}};
            std::memcpy(rect, r, sizeof(r));
        } else {
            int r[3][4] = {{i, na, 0, j}, {i, na, j, nb}, {0, i, 0, nb}};
            std::memcpy(rect, r, sizeof(r));
        }
    } else {  // cut b at j, then a at i in one half
        if (pc.side == 0) {
            int r[3][4] = {{0, i, 0, j}, {i, na, 0, j}, {0, na, j, nb}};
            std::memcpy(rect, r, sizeof(r));
        } else {
            int r[3][4] = {{0, i, j, nb}, {i, na, j, nb}, {0, na, 0, j}};
            std::memcpy(rect, r, sizeof(r));
        }
    }
}

inline void rect_sum(const double* C, int nb, int K, const int r[4], double* out) {
    const int S = 2 * K + 1;
    const double* p11 = C + ((size_t)r[1] * (nb + 1) + r[3]) * S;
    const double* p01 = C + ((size_t)r[0] * (nb + 1) + r[3]) * S;
    const double* p10 = C + ((size_t)r[1] * (nb + 1) + r[2]) * S;
    const double* p00 = C + ((size_t)r[0] * (nb + 1) + r[2]) * S;
    for (int s = 0; s < S; ++s) out[s] = p11[s] - p01[s] - p10[s] + p00[s];
}

inline bool leaf_ok(const double* s, int K, const SplitParams& p) {
    return s[2 * K] >= p.min_samples_leaf && s[2 * K] > 0.0 && sum_h(s + K, K) >= p.min_hessian;
}

// Score of a rectangle, or -inf when it cannot be a leaf.
inline double leaf_score(const double* s, int K, const SplitParams& p) {
    return leaf_ok(s, K, p) ? node_score(s, s + K, K, p) : -INFINITY;
}

// Call f(i, j, q, half) for every cut pair (i, j), 1 <= i < na, 1 <= j < nb, where q holds the
// scores of the quadrants (a<i,b<j), (a<i,b>=j), (a>=i,b<j), (a>=i,b>=j) and half those of
// a<i, a>=i, b<j, b>=j (-inf when a rectangle is not an admissible leaf).
inline double leaf_score1(double g, double h, double c, const SplitParams& p) {
    if (!(c >= p.min_samples_leaf && c > 0.0 && h >= p.min_hessian)) return -INFINITY;
    double d = h + p.reg_lambda;
    if (!(d > 0.0)) return 0.0;
    double t = soft_threshold(g, p.reg_alpha);
    return t * t / d;
}

// Single-score version of scan_quadrants (the hot case: binary and regression).
template <class F>
inline void scan_quadrants1(int na, int nb, const double* C, const SplitParams& p, F f) {
    const double* T = C + ((size_t)na * (nb + 1) + nb) * 3;
    const double* A = C + (size_t)na * (nb + 1) * 3;  // row a<na: all a, b<j
    std::vector<double> colscore(2 * (size_t)(nb + 1));
    for (int j = 1; j < nb; ++j) {
        const double* Aj = A + (size_t)j * 3;
        colscore[2 * j] = leaf_score1(Aj[0], Aj[1], Aj[2], p);
        colscore[2 * j + 1] = leaf_score1(T[0] - Aj[0], T[1] - Aj[1], T[2] - Aj[2], p);
    }
    double q[4], half[4];
    for (int i = 1; i < na; ++i) {
        const double* row = C + (size_t)i * (nb + 1) * 3;
        const double* Ri = row + (size_t)nb * 3;
        half[0] = leaf_score1(Ri[0], Ri[1], Ri[2], p);
        half[1] = leaf_score1(T[0] - Ri[0], T[1] - Ri[1], T[2] - Ri[2], p);
        if (half[0] == -INFINITY && half[1] == -INFINITY) continue;
        for (int j = 1; j < nb; ++j) {
            const double* Cij = row + (size_t)j * 3;
            const double* Aj = A + (size_t)j * 3;
            q[0] = leaf_score1(Cij[0], Cij[1], Cij[2], p);
            q[1] = leaf_score1(Ri[0] - Cij[0], Ri[1] - Cij[1], Ri[2] - Cij[2], p);
            q[2] = leaf_score1(Aj[0] - Cij[0], Aj[1] - Cij[1], Aj[2] - Cij[2], p);
            q[3] = leaf_score1(T[0] - Ri[0] - Aj[0] + Cij[0], T[1] - Ri[1] - Aj[1] + Cij[1],
                               T[2] - Ri[2] - Aj[2] + Cij[2], p);
            half[2] = colscore[2 * j];
            half[3] = colscore[2 * j + 1];
            f(i, j, q, half);
        }
    }
}

template <class F>
inline void scan_quadrants(int na, int nb, const double* C, int K, const SplitParams& p, F f) {
    if (K == 1) { scan_quadrants1(na, nb, C, p, f); return; }
    const int S = 2 * K + 1;
    const double* T = C + ((size_t)na * (nb + 1) + nb) * S;
    std::vector<double> colscore(2 * (size_t)(nb + 1));  // b<j, b>=j
    double tmp[129];
    for (int j = 1; j < nb; ++j) {
        const double* Aj = C + ((size_t)na * (nb + 1) + j) * S;
        colscore[2 * j] = leaf_score(Aj, K, p);
        for (int s = 0; s < S; ++s) tmp[s] = T[s] - Aj[s];
        colscore[2 * j + 1] = leaf_score(tmp, K, p);
    }
    double q[4], half[4], r[4][129];
    for (int i = 1; i < na; ++i) {
        const double* Ri = C + ((size_t)i * (nb + 1) + nb) * S;  // a<i
        half[0] = leaf_score(Ri, K, p);
        for (int s = 0; s < S; ++s) tmp[s] = T[s] - Ri[s];
        half[1] = leaf_score(tmp, K, p);
        if (half[0] == -INFINITY && half[1] == -INFINITY) continue;
        for (int j = 1; j < nb; ++j) {
            const double* Cij = C + ((size_t)i * (nb + 1) + j) * S;
            const double* Aj = C + ((size_t)na * (nb + 1) + j) * S;
            for (int s = 0; s < S; ++s) {
                r[0][s] = Cij[s];
                r[1][s] = Ri[s] - Cij[s];
                r[2][s] = Aj[s] - Cij[s];
                r[3][s] = T[s] - Ri[s] - Aj[s] + Cij[s];
            }
            for (int l = 0; l < 4; ++l) q[l] = leaf_score(r[l], K, p);
            half[2] = colscore[2 * j];
            half[3] = colscore[2 * j + 1];
            f(i, j, q, half);
        }
    }
}

// Score of a leaf for one score per cell, written without branches so loops over it vectorize.
inline double leaf_score_v(double g, double h, double c, double msl, double minh, double lam) {
    double d = h + lam;
    double v = g * g / (d > 0.0 ? d : 1.0);
    v = d > 0.0 ? v : 0.0;
    return (c >= msl && c > 0.0 && h >= minh) ? v : -INFINITY;
}

// Best 3-leaf chain for one score per cell and no L1 (the hot case), same candidates and the
// same tie-breaking order as the generic scan; returns the best (gain + parent).
inline double best_chain_1(int na, int nb, const double* C, const SplitParams& p, ChainWork& w, int* out) {
    const int W = nb + 1;
    const size_t NP = (size_t)(na + 1) * W;
    w.pg.resize(NP); w.ph.resize(NP); w.pc.resize(NP);
    for (size_t x = 0; x < NP; ++x) { w.pg[x] = C[3 * x]; w.ph[x] = C[3 * x + 1]; w.pc[x] = C[3 * x + 2]; }
    for (int l = 0; l < 4; ++l) { w.q[l].resize(nb + 1); w.c[l].resize(nb + 1); }
    w.colhi.resize(nb + 1); w.collo.resize(nb + 1);
    const double msl = p.min_samples_leaf, minh = p.min_hessian, lam = p.reg_lambda;
    const double* AG = &w.pg[(size_t)na * W];
    const double* AH = &w.ph[(size_t)na * W];
    const double* AC = &w.pc[(size_t)na * W];
    const double TG = AG[nb], TH = AH[nb], TC = AC[nb];
    for (int j = 1; j < nb; ++j) {
        w.collo[j] = leaf_score_v(AG[j], AH[j], AC[j], msl, minh, lam);               // b < j
        w.colhi[j] = leaf_score_v(TG - AG[j], TH - AH[j], TC - AC[j], msl, minh, lam);  // b >= j
    }
    double best = -INFINITY;
    for (int i = 1; i < na; ++i) {
        const double* rg = &w.pg[(size_t)i * W];
        const double* rh = &w.ph[(size_t)i * W];
        const double* rc = &w.pc[(size_t)i * W];
        const double RG = rg[nb], RH = rh[nb], RC = rc[nb];
        const double h0 = leaf_score_v(RG, RH, RC, msl, minh, lam);                  // a < i
        const double h1 = leaf_score_v(TG - RG, TH - RH, TC - RC, msl, minh, lam);   // a >= i
        if (h0 == -INFINITY && h1 == -INFINITY) continue;
        double* q0 = w.q[0].data(); double* q1 = w.q[1].data();
        double* q2 = w.q[2].data(); double* q3 = w.q[3].data();
        double* c0 = w.c[0].data(); double* c1 = w.c[1].data();
        double* c2 = w.c[2].data(); double* c3 = w.c[3].data();
        const double* lo = w.collo.data();
        const double* hi = w.colhi.data();
        for (int j = 1; j < nb; ++j) {
            double g = rg[j], h = rh[j], c = rc[j];
            q0[j] = leaf_score_v(g, h, c, msl, minh, lam);
            q1[j] = leaf_score_v(RG - g, RH - h, RC - c, msl, minh, lam);
            q2[j] = leaf_score_v(AG[j] - g, AH[j] - h, AC[j] - c, msl, minh, lam);
            q3[j] = leaf_score_v(TG - RG - AG[j] + g, TH - RH - AH[j] + h, TC - RC - AC[j] + c, msl, minh, lam);
            c0[j] = q0[j] + q1[j] + h1;
            c1[j] = q2[j] + q3[j] + h0;
            c2[j] = q0[j] + q2[j] + hi[j];
            c3[j] = q1[j] + q3[j] + lo[j];
        }
        for (int j = 1; j < nb; ++j) {
            if (c0[j] > best) { best = c0[j]; out[0] = 0; out[1] = 0; out[2] = i; out[3] = j; }
            if (c1[j] > best) { best = c1[j]; out[0] = 0; out[1] = 1; out[2] = i; out[3] = j; }
            if (c2[j] > best) { best = c2[j]; out[0] = 1; out[1] = 0; out[2] = i; out[3] = j; }
            if (c3[j] > best) { best = c3[j]; out[0] = 1; out[1] = 1; out[2] = i; out[3] = j; }
        }
    }
    return best;
}

// Fill `upd` (na * nb * K) with the 3-leaf update of one pair and return its gain.
inline double split_2d(int na, int nb, const double* HG, const double* HH, const double* CNT, bool random_splits,
                       const SplitParams& p, Rng& rng, Split2DWork& w, double* upd) {
    const int K = p.n_scores;
    prefix_2d(na, nb, HG, HH, CNT, K, w);
    const double* C = w.C.data();
    double tot[129];
    int all[4] = {0, na, 0, nb};
    rect_sum(C, nb, K, all, tot);
    const double parent = node_score(tot, tot + K, K, p);
    PairCut best = {-1, 0, 0, 0};
    double best_gain = -INFINITY;
    if (random_splits) {
        for (int attempt = 0; attempt < 16 && best.first < 0; ++attempt) {
            PairCut pc = {(int)rng.below(2), (int)rng.below(2), 1 + (int)rng.below(std::max(1, na - 1)),
                          1 + (int)rng.below(std::max(1, nb - 1))};
            int rect[3][4];
            pair_leaves(pc, na, nb, rect);
            double g = -parent, sl[129];
            bool ok = na >= 2 && nb >= 2;
            for (int l = 0; l < 3 && ok; ++l) {
                rect_sum(C, nb, K, rect[l], sl);
                ok = leaf_ok(sl, K, p);
                g += node_score(sl, sl + K, K, p);
            }
            if (ok) { best = pc; best_gain = g; }
        }
    } else if (K == 1 && p.reg_alpha <= 0.0) {
        int o[4] = {-1, 0, 0, 0};
        best_gain = best_chain_1(na, nb, C, p, w.chain, o);
        if (o[0] >= 0) best = {o[0], o[1], o[2], o[3]};
        best_gain -= parent;
    } else {
        scan_quadrants(na, nb, C, K, p, [&](int i, int j, const double q[4], const double* half) {
            // half: scores of a<i, a>=i, b<j, b>=j
            double c0 = q[0] + q[1] + half[1];  // a at i, split the low half on b
            double c1 = q[2] + q[3] + half[0];  // a at i, split the high half on b
            double c2 = q[0] + q[2] + half[3];  // b at j, split the low half on a
            double c3 = q[1] + q[3] + half[2];  // b at j, split the high half on a
            if (c0 > best_gain) { best_gain = c0; best = {0, 0, i, j}; }
            if (c1 > best_gain) { best_gain = c1; best = {0, 1, i, j}; }
            if (c2 > best_gain) { best_gain = c2; best = {1, 0, i, j}; }
            if (c3 > best_gain) { best_gain = c3; best = {1, 1, i, j}; }
        });
        best_gain -= parent;
    }
    if (best.first < 0) {
        // no admissible split: one leaf over the whole tensor
        for (size_t c = 0; c < (size_t)na * nb; ++c)
            for (int k = 0; k < K; ++k) upd[c * K + k] = p.learning_rate * leaf_value(tot[k], tot[K + k], p);
        return 0.0;
    }
    int rect[3][4];
    pair_leaves(best, na, nb, rect);
    for (int l = 0; l < 3; ++l) {
        double s[129];
        rect_sum(C, nb, K, rect[l], s);
        double v[64];
        for (int k = 0; k < K; ++k) v[k] = p.learning_rate * leaf_value(s[k], s[K + k], p);
        for (int a = rect[l][0]; a < rect[l][1]; ++a)
            for (int b = rect[l][2]; b < rect[l][3]; ++b)
                for (int k = 0; k < K; ++k) upd[((size_t)a * nb + b) * K + k] = v[k];
    }
    return best_gain;
}

// FAST (Lou et al. 2013): the best 4-quadrant gain over all cut pairs (i, j).
inline double fast_strength(int na, int nb, const double* HG, const double* HH, const double* CNT,
                            const SplitParams& p, Split2DWork& w) {
    const int K = p.n_scores;
    prefix_2d(na, nb, HG, HH, CNT, K, w);
    const double* C = w.C.data();
    double tot[129];
    int all[4] = {0, na, 0, nb};
    rect_sum(C, nb, K, all, tot);
    const double parent = node_score(tot, tot + K, K, p);
    double best = -INFINITY;
    scan_quadrants(na, nb, C, K, p, [&](int, int, const double q[4], const double*) {
        double g = q[0] + q[1] + q[2] + q[3];
        if (g > best) best = g;
    });
    return std::isfinite(best) ? std::max(0.0, best - parent) : 0.0;
}

}  // namespace gbebm
