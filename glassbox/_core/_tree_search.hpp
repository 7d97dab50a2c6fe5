// Optimal sparse decision trees: memoised depth-first branch and bound over
// sub-problems identified by the set of training points they hold.
//
// Objective (raw units): sum of leaf losses + lam * n_leaves, subject to a depth
// budget (UNLIMITED = none) and a minimum number of samples per leaf.
//
// * Points are the distinct binary feature vectors of the training data; each
//   carries a statistics vector [count, values..., eq] where `values` are class
//   weights (classification) or (w, w*y, w*y^2) (regression) and `eq` is the
//   loss its own samples incur in any single leaf (equivalent-points bound).
// * A sub-problem is (bitset over points, remaining depth); solved and partly
//   solved sub-problems live in one open-addressing table (lb, ub, best split).
// * solve(node, budget) leaves the node either solved (lb == ub, tree known)
//   or with lb > budget (the FastSmallTree / MurTree contract), so children get
//   the budget their sibling leaves over (one-step look-ahead) and budgets can
//   grow geometrically (anytime lower bounds at the root).
// * Every expansion counts the statistics of all feature pairs at once
//   (MurTree's depth-2 solver): this solves depth-2 sub-problems exactly and
//   gives every child its exact best leaf-or-stump, hence the lower bound
//   min(leaf, best stump, eq + 3 lam) for every child of every split.
// * Bounds: equivalent points, incremental accuracy (loss - eq < lam => leaf),
//   leaf support (classification: a child lighter than lam is never optimal),
//   similar support (classification: two splits whose children differ by
//   weight w have optima within w), lower bounds of pruned splits.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <vector>

#include "_tree_kernels.hpp"
#include "_tree_table.hpp"

