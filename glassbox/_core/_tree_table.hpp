// Records, the sub-problem table and per-level scratch of the optimal-tree search.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace gbtree {

struct Record {
    double lb, ub, leaf, eq;
    int32_t f, gl, gr;   // kind 1: split f; kind 2: split f then gl / gr (-1: leaf)
    uint8_t kind;        // 0 leaf, 1 split f with both children in the table, 2 explicit depth <= 2
    uint8_t solved;
    uint8_t depth;       // remaining depth (part of the key)
    uint8_t has2;        // ub is exact over trees with at most two leaves
    uint8_t expanded;    // the node has been expanded at least once
};

// Open addressing table keyed by (bitset, depth). Keys live in one arena.
class Table {
  public:
    int W = 0;
    std::vector<uint64_t> keys;
    std::vector<uint64_t> hashes;
    std::vector<Record> recs;
    std::vector<int32_t> slots;
    uint64_t mask = 0;

    void init(int n_words) {
        W = n_words;
        slots.assign(1 << 12, -1);
        mask = slots.size() - 1;
    }

    static uint64_t hash(const uint64_t* key, int W, int depth) {
        uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)depth;
        for (int i = 0; i < W; ++i) {
            h ^= key[i] + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
            h *= 0xff51afd7ed558ccdULL;
        }
        h ^= h >> 33;
        return h;
    }

    int find(const uint64_t* key, int depth, uint64_t h) const {
        uint64_t s = h & mask;
        while (true) {
            int32_t r = slots[s];
            if (r < 0) return -1;
            if (hashes[r] == h && recs[r].depth == depth &&
                std::memcmp(&keys[(size_t)r * W], key, sizeof(uint64_t) * W) == 0)
                return r;
            s = (s + 1) & mask;
        }
    }

    int insert(const uint64_t* key, int depth, uint64_t h, const Record& rec) {
        if ((recs.size() + 1) * 2 > slots.size()) grow();
        int32_t r = (int32_t)recs.size();
        recs.push_back(rec);
        recs.back().depth = (uint8_t)depth;
        hashes.push_back(h);
        keys.insert(keys.end(), key, key + W);
        uint64_t s = h & mask;
        while (slots[s] >= 0) s = (s + 1) & mask;
        slots[s] = r;
        return r;
    }

    size_t bytes() const {
        return keys.capacity() * sizeof(uint64_t) + hashes.capacity() * sizeof(uint64_t) +
               recs.capacity() * sizeof(Record) + slots.capacity() * sizeof(int32_t);
    }

    // Memory the next insertion may need (vectors double when full).
    size_t bytes_after_insert() const {
        size_t b = bytes();
        if (keys.size() + W > keys.capacity()) b += keys.capacity() * sizeof(uint64_t) + W * 8;
        if (recs.size() + 1 > recs.capacity())
            b += recs.capacity() * (sizeof(Record) + sizeof(uint64_t)) + 64;
        if ((recs.size() + 1) * 2 > slots.size()) b += slots.size() * sizeof(int32_t);
        return b;
    }

  private:
    void grow() {
        slots.assign(slots.size() * 2, -1);
        mask = slots.size() - 1;
        for (size_t r = 0; r < recs.size(); ++r) {
            uint64_t s = hashes[r] & mask;
            while (slots[s] >= 0) s = (s + 1) & mask;
            slots[s] = (int32_t)r;
        }
    }
};

// Scratch space of one recursion level (references stay valid: std::deque).
struct Level {
    std::vector<uint64_t> S, KL, KR;
    std::vector<double> C, T, tmp, tmp2;
    int owner = -1;                // record whose pair statistics are in C
    uint64_t epoch = 0;            // changes whenever C changes
    uint64_t parent_epoch = 0;     // epoch of the parent level's C when C was made
    std::vector<int> active;       // features not constant on S (global ids, ascending)
    std::vector<int> loc;          // global id -> position in the counted list, -1 otherwise
    std::vector<int> counted;      // features whose pair statistics are in C
    std::vector<int> lo;           // per-point buffer of local feature positions
    std::vector<int> active_pos;   // position of each active feature in `counted`
    std::vector<uint64_t> SA;      // S & column, compacted to the nonzero words of S
    std::vector<int> words;        // nonzero words of S
    std::vector<int64_t> acc;
    std::vector<int> qs;           // bit slices present in the nonzero words of S
    std::vector<int> cpos, cf, gL, gR, order, gT, gF;
    std::vector<double> bT, bF;    // best stump below each side of each active feature
    std::vector<double> cT, cF;    // cheapest three-leaf shape below each side (bound)
    std::vector<double> leafL, leafR, lbL, lbR, ubL, ubR, eqL, eqR, wL, splitlb, splitub, lbarr;
};

}  // namespace gbtree
