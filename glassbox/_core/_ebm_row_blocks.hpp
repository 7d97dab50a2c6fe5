// Fixed row blocks for the bag's passes over its rows, and the threads that run them.
//
// A pass over the rows (training or validation) is cut into ROW_BLOCK-row blocks that threads
// take one at a time; each block has its own accumulators, added up in block order, so the
// results are the same for any number of threads.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

namespace gbebm {

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

}  // namespace gbebm