namespace gbtree {

static const double INF = std::numeric_limits<double>::infinity();
static const int UNLIMITED = 255;

enum Status { OPTIMAL = 0, TIME_LIMIT = 1, MEMORY_LIMIT = 2 };

struct SearchInput {
    int n_points = 0;
    int n_features = 0;
    int n_words = 0;
    int n_dims = 0;             // 1 + n_values + 1
    int task = 0;               // 0 classification, 1 regression
    int n_values = 0;           // classes, or 3 for regression (w, wy, wy2)
    const uint64_t* columns = nullptr;  // n_features x n_words: bit p set when point p has feature = 1
    const int64_t* indptr = nullptr;    // n_points + 1
    const int32_t* ones = nullptr;      // sorted features equal to 1, per point
    const double* stats = nullptr;      // n_points x n_dims
    double lam = 0.0;           // per-leaf penalty in raw loss units
    double min_samples_leaf = 1.0;
    int max_depth = UNLIMITED;
    double time_limit = 0.0;    // seconds, <= 0 means none
    double max_cache_bytes = 0.0;  // <= 0 means none
    bool similar_support = true;
    bool leaf_support = true;
    double eps = 1e-12;
    // Integer statistics as bit slices (classification with integer weights): slice s
    // marks the points whose statistic slice_dim[s] has bit log2(slice_weight[s]) set,
    // stored word-major (n_words x n_slices); then every count is a sum of popcounts.
    int n_slices = 0;
    const uint64_t* slice_masks = nullptr;
    const int32_t* slice_dim = nullptr;
    const double* slice_weight = nullptr;
    bool derive_count = false;   // count = sum of the class statistics (unit weights)
};

struct SearchOutput {
    std::vector<int32_t> feature, left, right;  // preorder; feature -1 marks a leaf
    double objective = INF;
    double lower_bound = 0.0;
    int status = OPTIMAL;
    int64_t n_expansions = 0;
    int64_t n_distinct_expanded = 0;
    int64_t n_subtracted = 0;
    int64_t n_reused = 0;
    int64_t n_cache_entries = 0;
    int64_t n_cache_bytes = 0;
    double seconds = 0.0;
};


class Solver {
  public:
    explicit Solver(const SearchInput& in) : in_(in) {
        m_ = in.n_features;
        W_ = in.n_words;
        D_ = in.n_dims;
        V_ = in.n_values;
        lam_ = in.lam;
        eps_ = in.eps;
        msl_ = std::max(1.0, in.min_samples_leaf);
        // moving points between leaves costs at most their weight only for classification,
        // and only keeps every leaf valid without a minimum leaf size
        sim_ = in.similar_support && in.task == 0 && msl_ <= 1.0;
        support_ = in.leaf_support && in.task == 0;
        tab_.init(W_);
        hw_popcnt_ = cpu_has_popcnt();
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

    void run(SearchOutput& out) {
        t0_ = std::chrono::steady_clock::now();
        // root: every point
        std::vector<uint64_t> root(W_, 0);
        for (int p = 0; p < in_.n_points; ++p) root[p >> 6] |= 1ULL << (p & 63);
        std::vector<double> T(D_, 0.0);
        for (int p = 0; p < in_.n_points; ++p)
            for (int k = 0; k < D_; ++k) T[k] += in_.stats[(size_t)p * D_ + k];
        int depth = in_.max_depth >= UNLIMITED ? UNLIMITED : std::max(0, in_.max_depth);
        std::vector<int> all(m_);
        for (int j = 0; j < m_; ++j) all[j] = j;
        root_active_ = all;
        // First budget step of the deepening loops. Measured: without a depth limit small
        // probes (lam / 4) expand fewest nodes on the tree suite (tic-tac-toe: 47k vs 82k
        // at 2 lam); with one, 2 lam does (COMPAS d=6: 4.1k vs 7.0k at lam / 8).
        const double factor = depth >= UNLIMITED ? 0.25 : 2.0;
        step0_ = std::max(factor * lam_, 1e-6 * std::max(weight(T.data()), 1e-300));
        // With a depth limit, solve depths 2, 3, ..., max_depth in turn: every record
        // of depth k starts from the tree its set had at depth k - 1 (an upper bound
        // that is a real tree), so each search starts with a good incumbent, and an
        // interrupted search still returns the best shallower tree.
        int first = (depth >= UNLIMITED || depth < 3) ? depth : 2;
        int ri = -1;
        for (int dd = first; dd <= depth && !aborted_; ++dd) {
            Record rec = fresh(T.data(), dd, INF, -1, false);
            uint64_t h = Table::hash(root.data(), W_, dd);
            transfer(root.data(), dd, rec);
            ri = tab_.insert(root.data(), dd, h, rec);
            solve_root(ri);
        }
        // stopped before reaching max_depth: chain the best shallower tree up to it
        for (int k = ri < 0 ? first : tab_.recs[ri].depth + 1; k <= depth; ++k) {
            Record rec = fresh(T.data(), k, INF, -1, false);
            transfer(root.data(), k, rec);
            ri = tab_.insert(root.data(), k, Table::hash(root.data(), W_, k), rec);
        }
        const Record& r = tab_.recs[ri];
        out.objective = r.ub;
        out.lower_bound = r.solved ? r.ub : std::min(r.lb, r.ub);
        out.status = status_;
        out.n_expansions = expansions_;
        out.n_distinct_expanded = distinct_;
        out.n_subtracted = subtracted_;
        out.n_reused = reused_ + restored_;
        out.n_cache_entries = (int64_t)tab_.recs.size();
        out.n_cache_bytes = (int64_t)tab_.bytes();
        extract(ri, root.data(), depth, out);
        // the tree can be better than the ub recorded when its parts were copied (kind 3)
        out.objective = std::min(out.objective, tree_cost(out));
        out.seconds = elapsed();
    }

  private:
    // Budget deepening at the root: every finished call either solves the root or
    // proves lb > budget, so the lower bound improves while running.
    void solve_root(int ri) {
        double step = step0_;
        greedy(ri, 0, &root_active_, -1);
        while (!tab_.recs[ri].solved && !aborted_) {
            Record& r = tab_.recs[ri];
            double b = std::min(r.ub, r.lb + step);
            solve(ri, 0, b, &root_active_, -1);
            step *= 2.0;
        }
    }

    // Bounds shared across depth budgets of one set: a tree found with depth - 1
    // fits depth (ub, extracted through kind 3), and opt(depth) >= opt(depth + 1).
    void transfer(const uint64_t* key, int depth, Record& r) const {
        if (r.solved || depth >= UNLIMITED) return;
        if (depth >= 1) {
            int s = tab_.find(key, depth - 1, Table::hash(key, W_, depth - 1));
            if (s >= 0 && tab_.recs[s].ub < r.ub - eps_) {
                r.ub = tab_.recs[s].ub;
                r.kind = 3;
                r.f = -1;
            }
        }
        if (depth + 1 < UNLIMITED) {
            int s = tab_.find(key, depth + 1, Table::hash(key, W_, depth + 1));
            if (s >= 0 && tab_.recs[s].lb > r.lb) r.lb = std::min(tab_.recs[s].lb, r.ub);
        }
        if (r.ub <= r.lb + eps_) {
            r.lb = r.ub;
            r.solved = 1;
        }
    }

    const SearchInput& in_;
    int m_, W_, D_, V_;
    double lam_, eps_, msl_;
    bool sim_, support_;
    Table tab_;
    std::deque<Level> levels_;
    std::vector<int> root_active_;
    double step0_ = 0.0;
    bool hw_popcnt_ = false;
    std::vector<int> sptr_, sslice_;
    std::vector<uint64_t> smask_;
    bool aborted_ = false;
    int status_ = OPTIMAL;
    int64_t expansions_ = 0;
    int64_t distinct_ = 0;
    int64_t subtracted_ = 0;
    int64_t reused_ = 0;
    int64_t restored_ = 0;
    uint64_t epoch_counter_ = 0;
    std::chrono::steady_clock::time_point t0_;

    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    }

