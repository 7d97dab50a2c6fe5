// The depth-2 solver of the optimal-tree search: statistics of every pair of features
// on a node's points (MurTree / STreeD), and from them every candidate split's children:
// leaf cost, exact best stump, lower bound.
//
// For classification with integer weights the counts are popcounts over bit slices of
// the point statistics; otherwise sums over the points. A node's counts are reused when
// its level still holds them, restored from a small ring of recent nodes, or obtained as
// parent minus sibling (histogram subtraction).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <vector>

#include "_tree_bounds.hpp"
#include "_tree_kernels.hpp"
#include "_tree_table.hpp"
#include "_tree_types.hpp"

namespace gbtree {

class PairSolver {
  public:
    PairSolver(const SearchInput& in, const Bounds& b, const Table& tab)
        : in_(in), b_(b), tab_(tab) {
        m_ = in.n_features;
        W_ = in.n_words;
        D_ = in.n_dims;
        V_ = in.n_values;
        lam_ = in.lam;
        eps_ = in.eps;
        msl_ = b.min_samples_leaf();
        support_ = b.leaf_support();
        hw_popcnt_ = cpu_has_popcnt();
        hw_avx512_ = cpu_has_avx512_popcnt();
        {
            double entry = (double)m_ * m_ * D_ * sizeof(double) + 64.0;
            size_t slots = (size_t)std::max(16.0, std::min(4096.0, 32.0 * (1 << 20) / entry));
            ring_.resize(slots);
        }
        // sparse per-word slice lists: high bits of large counts are mostly empty
        sptr_.assign(W_ + 1, 0);
        for (int w = 0; w < W_ && in_.n_slices > 0; ++w) {
            for (int q = 0; q < in_.n_slices; ++q) {
                uint64_t mword = in_.slice_masks[(size_t)w * in_.n_slices + q];
                if (mword) {
                    smask_.push_back(mword);
                    sslice_.push_back(q);
                }
            }
            sptr_[w + 1] = (int)smask_.size();
        }
    }

    int64_t n_subtracted() const { return subtracted_; }
    int64_t n_reused() const { return reused_ + restored_; }

    Level& level(int L) {
        while ((int)levels_.size() <= L) {
            levels_.emplace_back();
            Level& lv = levels_.back();
            lv.S.resize(W_);
            lv.KL.resize(W_);
            lv.KR.resize(W_);
            lv.T.resize(D_);
            lv.tmp.resize(D_);
            lv.tmp2.resize(D_);
            lv.loc.assign(m_, -1);
            lv.lo.resize(m_);
        }
        return levels_[L];
    }

    inline const double* pair(const Level& lv, int a, int b) const {
        // a, b: positions in lv.counted; statistics of points with both features = 1
        if (a > b) std::swap(a, b);
        return &lv.C[((size_t)a * lv.counted.size() + b) * D_];
    }

    template <int DD>
    void count_pairs(Level& lv, int na) {
        const int D = DD > 0 ? DD : D_;
        double* C = lv.C.data();
        double* T = lv.T.data();
        int* lo = lv.lo.data();
        for (int w = 0; w < W_; ++w) {
            uint64_t word = lv.S[w];
            while (word) {
                int p = (w << 6) + __builtin_ctzll(word);
                word &= word - 1;
                const double* v = in_.stats + (size_t)p * D;
                for (int k = 0; k < D; ++k) T[k] += v[k];
                int no = 0;
                for (int64_t q = in_.indptr[p]; q < in_.indptr[p + 1]; ++q) {
                    int l = lv.loc[in_.ones[q]];
                    if (l >= 0) lo[no++] = l;
                }
                for (int i = 0; i < no; ++i) {
                    double* row = C + (size_t)lo[i] * na * D;
                    for (int j = i; j < no; ++j) {
                        double* c = row + (size_t)lo[j] * D;
                        for (int k = 0; k < D; ++k) c[k] += v[k];
                    }
                }
            }
        }
    }

