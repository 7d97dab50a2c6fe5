# distutils: language = c++
"""Best-first branch and bound for certifiably optimal rule lists (CORELS objective).

A rule list's prefix r1..rk leaves the uncaptured set U = not (r1 or ... or rk); every
completion of the prefix depends on U alone. The search is therefore over states U (bitsets
over groups of identical rows), reached by the cheapest prefix found so far:

    g(U)  = weight misclassified by the prefix + reg * k          (reg = lambda * total weight)
    obj   = g(U) + default error on U                             (the list ending here)
    f(U)  = g(U) + h(U),   h(U) <= the cost of any completion with at least one more rule.

Bounds (CORELS, Angelino et al. JMLR 2018, and one of ours):
* hierarchical objective lower bound: g is never undone by extensions;
* equivalent points: rows with identical features cannot be separated, so any completion
  misclassifies at least eqmin(U) = total(U) - maj(U);
* minimum (accurate) support: a rule whose best class weight in U is below reg cannot appear in
  a shortest optimal list, here nor anywhere below (U only shrinks);
* one-step look-ahead: a state is queued only if g + reg + (lower bound on errors) < best;
* equivalent-support map: states are keyed by U itself (hash, verified exactly by rebuilding
  U from its prefix), so every ordering of the same rules, and any other prefix capturing the
  same rows, is expanded once, from its cheapest prefix (implies CORELS's permutation bound);
* k-rule gain bound (ours): with k more rules and default label d, the rows classified
  correctly are at most cnt_d(U) + the k largest X_d(U & r) over usable rules r, where
  X_d(S) = maj(S) - cnt_d(S) >= 0. So h(U) >= min_d min_k [k*reg + max(eqmin(U),
  err_d(U) - T_{k,d})], convex in k. The T values of a parent bound every child.
"""
from libc.stdint cimport uint64_t, int64_t, int32_t
from libc.string cimport memcpy
from libcpp.vector cimport vector
from libcpp.queue cimport priority_queue
from libcpp.pair cimport pair

import numpy as np

cdef extern from "_rulelist_count.hpp" nogil:
    ctypedef struct RLTables:
        int n_tables
        int n_words
        int integral
        const int32_t* plane_start
        const int64_t* plane_offset
        const int32_t* plane_words
        const int32_t* plane_shift
        const uint64_t* plane_bits
        const double* group_weight
    double gb_rl_now()
    void gb_rl_rule_pass(const RLTables* tb, const uint64_t* U, const uint64_t* caps,
                         const int32_t* rule_ids, int n_rules, double* out, uint64_t* S)
    void gb_rl_count_set(const RLTables* tb, const uint64_t* U, double* out, uint64_t* S)
    uint64_t gb_rl_hash(const uint64_t* a, int W)

cdef extern from "<algorithm>" namespace "std" nogil:
    void std_sort "std::sort"[Iter](Iter first, Iter last)

cdef double INF = float("inf")

# Search status codes (returned to Python).
STATUS_NAMES = {0: "optimal", 1: "time_limit", 2: "max_prefixes"}

ctypedef pair[double, int32_t] QEntry  # (-f, node id): std::priority_queue is a max-heap


cdef struct Node:
    uint64_t hash
    double g          # cheapest prefix cost found for this state
    double h          # lower bound on any completion with >= 1 more rule
    int32_t parent    # node of the prefix without the last rule (-1: root)
    int32_t rule      # last rule of the prefix (-1: root)
    int32_t closed    # expanded with the current g


