// Distinct rows of a 0/1 matrix: the "points" the optimal-tree search works on.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace gbtree {

inline uint64_t row_hash(const uint8_t* row, int64_t m) {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    int64_t j = 0;
    for (; j + 8 <= m; j += 8) {
        uint64_t w;
        std::memcpy(&w, row + j, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    for (int64_t k = 0; j < m; ++j, ++k) w |= (uint64_t)row[j] << (8 * k);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

// inverse[i] = point of row i; points are numbered in order of first appearance and
// first[k] is the first row of point k. One pass over the rows with an open-addressing
// table of point ids that grows with the number of points (not of rows), so that a
// large matrix with few distinct rows touches little memory. Returns the number of points.
inline int64_t distinct_rows(const uint8_t* X, int64_t n, int64_t m, int64_t* inverse,
                             int64_t* first) {
    std::vector<int32_t> slot(1024, -1);
    std::vector<uint64_t> hashes;   // per point
    size_t mask = slot.size() - 1;
    int64_t n_points = 0;
    for (int64_t i = 0; i < n; ++i) {
        const uint8_t* row = X + i * m;
        const uint64_t h = row_hash(row, m);
        size_t s = (size_t)h & mask;
        while (true) {
            const int32_t k = slot[s];
            if (k < 0) break;
            if (hashes[(size_t)k] == h && std::memcmp(X + first[k] * m, row, (size_t)m) == 0) break;
            s = (s + 1) & mask;
        }
        if (slot[s] >= 0) {
            inverse[i] = slot[s];
            continue;
        }
        slot[s] = (int32_t)n_points;
        first[n_points] = i;
        hashes.push_back(h);
        inverse[i] = n_points++;
        if ((size_t)n_points * 2 > slot.size()) {   // keep the load below one half
            slot.assign(slot.size() * 2, -1);
            mask = slot.size() - 1;
            for (int64_t k = 0; k < n_points; ++k) {
                size_t t = (size_t)hashes[(size_t)k] & mask;
                while (slot[t] >= 0) t = (t + 1) & mask;
                slot[t] = (int32_t)k;
            }
        }
    }
    return n_points;
}

}  // namespace gbtree