    void popcount_statistics(Level& lv, int na) {
        const int ns = in_.n_slices;
        const int D = D_;
        lv.words.clear();
        for (int w = 0; w < W_; ++w)
            if (lv.S[w]) lv.words.push_back(w);
        const int nz = (int)lv.words.size();
        lv.SA.resize((size_t)na * nz);
        for (int i = 0; i < na; ++i) {
            const uint64_t* col = in_.columns + (size_t)lv.counted[i] * W_;
            for (int t = 0; t < nz; ++t)
                lv.SA[(size_t)t * na + i] = lv.S[lv.words[t]] & col[lv.words[t]];
        }
        lv.acc.assign((size_t)ns * std::max(na, 1), 0);
        int64_t* acc = lv.acc.data();
        for (int t = 0; t < nz; ++t) {
            const uint64_t x = lv.S[lv.words[t]];
            const uint64_t* m = in_.slice_masks + (size_t)lv.words[t] * ns;
            for (int q = 0; q < ns; ++q) acc[q] += __builtin_popcountll(x & m[q]);
        }
        for (int q = 0; q < ns; ++q) lv.T[in_.slice_dim[q]] += (double)acc[q] * in_.slice_weight[q];
        // slices present in the node's words: high bits of large counts are mostly absent
        lv.qs.clear();
        for (int q = 0; q < ns; ++q)
            if (acc[q]) lv.qs.push_back(q);
        const int* qs = lv.qs.data();
        const int nq = (int)lv.qs.size();
#ifdef GB_HAVE_TARGET_POPCNT
        if (hw_avx512_)
            popcount_pairs_avx512(lv.SA.data(), na, nz, lv.words.data(), sptr_.data(),
                                  smask_.data(), sslice_.data(), qs, nq, in_.slice_dim,
                                  in_.slice_weight, lv.C.data(), D, acc);
        else if (hw_popcnt_)
            popcount_pairs_hw(lv.SA.data(), na, nz, lv.words.data(), sptr_.data(), smask_.data(),
                              sslice_.data(), qs, nq, in_.slice_dim, in_.slice_weight, lv.C.data(),
                              D, acc);
        else
#endif
            popcount_pairs_generic(lv.SA.data(), na, nz, lv.words.data(), sptr_.data(),
                                   smask_.data(), sslice_.data(), qs, nq, in_.slice_dim,
                                   in_.slice_weight, lv.C.data(), D, acc);
        if (in_.derive_count) {
            lv.T[0] = 0.0;
            for (int k = 1; k <= V_; ++k) lv.T[0] += lv.T[k];
            for (int i = 0; i < na; ++i) {
                for (int j = i; j < na; ++j) {
                    double* c = &lv.C[((size_t)i * na + j) * D];
                    c[0] = 0.0;
                    for (int k = 1; k <= V_; ++k) c[0] += c[k];
                }
            }
        }
    }

    // Small LRU of pair statistics of recently expanded, unsolved nodes: budget
    // deepening re-expands the same node soon after, and counting is the costly part.
    // Vectors are swapped in and out, never copied.
    struct Stashed {
        int owner = -1;
        std::vector<int> counted;
        std::vector<double> C, T;
    };
    std::vector<Stashed> ring_;
    std::vector<int> ring_slot_;   // record id -> slot + 1 (0: not stashed)
    size_t ring_next_ = 0;

    void stash(Level& lv) {
        if (lv.owner < 0 || ring_.empty()) return;
        const int o = lv.owner;
        lv.owner = -1;
        if (tab_.recs[o].solved) return;
        if ((size_t)o < ring_slot_.size() && ring_slot_[o] > 0) return;
        Stashed& e = ring_[ring_next_];
        if (e.owner >= 0) ring_slot_[e.owner] = 0;
        e.owner = o;
        e.counted.swap(lv.counted);
        e.C.swap(lv.C);
        e.T.swap(lv.T);
        if (lv.T.size() != (size_t)D_) lv.T.assign(D_, 0.0);
        if ((size_t)o >= ring_slot_.size()) ring_slot_.resize(std::max((size_t)o + 1, ring_slot_.size() * 2), 0);
        ring_slot_[o] = (int)ring_next_ + 1;
        ring_next_ = (ring_next_ + 1) % ring_.size();
    }