cdef class _RuleListSearch:
    """One branch-and-bound run; all state is C++ containers, freed with the object."""

    cdef RLTables tb
    cdef const uint64_t* caps
    cdef const uint64_t* root
    cdef int W, R, C, T
    cdef double reg, tol
    cdef double time_limit
    cdef int64_t max_nodes

    cdef vector[Node] nodes
    cdef vector[int32_t] table           # open addressing over node ids, -1 = empty
    cdef uint64_t mask
    cdef priority_queue[QEntry] queue

    cdef vector[uint64_t] U, U2, V, S    # bitset buffers
    cdef vector[int32_t] all_rules, viable, chain
    cdef vector[double] counts, cU, cc, errs, Tk, xs, totS

    cdef double best
    cdef vector[int32_t] incumbent
    cdef double lower
    cdef int status
    cdef int64_t n_expanded, n_evaluated, n_reopened, n_duplicates, max_queue

    def __cinit__(self):
        self.best = INF

    cdef void _uncaptured(self, int32_t i, uint64_t* out) noexcept nogil:
        """out = root minus every rule on node i's prefix; fills self.chain (last rule first)."""
        cdef int w
        cdef const uint64_t* cap
        memcpy(out, self.root, self.W * sizeof(uint64_t))
        self.chain.clear()
        while i > 0:
            cap = self.caps + <int64_t>self.nodes[i].rule * self.W
            for w in range(self.W):
                out[w] &= ~cap[w]
            self.chain.push_back(self.nodes[i].rule)
            i = self.nodes[i].parent

    cdef bint _same_state(self, int32_t j, const uint64_t* U2) noexcept nogil:
        """Exact check that node j's uncaptured set equals U2 (guards hash collisions)."""
        cdef int w
        cdef const uint64_t* cap
        cdef uint64_t* v = self.V.data()
        memcpy(v, self.root, self.W * sizeof(uint64_t))
        while j > 0:
            cap = self.caps + <int64_t>self.nodes[j].rule * self.W
            for w in range(self.W):
                v[w] &= ~cap[w]
            j = self.nodes[j].parent
        for w in range(self.W):
            if v[w] != U2[w]:
                return False
        return True

    cdef double _lookahead(self, const double* errs, double eqmin, int n_viable) noexcept nogil:
        """min_d min_{k>=1} k*reg + max(eqmin, errs[d] - T[d][k]) (convex in k: stop at the rise)."""
        cdef int d, k
        cdef double v, prev, out = INF
        cdef const double* Td
        for d in range(self.C):
            Td = self.Tk.data() + <int64_t>d * (self.R + 1)
            prev = INF
            for k in range(1, n_viable + 1):
                v = errs[d] - Td[k]
                if v < eqmin:
                    v = eqmin
                v += k * self.reg
                if v >= prev:
                    break
                prev = v
            if prev < out:
                out = prev
        return out

    cdef void _record(self, int32_t rule, double obj) noexcept nogil:
        """New incumbent: the current chain (reversed) followed by ``rule``."""
        cdef Py_ssize_t k
        self.best = obj
        self.incumbent.clear()
        for k in range(<Py_ssize_t>self.chain.size() - 1, -1, -1):
            self.incumbent.push_back(self.chain[k])
        if rule >= 0:
            self.incumbent.push_back(rule)

    cdef int _grow_table(self) except -1 nogil:
        cdef Py_ssize_t cap = 2 * self.table.size() if self.table.size() else 1024
        cdef Py_ssize_t i
        cdef uint64_t slot
        self.table.assign(cap, -1)
        self.mask = cap - 1
        for i in range(self.nodes.size()):
            slot = self.nodes[i].hash & self.mask
            while self.table[slot] != -1:
                slot = (slot + 1) & self.mask
            self.table[slot] = <int32_t>i
        return 0

    cdef int _offer(self, int32_t parent, int32_t rule, double g2, double h2,
                    const uint64_t* U2) except -1 nogil:
        """Insert the child state, or improve the stored one if this prefix is cheaper."""
        cdef uint64_t hsh = gb_rl_hash(U2, self.W)
        cdef uint64_t slot = hsh & self.mask
        cdef int32_t j
        cdef Node node
        while True:
            j = self.table[slot]
            if j == -1:
                break
            if self.nodes[j].hash == hsh and self._same_state(j, U2):
                self.n_duplicates += 1
                if g2 < self.nodes[j].g - self.tol:
                    self.nodes[j].g = g2
                    self.nodes[j].parent = parent
                    self.nodes[j].rule = rule
                    if h2 > self.nodes[j].h:
                        self.nodes[j].h = h2
                    if self.nodes[j].closed:
                        self.n_reopened += 1
                    self.nodes[j].closed = 0
                    self.queue.push(QEntry(-(g2 + self.nodes[j].h), j))
                return 0
            slot = (slot + 1) & self.mask
        node.hash = hsh
        node.g = g2
        node.h = h2
        node.parent = parent
        node.rule = rule
        node.closed = 0
        j = <int32_t>self.nodes.size()
        self.nodes.push_back(node)
        self.table[slot] = j
        self.queue.push(QEntry(-(g2 + h2), j))
        if 2 * self.nodes.size() > self.table.size():
            self._grow_table()
        return 0

    cdef int _rule_stats(self, const uint64_t* U, double* totS, int32_t* n_viable) except -1 nogil:
        """Counts of every rule on U; keeps the usable ones in self.viable; fills T (gain sums)."""
        cdef int i, c, d, k, nv = 0
        cdef double tot, top, totU = 0.0
        cdef double* row
        cdef double* Td
        gb_rl_rule_pass(&self.tb, U, self.caps, self.all_rules.data(), self.R,
                        self.counts.data(), self.S.data())
        for c in range(self.C):
            totU += self.cU[c]
        self.viable.clear()
        for i in range(self.R):
            row = self.counts.data() + <int64_t>i * self.T
            tot = 0.0
            top = 0.0
            for c in range(self.C):
                tot += row[c]
                if row[c] > top:
                    top = row[c]
            # accurate-support bound; a rule capturing all of U only adds reg to the default.
            if top < self.reg - self.tol or tot <= self.tol or tot >= totU - self.tol:
                continue
            self.viable.push_back(i)
            totS[i] = tot
            nv += 1
        for d in range(self.C):
            self.xs.clear()
            for k in range(nv):
                row = self.counts.data() + <int64_t>self.viable[k] * self.T
                self.xs.push_back(-(row[self.C] - row[d]))   # sort ascending of -X = descending X
            std_sort(self.xs.begin(), self.xs.end())
            Td = self.Tk.data() + <int64_t>d * (self.R + 1)
            Td[0] = 0.0
            for k in range(nv):
                Td[k + 1] = Td[k] - self.xs[k]
        n_viable[0] = nv
        return 0

    cdef int _expand(self, int32_t i) except -1 nogil:
        cdef double g = self.nodes[i].g
        cdef uint64_t* U = self.U.data()
        cdef uint64_t* U2 = self.U2.data()
        cdef const uint64_t* cap
        cdef double* row
        cdef double* cU = self.cU.data()
        cdef double* cc = self.cc.data()
        cdef double* errs = self.errs.data()
        cdef double* totS = self.totS.data()
        cdef int32_t nv, k, r
        cdef int c, w
        cdef double totU, eqU, h_own, tot2, maj2, top2, g2, obj2, eq2, h2, best_c, errS
        self.nodes[i].closed = 1
        self.n_expanded += 1
        self._uncaptured(i, U)
        gb_rl_count_set(&self.tb, U, cU, self.S.data())
        totU = 0.0
        for c in range(self.C):
            totU += cU[c]
        eqU = totU - cU[self.C]
        self._rule_stats(U, totS, &nv)
        for c in range(self.C):
            errs[c] = totU - cU[c]
        h_own = self._lookahead(errs, eqU, nv)
        if h_own > self.nodes[i].h:
            self.nodes[i].h = h_own
        if g + h_own >= self.best - self.tol:
            return 0
        for k in range(nv):
            r = self.viable[k]
            row = self.counts.data() + <int64_t>r * self.T
            best_c = 0.0
            for c in range(self.C):
                if row[c] > best_c:
                    best_c = row[c]
            errS = totS[r] - best_c
            g2 = g + self.reg + errS
            self.n_evaluated += 1
            tot2 = totU - totS[r]
            top2 = 0.0
            for c in range(self.C):
                cc[c] = cU[c] - row[c]
                if cc[c] > top2:
                    top2 = cc[c]
            obj2 = g2 + (tot2 - top2)
            if obj2 < self.best - self.tol:
                self._record(r, obj2)
            maj2 = cU[self.C] - row[self.C]
            eq2 = tot2 - maj2
            if eq2 < 0.0:
                eq2 = 0.0
            if g2 + self.reg + eq2 >= self.best - self.tol:
                continue
            for c in range(self.C):
                errs[c] = tot2 - cc[c]
            h2 = self._lookahead(errs, eq2, nv)
            if g2 + h2 >= self.best - self.tol:
                continue
            cap = self.caps + <int64_t>r * self.W
            for w in range(self.W):
                U2[w] = U[w] & ~cap[w]
            self._offer(i, r, g2, h2, U2)
        if <int64_t>self.queue.size() > self.max_queue:
            self.max_queue = self.queue.size()
        return 0

    cdef int _greedy(self) except -1 nogil:
        """Initial upper bound: repeatedly add the rule whose list (ending there) is best."""
        cdef uint64_t* U = self.U.data()
        cdef double* cU = self.cU.data()
        cdef double* totS = self.totS.data()
        cdef double g = 0.0, totU, obj2, best_obj, top2, tot2, best_c, c2
        cdef int32_t nv, k, r, best_r, step
        cdef int c, w
        cdef double* row
        cdef const uint64_t* cap
        memcpy(U, self.root, self.W * sizeof(uint64_t))
        self.chain.clear()
        for step in range(64):
            gb_rl_count_set(&self.tb, U, cU, self.S.data())
            totU = 0.0
            for c in range(self.C):
                totU += cU[c]
            self._rule_stats(U, totS, &nv)
            best_r = -1
            best_obj = INF
            for k in range(nv):
                r = self.viable[k]
                row = self.counts.data() + <int64_t>r * self.T
                best_c = 0.0
                top2 = 0.0
                for c in range(self.C):
                    if row[c] > best_c:
                        best_c = row[c]
                    c2 = cU[c] - row[c]
                    if c2 > top2:
                        top2 = c2
                tot2 = totU - totS[r]
                obj2 = g + self.reg + (totS[r] - best_c) + (tot2 - top2)
                if obj2 < best_obj:
                    best_obj = obj2
                    best_r = r
            if best_r < 0:
                break
            row = self.counts.data() + <int64_t>best_r * self.T
            best_c = 0.0
            for c in range(self.C):
                if row[c] > best_c:
                    best_c = row[c]
            g += self.reg + (totS[best_r] - best_c)
            # chain is kept last-rule-first, as _record expects
            self.chain.insert(self.chain.begin(), best_r)
            if best_obj < self.best - self.tol:
                self._record(-1, best_obj)
            if g + self.reg >= self.best:
                break
            cap = self.caps + <int64_t>best_r * self.W
            for w in range(self.W):
                U[w] &= ~cap[w]
        return 0

    cdef int _run(self) except -1 nogil:
        cdef double t0 = gb_rl_now()
        cdef double f, totU, top
        cdef int32_t i
        cdef int c
        cdef Node root
        cdef QEntry e
        # root: the empty prefix, i.e. the default rule alone
        gb_rl_count_set(&self.tb, self.root, self.cU.data(), self.S.data())
        totU = 0.0
        top = 0.0
        for c in range(self.C):
            totU += self.cU[c]
            if self.cU[c] > top:
                top = self.cU[c]
        self.chain.clear()
        self._record(-1, totU - top)
        self._greedy()
        root.hash = gb_rl_hash(self.root, self.W)
        root.g = 0.0
        root.h = self.reg
        root.parent = -1
        root.rule = -1
        root.closed = 0
        self.nodes.push_back(root)
        self._grow_table()
        self.queue.push(QEntry(-self.reg, 0))
        self.status = 0
        self.lower = INF
        while not self.queue.empty():
            e = self.queue.top()
            f = -e.first
            i = e.second
            if f >= self.best - self.tol:
                break
            self.queue.pop()
            if self.nodes[i].closed:
                continue
            if self.time_limit > 0 and gb_rl_now() - t0 > self.time_limit:
                self.status = 1
                self.lower = f
                break
            if <int64_t>self.nodes.size() + self.R > self.max_nodes:
                self.status = 2
                self.lower = f
                break
            self._expand(i)
        if self.lower > self.best:
            self.lower = self.best
        return 0


