// Storage for the rule-list search: the search states, their hash table and the open list.
//
// Sized once from the state cap (max_prefixes) so that nothing is rehashed or copied while the
// search runs (a late rehash of millions of states used to overshoot the time limit):
//  * states live in a vector reserved up front (pages are only touched as states are added);
//  * the hash table is calloc'ed (untouched pages cost nothing) with at most 2/3 load at the
//    cap; a slot is (high 32 bits of the state hash) << 32 | (state id + 1), 0 = empty;
//  * the open list is a binary max-heap of (-f, state id) on a reserved vector.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

struct RLNode {
    double g;        // cheapest prefix cost found for this state
    double h;        // lower bound on any completion with >= 1 more rule
    double key;      // its live open-list key; < 0 once expanded (closed)
    int32_t parent;  // state of the prefix without the last rule (-1: root)
    int32_t rule;    // last rule of the prefix (-1: root)
};

typedef std::pair<double, int32_t> RLEntry;   // (-f, state id): the heap is a max-heap

struct RLOpen {
    std::vector<RLEntry> v;
    void reserve(size_t n) { v.reserve(n); }
    bool empty() const { return v.empty(); }
    size_t size() const { return v.size(); }
    const RLEntry& top() const { return v.front(); }
    void push(double neg_f, int32_t id) {
        v.emplace_back(neg_f, id);
        std::push_heap(v.begin(), v.end());
    }
    void pop() {
        std::pop_heap(v.begin(), v.end());
        v.pop_back();
    }
};

struct RLTable {
    uint64_t* slot = nullptr;
    uint64_t mask = 0;
    int64_t capacity = 0;   // states it holds at 2/3 load
    // 0 on success, -1 when the allocation failed
    int init(int64_t n_states) {
        uint64_t size = 1024;
        while ((double)size < 1.5 * (double)n_states && size < (1ULL << 31)) size <<= 1;
        slot = (uint64_t*)std::calloc(size, sizeof(uint64_t));
        if (!slot) return -1;
        mask = size - 1;
        capacity = (int64_t)(size / 3 * 2);
        return 0;
    }
    ~RLTable() { std::free(slot); }
};