    bool tick() {
        if (aborted_) return true;
        if (in_.time_limit > 0 && elapsed() > in_.time_limit) {
            aborted_ = true;
            status_ = TIME_LIMIT;
        }
        return aborted_;
    }

    // ---------------------------------------------------------------- leaves
    inline double loss(const double* v) const {
        if (in_.task == 0) {
            double s = 0.0, mx = 0.0;
            for (int k = 1; k <= V_; ++k) {
                s += v[k];
                if (v[k] > mx) mx = v[k];
            }
            return s - mx;
        }
        double w = v[1];
        if (w <= 0.0) return 0.0;
        double l = v[3] - v[2] * v[2] / w;
        return l > 0.0 ? l : 0.0;
    }

    inline double weight(const double* v) const {
        if (in_.task == 0) {
            double s = 0.0;
            for (int k = 1; k <= V_; ++k) s += v[k];
            return s;
        }
        return v[1];
    }

    // loss + lam, or INF when the leaf would hold fewer than min_samples_leaf samples
    inline double cost(const double* v) const {
        if (v[0] < msl_ - 0.5) return INF;
        return loss(v) + lam_;
    }

    // the node's optimum is its leaf: every split costs at least eq + 2 lam > leaf,
    // or (leaf support) every split leaves a child lighter than lam
    inline bool must_be_leaf(double leaf, double eq, double w) const {
        if (leaf - lam_ - eq < lam_ - eps_) return true;
        if (support_ && w < 2.0 * lam_ - eps_) return true;
        return false;
    }

    Record fresh(const double* v, int depth, double ub2, int g, bool has2) const {
        Record r;
        r.leaf = cost(v);
        r.eq = v[D_ - 1];
        r.f = -1;
        r.gl = r.gr = -1;
        r.kind = 0;
        r.depth = (uint8_t)depth;
        r.ub = r.leaf;
        r.has2 = 0;
        r.expanded = 0;
        r.solved = 0;
        if (depth == 0 || must_be_leaf(r.leaf, r.eq, weight(v))) {
            r.lb = r.ub = r.leaf;
            r.solved = 1;
            r.has2 = 1;
            return r;
        }
        if (has2) {
            r.has2 = 1;
            if (ub2 < r.ub - eps_ && g >= 0) {
                r.ub = ub2;
                r.kind = 2;
                r.f = g;
            }
            if (depth == 1) {
                r.lb = r.ub;
                r.solved = 1;
                return r;
            }
            r.lb = std::min(r.ub, r.eq + 3.0 * lam_);
        } else {
            r.lb = std::min(r.ub, r.eq + 2.0 * lam_);
        }
        if (r.ub <= r.lb + eps_) {
            r.lb = r.ub;
            r.solved = 1;
        }
        return r;
    }