def search(const uint64_t[:, ::1] caps, const uint64_t[::1] root, bint integral,
           const int32_t[::1] plane_start, const int64_t[::1] plane_offset,
           const int32_t[::1] plane_words, const int32_t[::1] plane_shift,
           const uint64_t[::1] plane_bits, const double[:, ::1] group_weight,
           int n_classes, double reg, double tol, double time_limit, int64_t max_nodes):
    """Find the optimal rule list over candidate rules given by their captures.

    Parameters
    ----------
    caps : ndarray of shape (n_rules, n_words), uint64
        Capture bitset of every candidate rule over the groups.
    root : ndarray of shape (n_words,), uint64
        Bitset of all groups.
    integral, plane_* : weight tables as bit planes (see ``_rulelist_count.hpp``).
    group_weight : ndarray of shape (n_groups, n_classes + 1)
        Per group: weight of each class, then the largest of them (float mode).
    n_classes : int
    reg : float
        Cost of one rule in weight units (lambda * total weight).
    tol : float
        Absolute tolerance in weight units for comparisons against the incumbent.
    time_limit : float
        Seconds of search (<= 0: none).
    max_nodes : int
        Cap on stored states (cached prefixes).

    Returns
    -------
    dict with ``rules`` (list of rule indices), ``objective`` and ``lower_bound`` (weight
    units), ``status`` and search statistics.
    """
    cdef _RuleListSearch s = _RuleListSearch()
    cdef int W = caps.shape[1] if caps.shape[0] else root.shape[0]
    cdef int R = caps.shape[0]
    s.W = W
    s.R = R
    s.C = n_classes
    s.T = n_classes + 1
    s.reg = reg
    s.tol = tol
    s.time_limit = time_limit
    s.max_nodes = max_nodes
    s.caps = &caps[0, 0] if R else NULL
    s.root = &root[0]
    s.tb.n_tables = s.T
    s.tb.n_words = W
    s.tb.integral = integral
    s.tb.plane_start = &plane_start[0]
    s.tb.plane_offset = &plane_offset[0] if plane_offset.shape[0] else NULL
    s.tb.plane_words = &plane_words[0] if plane_words.shape[0] else NULL
    s.tb.plane_shift = &plane_shift[0] if plane_shift.shape[0] else NULL
    s.tb.plane_bits = &plane_bits[0] if plane_bits.shape[0] else NULL
    s.tb.group_weight = &group_weight[0, 0]
    s.U.resize(W)
    s.U2.resize(W)
    s.V.resize(W)
    s.S.resize(W)
    s.all_rules.resize(R)
    for i in range(R):
        s.all_rules[i] = i
    s.counts.resize(<Py_ssize_t>max(R, 1) * s.T)
    s.totS.resize(max(R, 1))
    s.cU.resize(s.T)
    s.cc.resize(s.T)
    s.errs.resize(s.T)
    s.Tk.resize(<Py_ssize_t>n_classes * (R + 1))
    s.nodes.reserve(min(max_nodes, 1 << 22))
    t0 = gb_rl_now()
    with nogil:
        s._run()
    elapsed = gb_rl_now() - t0
    return {
        "rules": [int(r) for r in s.incumbent],
        "objective": s.best,
        "lower_bound": s.lower,
        "status": STATUS_NAMES[s.status],
        "n_expanded": s.n_expanded,
        "n_evaluated": s.n_evaluated,
        "n_cached": int(s.nodes.size()),
        "n_duplicates": s.n_duplicates,
        "n_reopened": s.n_reopened,
        "max_queue": s.max_queue,
        "search_time": elapsed,
    }
