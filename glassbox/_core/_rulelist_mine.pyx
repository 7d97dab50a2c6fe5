# distutils: language = c++
"""Candidate rules for rule lists, mined exactly as CORELS (pycorels ``mine_rules``) does.

Literals are the binary features and their negations with support >= min_support. Rules are
the literals with support <= 1 - min_support, then every conjunction of 2..max_card distinct
literals (in literal order, lexicographically) whose support s satisfies
min_support <= s <= 1 - min_support. Conjunctions of a feature with its own negation are empty
and skipped. Supports are weighted fractions over groups of identical rows.
"""
from libc.stdint cimport uint64_t, int32_t, int64_t
from libc.string cimport memcpy
from libcpp.vector cimport vector

import numpy as np


cdef extern from *:
    int __builtin_ctzll(unsigned long long) nogil

cdef extern from "_rulelist_count.hpp" nogil:
    double gb_rl_now()


cdef struct Clock:
    double deadline    # gb_rl_now() value to stop at (<= 0: none)
    int64_t ticks      # conjunctions tried since the last look at the clock
    bint stopped


cdef inline bint _out_of_time(Clock* clock) noexcept nogil:
    """Look at the clock every 4096 conjunctions; once late, stay stopped."""
    if clock.stopped:
        return True
    clock.ticks += 1
    if clock.deadline > 0 and clock.ticks >= 4096:
        clock.ticks = 0
        clock.stopped = gb_rl_now() > clock.deadline
    return clock.stopped


cdef inline double _weight(const uint64_t* a, const double* gw, Py_ssize_t nw) noexcept nogil:
    cdef Py_ssize_t w
    cdef uint64_t x
    cdef double s = 0.0
    for w in range(nw):
        x = a[w]
        while x:
            s += gw[w * 64 + __builtin_ctzll(x)]
            x &= x - 1
    return s


cdef void _extend(const uint64_t[:, ::1] lits, const int32_t[::1] column, const double* gw,
                  double total, double min_support, int card, int depth, int start,
                  vector[int32_t]& combo, vector[uint64_t]& partial,
                  vector[int32_t]& out_lits, vector[uint64_t]& out_caps,
                  Clock* clock) noexcept nogil:
    """Depth-first over combinations in lexicographic order; prune below min_support."""
    cdef Py_ssize_t W = lits.shape[1]
    cdef int n_lit = lits.shape[0]
    cdef int k, j, w
    cdef bint clash
    cdef double s
    cdef uint64_t* cur = partial.data() + <int64_t>depth * W
    cdef const uint64_t* prev = partial.data() + <int64_t>(depth - 1) * W
    for k in range(start, n_lit - (card - depth - 1)):
        if _out_of_time(clock):
            return
        clash = False
        for j in range(depth):
            if column[combo[j]] == column[k]:
                clash = True
                break
        if clash:
            continue
        for w in range(W):
            cur[w] = prev[w] & lits[k, w]
        s = _weight(cur, gw, W) / total
        if s < min_support:
            continue
        combo[depth] = k
        if depth + 1 < card:
            _extend(lits, column, gw, total, min_support, card, depth + 1, k + 1,
                    combo, partial, out_lits, out_caps, clock)
        elif s <= 1.0 - min_support:
            for j in range(card):
                out_lits.push_back(combo[j])
            for w in range(W):
                out_caps.push_back(cur[w])


def mine_rules(const uint64_t[:, ::1] lits, const int32_t[::1] column,
               const double[::1] group_weight, double total, int max_card, double min_support,
               double time_limit=-1.0):
    """Mine conjunction rules from literal captures.

    Parameters
    ----------
    lits : ndarray of shape (n_literals, n_words), uint64
        Capture bitset over groups of every mined literal (support >= min_support already),
        in CORELS order.
    column : ndarray of shape (n_literals,), int32
        Binary column each literal reads (a literal and its negation share one).
    group_weight : ndarray of shape (n_groups,)
        Total weight of each group.
    total : float
        Total weight.
    max_card : int
    min_support : float
    time_limit : float
        Seconds (<= 0: none). When they run out the conjunctions mined so far are returned
        (a prefix of CORELS's order) and ``complete`` is False.

    Returns
    -------
    rule_literals : ndarray of shape (n_rules, max_card), int32, -1 padded
    captures : ndarray of shape (n_rules, n_words), uint64
    complete : bool
    """
    cdef Py_ssize_t W = lits.shape[1]
    cdef int n_lit = lits.shape[0]
    cdef vector[int32_t] out_lits, combo
    cdef vector[uint64_t] out_caps, partial
    cdef vector[int32_t] cards
    cdef int k, card, w
    cdef double s
    cdef const double* gw = &group_weight[0]
    cdef Clock clock
    clock.deadline = gb_rl_now() + time_limit if time_limit > 0 else -1.0
    clock.ticks = 0
    clock.stopped = False
    with nogil:
        for k in range(n_lit):
            s = _weight(&lits[k, 0], gw, W) / total
            if s <= 1.0 - min_support:
                out_lits.push_back(k)
                for w in range(W):
                    out_caps.push_back(lits[k, w])
        cards.push_back(<int32_t>out_lits.size())
        for card in range(2, max_card + 1):
            combo.assign(card, -1)
            partial.assign(<Py_ssize_t>(card + 1) * W, 0)
            for k in range(n_lit):   # depth 0: the first literal alone
                for w in range(W):
                    partial[w] = lits[k, w]
                if _weight(partial.data(), gw, W) / total < min_support:
                    continue
                combo[0] = k
                # level d of the depth-first walk writes partial[d*W:(d+1)*W]
                _extend(lits, column, gw, total, min_support, card, 1, k + 1, combo, partial,
                        out_lits, out_caps, &clock)
            cards.push_back(<int32_t>out_lits.size())
            if clock.stopped:
                break
    n_single = cards[0]
    n_rules = n_single + sum(
        (cards[i] - cards[i - 1]) // (i + 1) for i in range(1, len(cards))
    )
    rule_literals = np.full((n_rules, max(max_card, 1)), -1, dtype=np.int32)
    flat = np.asarray(<int32_t[:out_lits.size()]> out_lits.data()) if out_lits.size() else np.zeros(0, np.int32)
    rule_literals[:n_single, 0] = flat[:n_single]
    row = n_single
    for i in range(1, len(cards)):
        block = flat[cards[i - 1]:cards[i]].reshape(-1, i + 1)
        rule_literals[row:row + block.shape[0], :i + 1] = block
        row += block.shape[0]
    captures = (np.asarray(<uint64_t[:out_caps.size()]> out_caps.data()).reshape(n_rules, W).copy()
                if out_caps.size() else np.zeros((0, W), dtype=np.uint64))
    return rule_literals, captures, not clock.stopped