    bool restore(Level& lv, int ri, const std::vector<int>& parent_active, uint64_t pe) {
        if ((size_t)ri >= ring_slot_.size() || ring_slot_[ri] == 0) return false;
        Stashed& e = ring_[ring_slot_[ri] - 1];
        ring_slot_[ri] = 0;
        e.owner = -1;
        lv.counted.swap(e.counted);
        lv.C.swap(e.C);
        lv.T.swap(e.T);
        lv.owner = ri;
        // siblings may subtract from these counts only if they use the parent's index space
        lv.parent_epoch = lv.counted == parent_active ? pe : ~(uint64_t)0;
        lv.epoch = ++epoch_counter_;
        ++restored_;
        return true;
    }

    // Pair statistics of S (node ri at level Lidx) over the parent's active features.
    // Reused when this level still holds them, or obtained as parent minus sibling
    // (histogram subtraction) when it holds the sibling's; counted otherwise.
    void pair_statistics(Level& lv, int Lidx, int ri, int sibling,
                         const std::vector<int>& parent_active) {
        const uint64_t pe = Lidx > 0 ? levels_[Lidx - 1].epoch : 0;
        if (lv.owner == ri && lv.parent_epoch == pe) {
            ++reused_;
            return;
        }
        if ((size_t)ri < ring_slot_.size() && ring_slot_[ri] > 0) {
            stash(lv);
            restore(lv, ri, parent_active, pe);
            return;
        }
        const int D = D_;
        const int na = (int)parent_active.size();
        const size_t size = (size_t)na * na * D;
        if (Lidx > 0 && sibling >= 0 && lv.owner == sibling && lv.parent_epoch == pe &&
            lv.C.size() == size) {
            // (same parent expansion: the sibling counted over parent_active too)
            // parent statistics are indexed by the parent's counted list; ours by its
            // active list (ascending positions apos in the parent's list)
            const Level& lp = levels_[Lidx - 1];
            const int np = (int)lp.counted.size();
            const int* apos = lp.active_pos.data();
            for (int i = 0; i < na; ++i) {
                for (int j = i; j < na; ++j) {
                    double* c = &lv.C[((size_t)i * na + j) * D];
                    const double* pc = &lp.C[((size_t)apos[i] * np + apos[j]) * D];
                    for (int k = 0; k < D; ++k) c[k] = pc[k] - c[k];
                }
            }
            for (int k = 0; k < D; ++k) lv.T[k] = lp.T[k] - lv.T[k];
            ++subtracted_;
        } else {
            stash(lv);   // before lv.counted changes: the stash keeps the owner's list
            lv.counted = parent_active;
            std::fill(lv.T.begin(), lv.T.end(), 0.0);
            if (in_.n_slices > 0) {
                lv.C.resize(size);   // the kernel writes every (i <= j) entry
                popcount_statistics(lv, na);
                lv.owner = ri;
                lv.parent_epoch = pe;
                lv.epoch = ++epoch_counter_;
                return;
            }
            lv.C.assign(size, 0.0);
            for (int i = 0; i < na; ++i) lv.loc[lv.counted[i]] = i;
            switch (D) {
                case 3: count_pairs<3>(lv, na); break;
                case 4: count_pairs<4>(lv, na); break;
                case 5: count_pairs<5>(lv, na); break;
                case 6: count_pairs<6>(lv, na); break;
                default: count_pairs<0>(lv, na); break;
            }
            for (int i = 0; i < na; ++i) lv.loc[lv.counted[i]] = -1;
        }
        lv.owner = ri;
        lv.parent_epoch = pe;
        lv.epoch = ++epoch_counter_;
    }


