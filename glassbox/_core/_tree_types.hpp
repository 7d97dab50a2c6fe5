// Inputs, outputs and constants of the optimal-tree search (see _tree_search.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

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

}  // namespace gbtree