    // Find or create the child with statistics v; tighten it with what the parent knows.
    int child(const uint64_t* key, int depth, const double* v, double ub2, int g, double lb) {
        uint64_t h = Table::hash(key, W_, depth);
        int ri = tab_.find(key, depth, h);
        if (ri < 0) {
            if (in_.max_cache_bytes > 0 && (double)tab_.bytes_after_insert() > in_.max_cache_bytes) {
                aborted_ = true;
                status_ = MEMORY_LIMIT;
                return -1;
            }
            Record r = fresh(v, depth, ub2, g, depth >= 1);
            if (!r.solved && lb > r.lb) r.lb = std::min(lb, r.ub);
            transfer(key, depth, r);
            if (r.ub <= r.lb + eps_) {
                r.lb = r.ub;
                r.solved = 1;
            }
            return tab_.insert(key, depth, h, r);
        }
        Record& r = tab_.recs[ri];
        if (r.solved) return ri;
        if (depth >= 1 && ub2 < r.ub - eps_ && g >= 0) {
            r.ub = ub2;
            r.kind = 2;
            r.f = g;
            r.gl = r.gr = -1;
        }
        if (depth >= 1) r.has2 = 1;
        if (lb > r.lb) r.lb = lb;
        if (depth == 1 || r.ub <= r.lb + eps_) {
            r.lb = r.ub;
            r.solved = 1;
        }
        return ri;
    }

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
#ifdef GB_HAVE_TARGET_POPCNT
        if (hw_popcnt_)
            popcount_pairs_hw(lv.SA.data(), na, nz, lv.words.data(), sptr_.data(), smask_.data(),
                              sslice_.data(), ns, in_.slice_dim, in_.slice_weight, lv.C.data(),
                              D, acc);
        else
#endif
            popcount_pairs_generic(lv.SA.data(), na, nz, lv.words.data(), sptr_.data(),
                                   smask_.data(), sslice_.data(), ns, in_.slice_dim,
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

    template <bool BIN>
    inline double qcost(const double* v) const {
        if (v[0] < msl_ - 0.5) return INF;
        if (BIN) return (v[1] < v[2] ? v[1] : v[2]) + lam_;
        return loss(v) + lam_;
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
        for (int ia = 0; ia < nact; ++ia) {
            const int a = lv.cpos[ia];
            const double* La = pair(lv, a, a);
            const int fa = lv.counted[a];
            for (int ib = ia + 1; ib < nact; ++ib) {
                const int b = lv.cpos[ib];
                const double* Lb = pair(lv, b, b);
                const double* q11 = pair(lv, a, b);
                for (int k = 0; k < D; ++k) {
                    p10[k] = La[k] - q11[k];
                    p01[k] = Lb[k] - q11[k];
                    p00[k] = T[k] - La[k] - p01[k];
                }
                const double c11 = qcost<BIN>(q11), c10 = qcost<BIN>(p10);
                const double c01 = qcost<BIN>(p01), c00 = qcost<BIN>(p00);
                const int fb = lv.counted[b];
                double v = c11 + c10;                 // a = 1, split on b
                if (v < lv.bT[ia] - eps_) { lv.bT[ia] = v; lv.gT[ia] = fb; }
                v = c01 + c00;                        // a = 0, split on b
                if (v < lv.bF[ia] - eps_) { lv.bF[ia] = v; lv.gF[ia] = fb; }
                v = c11 + c01;                        // b = 1, split on a
                if (v < lv.bT[ib] - eps_) { lv.bT[ib] = v; lv.gT[ib] = fa; }
                v = c10 + c00;                        // b = 0, split on a
                if (v < lv.bF[ib] - eps_) { lv.bF[ib] = v; lv.gF[ib] = fa; }
                // three leaves below a side: its first split peels one cell off as a
                // leaf and the other cell costs at least its equivalent-points loss
                const int E = D - 1;
                v = std::min(c11 + p10[E], c10 + q11[E]);
                if (v < lv.cT[ia]) lv.cT[ia] = v;
                v = std::min(c01 + p00[E], c00 + p01[E]);
                if (v < lv.cF[ia]) lv.cF[ia] = v;
                v = std::min(c11 + p01[E], c01 + q11[E]);
                if (v < lv.cT[ib]) lv.cT[ib] = v;
                v = std::min(c10 + p00[E], c00 + p10[E]);
                if (v < lv.cF[ib]) lv.cF[ib] = v;
            }
        }
    }

    // Fill the per-candidate arrays from the pair statistics. Returns the number of valid splits.
    int expand(Level& lv, int d) {
        const int D = D_;
        const int na = (int)lv.counted.size();
        double* T = lv.T.data();
        // features constant on S are useless below S
        lv.active.clear();
        lv.cpos.clear();
        for (int i = 0; i < na; ++i) {
            double c = pair(lv, i, i)[0];
            if (c > 0.5 && c < T[0] - 0.5) {
                lv.active.push_back(lv.counted[i]);
                lv.cpos.push_back(i);
            }
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
            double wl = weight(L), wr = weight(R);
            if (support_ && (wl < lam_ - eps_ || wr < lam_ - eps_)) continue;
            double leafL = cost(L), leafR = cost(R);
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
                lbL = must_be_leaf(leafL, eqL, wl) ? leafL
                                                   : std::min(ubL, std::max(l3, eqL + 3.0 * lam_));
                lbR = must_be_leaf(leafR, eqR, wr) ? leafR
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

    void propagate(Level& lv, int i, double value, double bound) {
        if (!sim_ || value <= bound + eps_) return;
        const int nc = (int)lv.cf.size();
        const double wS = weight(lv.T.data());
        const int a = lv.cpos[i];
        for (int j = 0; j < nc; ++j) {
            if (j == i) continue;
            double both = weight(pair(lv, a, lv.cpos[j]));
            double dist = lv.wL[i] + lv.wL[j] - 2.0 * both;   // points on different sides
            double flip = wS - dist;                          // same, with one split mirrored
            if (flip < dist) dist = flip;
            double v = value - dist;
            if (v > lv.lbarr[j]) lv.lbarr[j] = v;
        }
    }

    struct Done {
        int i, left, right;   // candidate and its two child records
    };

    // Similarity lower bound (MurTree): with the same depth budget, a set A costs at
    // least opt(B) - w(B \ A) for any set B (B's optimal tree on A, plus at most the
    // weight of the points it no longer holds). Children of candidates already visited
    // bound the children of candidate i; the weights come from the pair statistics.
    void similar_children(const Level& lv, int i, const std::vector<Done>& done,
                          double& lbL, double& lbR) const {
        const double wS = weight(lv.T.data());
        const double wi = lv.wL[i];
        const int b = lv.cpos[i];
        for (const Done& e : done) {
            const double wk = lv.wL[e.i];
            const double both = weight(pair(lv, lv.cpos[e.i], b));   // S & F_k & F_i
            const double l = tab_.recs[e.left].lb, r = tab_.recs[e.right].lb;
            // A = S & F_i: drops S & F_k & ~F_i from the left, S & ~F_k & ~F_i from the right
            lbL = std::max(lbL, std::max(l - (wk - both), r - (wS - wk - wi + both)));
            // A = S & ~F_i: drops S & F_k & F_i from the left, S & ~F_k & F_i from the right
            lbR = std::max(lbR, std::max(l - both, r - (wi - both)));
        }
    }

    void set_split(int ri, double value, int f) {
        Record& r = tab_.recs[ri];
        r.ub = value;
        r.kind = 1;
        r.f = f;
        r.gl = r.gr = -1;
    }

    // Use a fresh expansion on its node: leaf when nothing splits, the best depth-2
    // tree as an upper bound, min(leaf, split lower bounds) as a lower bound; depth <= 2
    // nodes are then solved exactly. Returns true when the node is solved.
    bool settle(int ri, Level& lv, int nc, int d) {
        Record& r = tab_.recs[ri];
        if (nc == 0) {
            r.lb = r.ub = r.leaf;
            r.kind = 0;
            r.f = -1;
            r.solved = 1;
            return true;
        }
        int bi = -1;
        double lball = r.leaf, b2 = INF;
        for (int i = 0; i < nc; ++i) {
            if (lv.splitlb[i] < lball) lball = lv.splitlb[i];
            if (lv.splitub[i] < b2) {
                b2 = lv.splitub[i];
                bi = i;
            }
        }
        if (b2 < r.ub - eps_) {
            r.ub = b2;
            r.kind = 2;
            r.f = lv.cf[bi];
            r.gl = lv.gL[bi];
            r.gr = lv.gR[bi];
        }
        r.has2 = 1;
        if (lball > r.lb) r.lb = lball;
        if (d <= 2 || r.ub <= r.lb + eps_) {
            r.lb = r.ub;
            r.solved = 1;
            return true;
        }
        return false;
    }

    // Greedy dive for a first incumbent: split on the root of the best depth-2 tree,
    // recurse into both children, keep the result if it beats what the node knows.
    void greedy(int ri, int Lidx, const std::vector<int>* parent_active, int sibling) {
        if (tab_.recs[ri].solved || tick()) return;
        ++expansions_;
        Level& lv = level(Lidx);
        std::memcpy(lv.S.data(), &tab_.keys[(size_t)ri * W_], sizeof(uint64_t) * W_);
        const int d = tab_.recs[ri].depth;
        pair_statistics(lv, Lidx, ri, sibling, *parent_active);
        const int nc = expand(lv, d);
        if (settle(ri, lv, nc, d)) return;
        int bi = 0;
        for (int i = 1; i < nc; ++i)
            if (lv.splitub[i] < lv.splitub[bi] ||
                (lv.splitub[i] == lv.splitub[bi] && lv.splitlb[i] < lv.splitlb[bi]))
                bi = i;
        if (lv.splitub[bi] >= tab_.recs[ri].leaf - eps_) return;
        const int f = lv.cf[bi];
        const int dc = d >= UNLIMITED ? UNLIMITED : d - 1;
        const uint64_t* col = in_.columns + (size_t)f * W_;
        for (int w = 0; w < W_; ++w) {
            lv.KL[w] = lv.S[w] & col[w];
            lv.KR[w] = lv.S[w] & ~col[w];
        }
        std::vector<double> stat(D_);
        child_stats(lv, bi, 0, stat.data());
        int li = child(lv.KL.data(), dc, stat.data(), lv.ubL[bi], lv.gL[bi], lv.lbL[bi]);
        if (li < 0) return;
        child_stats(lv, bi, 1, stat.data());
        int rj = child(lv.KR.data(), dc, stat.data(), lv.ubR[bi], lv.gR[bi], lv.lbR[bi]);
        if (rj < 0) return;
        greedy(li, Lidx + 1, &lv.active, rj);
        greedy(rj, Lidx + 1, &lv.active, li);
        double value = tab_.recs[li].ub + tab_.recs[rj].ub;
        if (value < tab_.recs[ri].ub - eps_) set_split(ri, value, f);
    }

    void solve(int ri, int Lidx, double budget, const std::vector<int>* parent_active,
               int sibling) {
        {
            const Record& r = tab_.recs[ri];
            if (r.solved || r.lb > budget + eps_) return;
            if (r.has2 && r.ub <= budget + eps_ && budget < r.eq + 3.0 * lam_ - eps_) {
                // every tree with three or more leaves exceeds the budget; ub is exact
                // over the rest
                Record& w = tab_.recs[ri];
                w.lb = w.ub;
                w.solved = 1;
                return;
            }
        }
        if (tick()) return;
        ++expansions_;
        if (!tab_.recs[ri].expanded) {
            tab_.recs[ri].expanded = 1;
            ++distinct_;
        }
        Level& lv = level(Lidx);
        std::memcpy(lv.S.data(), &tab_.keys[(size_t)ri * W_], sizeof(uint64_t) * W_);
        const int d = tab_.recs[ri].depth;
        pair_statistics(lv, Lidx, ri, sibling, *parent_active);
        const int nc = expand(lv, d);
        if (settle(ri, lv, nc, d)) return;
        if (tab_.recs[ri].lb > budget + eps_) return;
        std::vector<int>& order = lv.order;
        order.resize(nc);
        for (int i = 0; i < nc; ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&lv](int x, int y) {
            if (lv.splitlb[x] != lv.splitlb[y]) return lv.splitlb[x] < lv.splitlb[y];
            if (lv.splitub[x] != lv.splitub[y]) return lv.splitub[x] < lv.splitub[y];
            return x < y;
        });
        lv.lbarr = lv.splitlb;
        const int dc = d >= UNLIMITED ? UNLIMITED : d - 1;
        double best = tab_.recs[ri].ub;
        double bound = std::min(budget, best);
        double min_pruned = INF;
        std::vector<double> stat(D_);
        std::vector<Done> done;
        for (int oi = 0; oi < nc; ++oi) {
            const int i = order[oi];
            if (lv.splitlb[i] > bound + eps_) {
                min_pruned = std::min(min_pruned, lv.splitlb[i]);
                break;   // sorted: every later candidate is at least as bad
            }
            if (lv.lbarr[i] > bound + eps_) {
                min_pruned = std::min(min_pruned, lv.lbarr[i]);
                continue;
            }
            double lbLi = lv.lbL[i], lbRi = lv.lbR[i];
            if (sim_ && d < UNLIMITED && !done.empty()) {
                similar_children(lv, i, done, lbLi, lbRi);
                const double slb = lbLi + lbRi;
                if (slb > bound + eps_) {
                    min_pruned = std::min(min_pruned, slb);
                    propagate(lv, i, slb, bound);
                    continue;
                }
            }
            const int f = lv.cf[i];
            const uint64_t* col = in_.columns + (size_t)f * W_;
            for (int w = 0; w < W_; ++w) {
                lv.KL[w] = lv.S[w] & col[w];
                lv.KR[w] = lv.S[w] & ~col[w];
            }
            child_stats(lv, i, 0, stat.data());
            int li = child(lv.KL.data(), dc, stat.data(), lv.ubL[i], lv.gL[i], lbLi);
            if (li < 0) break;
            child_stats(lv, i, 1, stat.data());
            int rj = child(lv.KR.data(), dc, stat.data(), lv.ubR[i], lv.gR[i], lbRi);
            if (rj < 0) break;
            if (sim_ && d < UNLIMITED) done.push_back({i, li, rj});
            {
                const Record& a = tab_.recs[li];
                const Record& b = tab_.recs[rj];
                if (a.ub + b.ub < best - eps_) {
                    best = a.ub + b.ub;
                    set_split(ri, best, f);
                    bound = std::min(budget, best);
                }
                double slb = std::max(lv.lbarr[i], a.lb + b.lb);
                if (slb > bound + eps_) {
                    min_pruned = std::min(min_pruned, slb);
                    propagate(lv, i, slb, bound);
                    continue;
                }
            }
            int first = li, second = rj;
            if (tab_.recs[rj].lb > tab_.recs[li].lb) std::swap(first, second);
            // alternating budget deepening: a losing child fails cheaply and its raised
            // lower bound shrinks its sibling's budget
            double step = step0_;
            bool pruned = false;
            while (!tab_.recs[first].solved && !aborted_) {
                double bf = bound - tab_.recs[second].lb;
                if (tab_.recs[first].lb > bf + eps_) { pruned = true; break; }
                solve(first, Lidx + 1, std::min(bf, tab_.recs[first].lb + step), &lv.active, second);
                if (aborted_) break;
                if (tab_.recs[first].lb > bf + eps_) { pruned = true; break; }
                if (tab_.recs[first].solved) break;
                if (!tab_.recs[second].solved) {
                    double bs = bound - tab_.recs[first].lb;
                    if (tab_.recs[second].lb > bs + eps_) { pruned = true; break; }
                    solve(second, Lidx + 1, std::min(bs, tab_.recs[second].lb + step), &lv.active,
                          first);
                    if (aborted_) break;
                    if (tab_.recs[second].lb > bs + eps_) { pruned = true; break; }
                }
                step *= 2.0;
            }
            if (aborted_) {
                double v = tab_.recs[first].ub + tab_.recs[second].ub;
                if (v < best - eps_) set_split(ri, v, f);
                break;
            }
            if (pruned) {
                double slb = tab_.recs[first].lb + tab_.recs[second].lb;
                min_pruned = std::min(min_pruned, slb);
                propagate(lv, i, slb, bound);
                continue;
            }
            solve(second, Lidx + 1, bound - tab_.recs[first].ub, &lv.active, first);
            const Record& a = tab_.recs[first];
            const Record& b = tab_.recs[second];
            double value = a.ub + b.ub;
            if (value < best - eps_) {
                best = value;
                set_split(ri, best, f);
                bound = std::min(budget, best);
            }
            if (aborted_) break;
            if (!b.solved) {
                double slb = a.ub + b.lb;
                min_pruned = std::min(min_pruned, slb);
                propagate(lv, i, slb, bound);
                continue;
            }
            propagate(lv, i, value, bound);
        }
        if (aborted_) return;
        Record& r = tab_.recs[ri];
        if (best <= budget + eps_) {
            r.lb = r.ub;
            r.solved = 1;
        } else {
            double nl = std::min(best, min_pruned);
            if (nl > r.lb) r.lb = nl;
        }
    }

    // Objective (raw units) of an extracted tree: route every point to its leaf.
    double tree_cost(const SearchOutput& out) const {
        const size_t n_nodes = out.feature.size();
        std::vector<double> leaf((size_t)n_nodes * D_, 0.0);
        for (int p = 0; p < in_.n_points; ++p) {
            int node = 0;
            while (out.feature[node] >= 0) {
                const uint64_t* col = in_.columns + (size_t)out.feature[node] * W_;
                node = ((col[p >> 6] >> (p & 63)) & 1ULL) ? out.left[node] : out.right[node];
            }
            const double* v = in_.stats + (size_t)p * D_;
            for (int k = 0; k < D_; ++k) leaf[(size_t)node * D_ + k] += v[k];
        }
        double total = 0.0;
        for (size_t i = 0; i < n_nodes; ++i)
            if (out.feature[i] < 0) total += loss(&leaf[i * D_]) + lam_;
        return total;
    }

    // ------------------------------------------------------------ extraction
    int leaf_node(SearchOutput& out) {
        int id = (int)out.feature.size();
        out.feature.push_back(-1);
        out.left.push_back(-1);
        out.right.push_back(-1);
        return id;
    }

    int stump(SearchOutput& out, int f) {
        int id = (int)out.feature.size();
        out.feature.push_back(f);
        out.left.push_back(-1);
        out.right.push_back(-1);
        int l = leaf_node(out);
        int r = leaf_node(out);
        out.left[id] = l;
        out.right[id] = r;
        return id;
    }

    int extract(int ri, const uint64_t* S, int depth, SearchOutput& out) {
        const Record r = tab_.recs[ri];
        if (r.kind == 3) {   // the tree this set has with one level less
            int s = tab_.find(S, depth - 1, Table::hash(S, W_, depth - 1));
            return s >= 0 ? extract(s, S, depth - 1, out) : leaf_node(out);
        }
        if (r.kind == 0 || r.f < 0) return leaf_node(out);
        int id = (int)out.feature.size();
        out.feature.push_back(r.f);
        out.left.push_back(-1);
        out.right.push_back(-1);
        if (r.kind == 2) {
            int l = r.gl >= 0 ? stump(out, r.gl) : leaf_node(out);
            int rr = r.gr >= 0 ? stump(out, r.gr) : leaf_node(out);
            out.left[id] = l;
            out.right[id] = rr;
            return id;
        }
        std::vector<uint64_t> KL(W_), KR(W_);
        const uint64_t* col = in_.columns + (size_t)r.f * W_;
        for (int w = 0; w < W_; ++w) {
            KL[w] = S[w] & col[w];
            KR[w] = S[w] & ~col[w];
        }
        int dc = depth >= UNLIMITED ? UNLIMITED : depth - 1;
        int li = tab_.find(KL.data(), dc, Table::hash(KL.data(), W_, dc));
        int rj = tab_.find(KR.data(), dc, Table::hash(KR.data(), W_, dc));
        int l = li >= 0 ? extract(li, KL.data(), dc, out) : leaf_node(out);
        int rr = rj >= 0 ? extract(rj, KR.data(), dc, out) : leaf_node(out);
        out.left[id] = l;
        out.right[id] = rr;
        return id;
    }
};

inline void run_search(const SearchInput& in, SearchOutput& out) {
    Solver s(in);
    s.run(out);
}

}  // namespace gbtree