    // Best stump below each side of every active feature a, from the four quadrant
    // statistics of every unordered pair (a, b): bT/gT for the side a = 1, bF/gF for a = 0.
    template <int DD, bool BIN>
    void stumps(Level& lv, int nact) {
        const int D = DD > 0 ? DD : D_;
        lv.bT.assign(nact, INF);
        lv.bF.assign(nact, INF);
        lv.gT.assign(nact, -1);
        lv.gF.assign(nact, -1);
        lv.cT.assign(nact, INF);
        lv.cF.assign(nact, INF);
        double q10[8], q01[8], q00[8];
        std::vector<double> big;
        double *p10 = q10, *p01 = q01, *p00 = q00;
        if (D > 8) {
            big.resize(3 * D);
            p10 = big.data();
            p01 = p10 + D;
            p00 = p01 + D;
        }
        const double* T = lv.T.data();
        const int E = D - 1;
        const int* cpos = lv.cpos.data();
        const int* counted = lv.counted.data();
        // raw pointers and per-a accumulators in locals: the compiler cannot keep vector
        // elements in registers across the stores into the statistics buffers
        double* bT = lv.bT.data();
        double* bF = lv.bF.data();
        double* cT = lv.cT.data();
        double* cF = lv.cF.data();
        int* gT = lv.gT.data();
        int* gF = lv.gF.data();
        for (int ia = 0; ia < nact; ++ia) {
            const int a = cpos[ia];
            const double* La = pair(lv, a, a);
            const int fa = counted[a];
            double bTa = bT[ia], bFa = bF[ia], cTa = cT[ia], cFa = cF[ia];
            int gTa = gT[ia], gFa = gF[ia];
            for (int ib = ia + 1; ib < nact; ++ib) {
                const int b = cpos[ib];
                const double* Lb = pair(lv, b, b);
                const double* q11 = pair(lv, a, b);
                for (int k = 0; k < D; ++k) {
                    p10[k] = La[k] - q11[k];
                    p01[k] = Lb[k] - q11[k];
                    p00[k] = T[k] - La[k] - p01[k];
                }
                const double c11 = b_.template qcost<BIN>(q11), c10 = b_.template qcost<BIN>(p10);
                const double c01 = b_.template qcost<BIN>(p01), c00 = b_.template qcost<BIN>(p00);
                const int fb = counted[b];
                double v = c11 + c10;                 // a = 1, split on b
                if (v < bTa - eps_) { bTa = v; gTa = fb; }
                v = c01 + c00;                        // a = 0, split on b
                if (v < bFa - eps_) { bFa = v; gFa = fb; }
                v = c11 + c01;                        // b = 1, split on a
                if (v < bT[ib] - eps_) { bT[ib] = v; gT[ib] = fa; }
                v = c10 + c00;                        // b = 0, split on a
                if (v < bF[ib] - eps_) { bF[ib] = v; gF[ib] = fa; }
                // three leaves below a side: its first split peels one cell off as a
                // leaf and the other cell costs at least its equivalent-points loss
                cTa = std::min(cTa, std::min(c11 + p10[E], c10 + q11[E]));
                cFa = std::min(cFa, std::min(c01 + p00[E], c00 + p01[E]));
                cT[ib] = std::min(cT[ib], std::min(c11 + p01[E], c01 + q11[E]));
                cF[ib] = std::min(cF[ib], std::min(c10 + p00[E], c00 + p10[E]));
            }
            bT[ia] = bTa; bF[ia] = bFa; cT[ia] = cTa; cF[ia] = cFa;
            gT[ia] = gTa; gF[ia] = gFa;
        }
    }

