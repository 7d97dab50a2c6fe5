// Leaf costs and the bounds a node's own statistics give (optimal-tree search).
//
// Statistics vectors are [count, values..., eq] (see SearchInput): class weights for
// classification, (w, w*y, w*y^2) for regression, and eq, the loss the node's points
// incur in any single leaf (equivalent-points bound).
#pragma once

#include <algorithm>

#include "_tree_table.hpp"
#include "_tree_types.hpp"

namespace gbtree {

class Bounds {
  public:
    explicit Bounds(const SearchInput& in)
        : task_(in.task), V_(in.n_values), D_(in.n_dims), lam_(in.lam), eps_(in.eps),
          msl_(std::max(1.0, in.min_samples_leaf)),
          support_(in.leaf_support && in.task == 0) {}

    double lam() const { return lam_; }
    double eps() const { return eps_; }
    double min_samples_leaf() const { return msl_; }
    // leaf support (classification): a split leaving a child lighter than lam is never optimal
    bool leaf_support() const { return support_; }

    // loss of one leaf on statistics v (misclassified weight, or sum of squared errors)
    inline double loss(const double* v) const {
        if (task_ == 0) {
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

    // total weight of statistics v
    inline double weight(const double* v) const {
        if (task_ == 0) {
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

    // leaf cost of a cell; BIN: two classes, statistics [count, c0, c1, eq]
    template <bool BIN>
    inline double qcost(const double* v) const {
        if (v[0] < msl_ - 0.5) return INF;
        if (BIN) return (v[1] < v[2] ? v[1] : v[2]) + lam_;
        return loss(v) + lam_;
    }

  private:
    int task_, V_, D_;
    double lam_, eps_, msl_;
    bool support_;
};

}  // namespace gbtree
