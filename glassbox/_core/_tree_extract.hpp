// The tree a finished (or interrupted) optimal-tree search returns, read from its table.
#pragma once

#include <cstdint>
#include <vector>

#include "_tree_bounds.hpp"
#include "_tree_table.hpp"
#include "_tree_types.hpp"

namespace gbtree {

class TreeExtractor {
  public:
    TreeExtractor(const SearchInput& in, const Bounds& b, const Table& tab)
        : in_(in), b_(b), tab_(tab), W_(in.n_words), D_(in.n_dims), lam_(in.lam) {}

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
            if (out.feature[i] < 0) total += b_.loss(&leaf[i * D_]) + lam_;
        return total;
    }

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

  private:
    const SearchInput& in_;
    const Bounds& b_;
    const Table& tab_;
    int W_, D_;
    double lam_;
};

}  // namespace gbtree