    // Fill the per-candidate arrays from the pair statistics. Returns the number of valid splits.
    int expand(Level& lv, int d) {
        const int D = D_;
        const int na = (int)lv.counted.size();
        double* T = lv.T.data();
        // Features constant on S are useless below S, and so is a copy or a complement
        // (on S) of an earlier feature: it splits S into the same two sets. Counts are
        // exact and every point holds at least one row, so equal counts of nested sets
        // mean equal sets.
        lv.active.clear();
        lv.cpos.clear();
        for (int i = 0; i < na; ++i) {
            const double c = pair(lv, i, i)[0];
            if (c < 0.5 || c > T[0] - 0.5) continue;
            bool same = false;
            for (int k : lv.cpos) {
                const double both = pair(lv, k, i)[0], ck = pair(lv, k, k)[0];
                if ((both > c - 0.5 && both > ck - 0.5) ||
                    (both < 0.5 && std::fabs(c + ck - T[0]) < 0.5)) {
                    same = true;
                    break;
                }
            }
            if (same) continue;
            lv.active.push_back(lv.counted[i]);
            lv.cpos.push_back(i);
        }
        const int nact = (int)lv.active.size();
        const int dc = d >= UNLIMITED ? UNLIMITED : d - 1;
        double* L = lv.tmp.data();
        double* R = lv.tmp2.data();
        lv.cf.clear();
        lv.gL.clear(); lv.gR.clear();
        lv.leafL.clear(); lv.leafR.clear(); lv.lbL.clear(); lv.lbR.clear();
        lv.ubL.clear(); lv.ubR.clear(); lv.eqL.clear(); lv.eqR.clear(); lv.wL.clear();
        lv.splitlb.clear(); lv.splitub.clear();
        std::vector<int>& candpos = lv.order;  // reused below; holds count positions for now
        candpos.clear();
        if (dc >= 1) {
            if (in_.task == 0 && V_ == 2 && D == 4)
                stumps<4, true>(lv, nact);
            else
                stumps<0, false>(lv, nact);
        }
        for (int ia = 0; ia < nact; ++ia) {
            int a = lv.cpos[ia];
            const double* Lp = pair(lv, a, a);
            for (int k = 0; k < D; ++k) {
                L[k] = Lp[k];
                R[k] = T[k] - Lp[k];
            }
            if (L[0] < msl_ - 0.5 || R[0] < msl_ - 0.5) continue;
            double wl = b_.weight(L), wr = b_.weight(R);
            if (support_ && (wl < lam_ - eps_ || wr < lam_ - eps_)) continue;
            double leafL = b_.cost(L), leafR = b_.cost(R);
            double ubL = leafL, ubR = leafR;
            int gl = -1, gr = -1;
            if (dc >= 1) {
                if (lv.bT[ia] < ubL - eps_) {
                    ubL = lv.bT[ia];
                    gl = lv.gT[ia];
                }
                if (lv.bF[ia] < ubR - eps_) {
                    ubR = lv.bF[ia];
                    gr = lv.gF[ia];
                }
            }
            double eqL = L[D - 1], eqR = R[D - 1];
            double lbL, lbR;
            if (dc == 0) {
                lbL = leafL;
                lbR = leafR;
            } else if (dc == 1) {
                lbL = ubL;
                lbR = ubR;
            } else {
                // more than two leaves: exactly three (cT/cF + 2 lam) or at least four
                const double l3 = std::min(lv.cT[ia] + 2.0 * lam_, eqL + 4.0 * lam_);
                const double r3 = std::min(lv.cF[ia] + 2.0 * lam_, eqR + 4.0 * lam_);
                lbL = b_.must_be_leaf(leafL, eqL, wl) ? leafL
                                                   : std::min(ubL, std::max(l3, eqL + 3.0 * lam_));
                lbR = b_.must_be_leaf(leafR, eqR, wr) ? leafR
                                                   : std::min(ubR, std::max(r3, eqR + 3.0 * lam_));
            }
            lv.cf.push_back(lv.counted[a]);
            candpos.push_back(a);
            lv.gL.push_back(gl);
            lv.gR.push_back(gr);
            lv.leafL.push_back(leafL);
            lv.leafR.push_back(leafR);
            lv.ubL.push_back(ubL);
            lv.ubR.push_back(ubR);
            lv.lbL.push_back(lbL);
            lv.lbR.push_back(lbR);
            lv.eqL.push_back(eqL);
            lv.eqR.push_back(eqR);
            lv.wL.push_back(wl);
            lv.splitlb.push_back(lbL + lbR);
            lv.splitub.push_back(ubL + ubR);
        }
        lv.active_pos.swap(lv.cpos);  // positions of the active features in the counted list
        lv.cpos = candpos;            // positions of the candidates in the counted list
        return (int)lv.cf.size();
    }

    // child statistics of candidate i: side 0 = feature is 1, side 1 = feature is 0
    void child_stats(const Level& lv, int i, int side, double* out) const {
        const double* Lp = pair(lv, lv.cpos[i], lv.cpos[i]);
        if (side == 0) {
            for (int k = 0; k < D_; ++k) out[k] = Lp[k];
        } else {
            for (int k = 0; k < D_; ++k) out[k] = lv.T[k] - Lp[k];
        }
    }


  private:
    const SearchInput& in_;
    const Bounds& b_;
    const Table& tab_;
    int m_, W_, D_, V_;
    double lam_, eps_, msl_;
    bool support_;
    std::deque<Level> levels_;
    bool hw_popcnt_ = false;
    bool hw_avx512_ = false;
    std::vector<int> sptr_, sslice_;
    std::vector<uint64_t> smask_;
    int64_t subtracted_ = 0;
    int64_t reused_ = 0;
    int64_t restored_ = 0;
    uint64_t epoch_counter_ = 0;
};

}  // namespace gbtree
