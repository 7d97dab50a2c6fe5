# distutils: language = c++
# distutils: depends = _rulelist_cores.hpp _rulelist_count.hpp
"""Test hooks for the rule-list search's C++ pieces (tests/rules/test_core_store.py): the core
store's scan and a core as a problem of its own, driven from Python."""
from libc.stdint cimport uint64_t, int64_t, int32_t
from libcpp.vector cimport vector

from ._rulelist_kernels cimport RLCores, RLCoreProblem, RLTables, gb_rl_tables


def _probe_cores(const uint64_t[:, ::1] caps, const uint64_t[:, ::1] core_bits,
                 const double[::1] core_excess, prefixes, double min_excess, int max_here):
    """Test hook for the core store (_rulelist_cores.hpp): add the cores in order, then for
    each prefix (a list of rule indices) return (largest excess inside, the ``here`` list,
    and per rule the ``disjoint`` excess). Also returns which cores were kept."""
    cdef RLCores cores
    cdef int W = caps.shape[1], R = caps.shape[0]
    cdef int k, r
    cdef vector[double] rarity = vector[double](W * 64, 0.0)
    cdef vector[int32_t] here, pre
    cores.W = W
    cores.set_rules(&caps[0, 0], R)
    kept = [bool(cores.add(&core_bits[k, 0], core_excess[k], rarity.data()))
            for k in range(core_bits.shape[0])]
    out = []
    for prefix in prefixes:
        pre.clear()
        for r in prefix:
            pre.push_back(r)
        ex = cores.contained(pre.data(), <int>pre.size(), here, max_here, min_excess)
        out.append((ex, [int(c) for c in here], [cores.disjoint(here, r) for r in range(R)]))
    return kept, out


def _probe_core_problem(const uint64_t[:, ::1] caps, const uint64_t[::1] V, bint integral,
                        const uint64_t[::1] ent_bits, const int32_t[::1] ent_word,
                        const int32_t[::1] ent_shift, const int64_t[::1] table_entry_start,
                        const double[:, ::1] group_weight, int n_classes):
    """Test hook: the core V as a problem of its own (RLCoreProblem), as lists of what
    ``search`` takes: captures (one word each), root word, integral, ent_bits, ent_word,
    ent_shift, table_entry_start, group_weight (flattened, n_classes + 1 per group)."""
    cdef RLCoreProblem cp
    cdef vector[int32_t] rules
    cdef int i
    cdef int W = caps.shape[1]
    cdef int T = n_classes + 1
    cdef RLTables tb = gb_rl_tables(W, integral, ent_bits, ent_word, ent_shift,
                                    table_entry_start, group_weight, n_classes)
    for i in range(caps.shape[0]):
        rules.push_back(i)
    cdef int n = cp.build(&tb, &V[0], W, &caps[0, 0], rules.data(), <int>rules.size())
    cdef int64_t n_ent = max(cp.tb.table_entry_start[T], 1)
    cdef int n_groups = 0
    for i in range(W):
        n_groups += bin(V[i]).count("1")
    return ([cp.caps[i] for i in range(n)], cp.root, bool(cp.tb.integral),
            [cp.tb.ent_bits[i] for i in range(n_ent)], [cp.tb.ent_word[i] for i in range(n_ent)],
            [cp.tb.ent_shift[i] for i in range(n_ent)],
            [cp.tb.table_entry_start[i] for i in range(T + 1)],
            [cp.tb.group_weight[i] for i in range(n_groups * T)])
