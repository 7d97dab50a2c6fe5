// Storage for the rule-list search: the search states, their hash table and the open list.
//
// A state is an uncaptured set U, stored as its cheapest prefix found (parent state + last
// rule), keyed by U itself: every ordering of the same rules, and any other prefix capturing
// the same rows, is one state.
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
#include <cstring>
#include <utility>
#include <vector>
#include "_rulelist_count.hpp"

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

// The states, their table and the open list, with the operations the search needs on them.
struct RLStates {
    std::vector<RLNode> nodes;
    // open addressing, sized once; the hash tag in a slot rejects most probes without
    // touching the node array
    RLTable table;
    RLOpen queue;
    const uint64_t* root = nullptr;   // all groups of the search
    const uint64_t* caps = nullptr;   // rule captures, W words each
    int W = 0;
    std::vector<uint64_t> V;          // scratch of same_state
    int64_t n_duplicates = 0, n_reopened = 0;

    void init(const uint64_t* root_, const uint64_t* caps_, int W_) {
        root = root_;
        caps = caps_;
        W = W_;
        V.resize(W);
    }

    // out = root minus every rule on state i's prefix; chain = that prefix, last rule first.
    void uncaptured(int32_t i, uint64_t* out, std::vector<int32_t>& chain) const {
        std::memcpy(out, root, W * sizeof(uint64_t));
        chain.clear();
        while (i > 0) {
            const uint64_t* cap = caps + (int64_t)nodes[i].rule * W;
            for (int w = 0; w < W; ++w) out[w] &= ~cap[w];
            chain.push_back(nodes[i].rule);
            i = nodes[i].parent;
        }
    }

    // Exact check that state j's uncaptured set equals U2 (guards hash collisions).
    bool same_state(int32_t j, const uint64_t* U2) {
        uint64_t* v = V.data();
        std::memcpy(v, root, W * sizeof(uint64_t));
        while (j > 0) {
            const uint64_t* cap = caps + (int64_t)nodes[j].rule * W;
            for (int w = 0; w < W; ++w) v[w] &= ~cap[w];
            j = nodes[j].parent;
        }
        for (int w = 0; w < W; ++w)
            if (v[w] != U2[w]) return false;
        return true;
    }

    // The stored state with uncaptured set U2, or -1; ``slot`` ends at its table slot (or at
    // the empty slot where it would go) and ``tag`` holds the hash tag stored there.
    int32_t probe(const uint64_t* U2, uint64_t& slot, uint64_t& tag) {
        const uint64_t hsh = gb_rl_hash(U2, W);
        tag = hsh >> 32;
        slot = hsh & table.mask;
        while (true) {
            const uint64_t e = table.slot[slot];
            if (e == 0) return -1;
            const int32_t j = (int32_t)(e & (uint64_t)0xFFFFFFFFu) - 1;
            if ((e >> 32) == tag && same_state(j, U2)) return j;
            slot = (slot + 1) & table.mask;
        }
    }

    // The stored state with uncaptured set U2, or -1.
    int32_t find(const uint64_t* U2) {
        uint64_t slot, tag;
        return probe(U2, slot, tag);
    }

    // Insert the child state U2 (prefix cost g2, bound h2), or improve the stored one if this
    // prefix is cheaper by more than tol; either way it is queued at its new key. A child
    // known to be dominated (open = false) is stored closed instead: later prefixes reaching
    // U2 at no lower cost are then dropped as duplicates.
    void offer(int32_t parent, int32_t rule, double g2, double h2, const uint64_t* U2,
               double tol, bool open = true) {
        uint64_t slot, tag;
        const int32_t found = probe(U2, slot, tag);
        if (found >= 0) {
            n_duplicates += 1;
            RLNode& n = nodes[found];
            if (g2 < n.g - tol) {
                n.g = g2;
                n.parent = parent;
                n.rule = rule;
                if (h2 > n.h) n.h = h2;
                if (!open) {
                    n.key = -1.0;         // any queue entry of it is now stale
                    return;
                }
                if (n.key < 0) n_reopened += 1;
                n.key = g2 + n.h;
                queue.push(-n.key, found);
            }
            return;
        }
        RLNode node;
        node.g = g2;
        node.h = h2;
        node.parent = parent;
        node.rule = rule;
        node.key = open ? g2 + h2 : -1.0;
        const int32_t j = (int32_t)nodes.size();
        nodes.push_back(node);
        table.slot[slot] = (tag << 32) | (uint64_t)(j + 1);
        if (open) queue.push(-(g2 + h2), j);
    }
};
