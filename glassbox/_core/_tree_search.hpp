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
//
// Files: _tree_types.hpp (inputs, outputs), _tree_table.hpp (records, table, per-level
// scratch), _tree_bounds.hpp (leaf costs, bounds from a node's own statistics),
// _tree_pairs.hpp (depth-2 solver: pair statistics, stumps, candidate splits),
// _tree_kernels.hpp (popcount kernels), _tree_extract.hpp (the returned tree),
// _tree_points.hpp (distinct rows); this file: the search itself.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "_tree_bounds.hpp"
#include "_tree_extract.hpp"
#include "_tree_pairs.hpp"
#include "_tree_table.hpp"
#include "_tree_types.hpp"

namespace gbtree {

class Solver {
  public:
    explicit Solver(const SearchInput& in) : in_(in), b_(in), pairs_(in, b_, tab_) {
        m_ = in.n_features;
        W_ = in.n_words;
        D_ = in.n_dims;
        V_ = in.n_values;
        lam_ = in.lam;
        eps_ = in.eps;
        msl_ = b_.min_samples_leaf();
        // moving points between leaves costs at most their weight only for classification,
        // and only keeps every leaf valid without a minimum leaf size
        sim_ = in.similar_support && in.task == 0 && msl_ <= 1.0;
        tab_.init(W_);
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
        step0_ = std::max(factor * lam_, 1e-6 * std::max(b_.weight(T.data()), 1e-300));
        // With a depth limit, solve depths 2, 3, ..., max_depth in turn: every record
        // of depth k starts from the tree its set had at depth k - 1 (an upper bound
        // that is a real tree), so each search starts with a good incumbent, and an
        // interrupted search still returns the best shallower tree.
        int first = (depth >= UNLIMITED || depth < 3) ? depth : 2;
        int ri = -1;
        for (int dd = first; dd <= depth && !aborted_; ++dd) {
            Record rec = b_.fresh(T.data(), dd, INF, -1, false);
            uint64_t h = Table::hash(root.data(), W_, dd);
            transfer(root.data(), dd, rec);
            ri = tab_.insert(root.data(), dd, h, rec);
            solve_root(ri);
        }
        // stopped before reaching max_depth: chain the best shallower tree up to it
        for (int k = ri < 0 ? first : tab_.recs[ri].depth + 1; k <= depth; ++k) {
            Record rec = b_.fresh(T.data(), k, INF, -1, false);
            transfer(root.data(), k, rec);
            ri = tab_.insert(root.data(), k, Table::hash(root.data(), W_, k), rec);
        }
        if (depth >= 3 && depth < UNLIMITED && !tab_.recs[ri].solved && !tab_.recs[ri].has2) {
            // interrupted before max_depth: one expansion of the full-depth root (as costly
            // as the first one of the search) turns its lower bound from the
            // equivalent-points bound into the bounds of its splits
            ++expansions_;
            Level& lv = pairs_.level(0);
            std::memcpy(lv.S.data(), root.data(), sizeof(uint64_t) * W_);
            pairs_.pair_statistics(lv, 0, ri, -1, root_active_);
            settle(ri, lv, pairs_.expand(lv, depth), depth);
        }
        const Record& r = tab_.recs[ri];
        out.objective = r.ub;
        out.lower_bound = r.solved ? r.ub : std::min(r.lb, r.ub);
        out.status = status_;
        out.n_expansions = expansions_;
        out.n_distinct_expanded = distinct_;
        out.n_subtracted = pairs_.n_subtracted();
        out.n_reused = pairs_.n_reused();
        out.n_cache_entries = (int64_t)tab_.recs.size();
        out.n_cache_bytes = (int64_t)tab_.bytes();
        TreeExtractor(in_, b_, tab_).extract(ri, root.data(), depth, out);
        // the tree can be better than the ub recorded when its parts were copied (kind 3)
        out.objective = std::min(out.objective, TreeExtractor(in_, b_, tab_).tree_cost(out));
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
            Record r = b_.fresh(v, depth, ub2, g, depth >= 1);
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

    void propagate(Level& lv, int i, double value, double bound) {
        if (!sim_ || value <= bound + eps_) return;
        const int nc = (int)lv.cf.size();
        const double wS = b_.weight(lv.T.data());
        const int a = lv.cpos[i];
        for (int j = 0; j < nc; ++j) {
            if (j == i) continue;
            double both = b_.weight(pairs_.pair(lv, a, lv.cpos[j]));
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
        const double wS = b_.weight(lv.T.data());
        const double wi = lv.wL[i];
        const int b = lv.cpos[i];
        for (const Done& e : done) {
            const double wk = lv.wL[e.i];
            const double both = b_.weight(pairs_.pair(lv, lv.cpos[e.i], b));   // S & F_k & F_i
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

    // Load node ri's sample set into level Lidx, count its pair statistics and list its
    // candidate splits; returns their number (what greedy and solve both start from).
    int load_and_expand(int ri, int Lidx, Level& lv, const std::vector<int>* parent_active, int sibling) {
        std::memcpy(lv.S.data(), &tab_.keys[(size_t)ri * W_], sizeof(uint64_t) * W_);
        pairs_.pair_statistics(lv, Lidx, ri, sibling, *parent_active);
        return pairs_.expand(lv, tab_.recs[ri].depth);
    }

    // Greedy dive for a first incumbent: split on the root of the best depth-2 tree,
    // recurse into both children, keep the result if it beats what the node knows.
    void greedy(int ri, int Lidx, const std::vector<int>* parent_active, int sibling) {
        if (tab_.recs[ri].solved || tick()) return;
        ++expansions_;
        Level& lv = pairs_.level(Lidx);
        const int d = tab_.recs[ri].depth;
        const int nc = load_and_expand(ri, Lidx, lv, parent_active, sibling);
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
        pairs_.child_stats(lv, bi, 0, stat.data());
        int li = child(lv.KL.data(), dc, stat.data(), lv.ubL[bi], lv.gL[bi], lv.lbL[bi]);
        if (li < 0) return;
        pairs_.child_stats(lv, bi, 1, stat.data());
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
        Level& lv = pairs_.level(Lidx);
        const int d = tab_.recs[ri].depth;
        const int nc = load_and_expand(ri, Lidx, lv, parent_active, sibling);
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
            pairs_.child_stats(lv, i, 0, stat.data());
            int li = child(lv.KL.data(), dc, stat.data(), lv.ubL[i], lv.gL[i], lbLi);
            if (li < 0) break;
            pairs_.child_stats(lv, i, 1, stat.data());
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


    const SearchInput& in_;
    Bounds b_;
    Table tab_;
    PairSolver pairs_;
    int m_, W_, D_, V_;
    double lam_, eps_, msl_;
    bool sim_;
    std::vector<int> root_active_;
    double step0_ = 0.0;
    bool aborted_ = false;
    int status_ = OPTIMAL;
    int64_t expansions_ = 0;
    int64_t distinct_ = 0;
    std::chrono::steady_clock::time_point t0_;
};

inline void run_search(const SearchInput& in, SearchOutput& out) {
    Solver s(in);
    s.run(out);
}

}  // namespace gbtree
