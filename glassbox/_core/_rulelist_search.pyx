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
* core bound (ours, _rulelist_cores.hpp): for groups V inside U,
  c*(U) >= c*(V) + eqmin(U \ V); small capped sub-searches prove lower bounds on c*(V) for
  cores V picked from expanded states, and every state containing a core gets its excess;
* local search on new incumbents (_rulelist_polish.hpp) lowers the upper bound sooner;
* pathmax: a child's bound is at least its parent's minus the step cost; lazy re-queue: a
  state whose own bound exceeds its key by more than the partial-expansion step goes back
  into the queue instead of being expanded.
"""
from libc.stdint cimport uint64_t, int64_t, int32_t
from libc.string cimport memcpy
from libc.math cimport INFINITY
from libcpp.vector cimport vector
from libcpp.utility cimport pair

import numpy as np

from ._rulelist_kernels cimport (
    RLCores, RLPolish, gb_rl_pick_core, RLTables, RLBlocked, RLNode, RLOpen, RLTable, gb_rl_now, gb_rl_rule_pass,
    gb_rl_count_set, gb_rl_ctz, gb_rl_block_prepare, gb_rl_block_usable, gb_rl_block_pass, gb_rl_hash,
)

cdef double INF = float("inf")

# Search status codes (returned to Python).
STATUS_NAMES = {0: "optimal", 1: "time_limit", 2: "max_prefixes"}

cdef enum:
    TOP_K = 16     # exact largest gains kept per class (see _lookahead)

# States (RLNode, _rulelist_store.hpp): g = cheapest prefix cost found, h = lower bound on
# any completion with >= 1 more rule, key = its live open-list key (other entries for it are
# stale), key < 0 once expanded with its current g.


cdef class _RuleListSearch:
    """One branch-and-bound run; all state is C++ containers, freed with the object."""

    cdef RLTables tb
    cdef const uint64_t* caps
    cdef const uint64_t* root
    cdef int W, R, C, T
    cdef double reg, tol
    cdef double time_limit
    cdef int64_t max_nodes

    cdef vector[RLNode] nodes
    # open addressing, sized once; the hash tag in a slot rejects most probes without
    # touching the node array
    cdef RLTable table
    cdef RLOpen queue

    cdef vector[uint64_t] U, U2, V, S    # bitset buffers
    cdef RLBlocked blocked                # all_rules transposed for the blocked kernel
    cdef bint use_blocked, blocked_ok
    cdef vector[uint64_t] scratch         # W 512-bit vectors (+ alignment slack)
    cdef vector[int32_t] all_rules, root_rules, viable, chain, usable
    cdef int beam_width
    cdef bint lazy
    cdef int64_t n_rules_used
    cdef vector[double] counts, cU, cc, errs, Tk, totS, xmax, ymax, first, thr
    cdef vector[int32_t] n_gain, n_top
    cdef vector[uint64_t] root_buf

    # core bounds (see _rulelist_cores.hpp and _core_bound)
    cdef bint make_cores
    cdef RLCores cores
    cdef vector[int32_t] core_here        # cores inside the state being expanded
    cdef vector[double] freq, score       # per group: times seen uncaptured; weight
    cdef vector[pair[double, int32_t]] pick
    cdef int n_groups, core_size
    cdef double core_share, core_alpha, n_freq
    cdef int64_t core_nodes, core_warmup, core_expanded, n_core_lifts
    cdef vector[double] topv

    # local search on new incumbents (_rulelist_polish.hpp), once polish_after states were
    # expanded (counted, so the search stays deterministic); 0 evaluations = off
    cdef RLPolish polish
    cdef bint dirty
    cdef int64_t polish_after, polish_evals

    cdef double best, seed_ub
    cdef vector[int32_t] incumbent
    cdef double lower
    cdef int status
    cdef int64_t n_lazy, n_first, n_expanded, n_evaluated, n_reopened, n_duplicates, max_queue, n_deferred
    cdef double t0
    cdef double delta
    cdef vector[int64_t] expanded_by_length

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

    cdef double _lookahead(self, const double* errs, const double* first, double eqmin) noexcept nogil:
        """min_d min_{k>=1} k*reg + max(eqmin, errs[d] - first[d] - T[d][k-1]).

        ``first[d]`` bounds the gain of the first added rule, T[d][j] the gains of j more:
        the exact sum of the j largest while j <= TOP_K, beyond that extended linearly with
        the TOP_K-th largest (every further gain is at most that). Convex in k (decreasing
        increments): stop at the first rise.
        """
        cdef int d, k, nb
        cdef double v, prev, t, out = INF
        cdef const double* Td
        for d in range(self.C):
            Td = self.Tk.data() + <int64_t>d * (TOP_K + 1)
            nb = self.n_top[d]
            prev = INF
            for k in range(0, self.n_gain[d] + 1):
                t = Td[k] if k <= nb else Td[nb] + (k - nb) * (Td[nb] - Td[nb - 1])
                v = errs[d] - first[d] - t
                if v < eqmin:
                    v = eqmin
                v += (k + 1) * self.reg
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
        self.dirty = True
        self.incumbent.clear()
        for k in range(<Py_ssize_t>self.chain.size() - 1, -1, -1):
            self.incumbent.push_back(self.chain[k])
        if rule >= 0:
            self.incumbent.push_back(rule)

    cdef int _offer(self, int32_t parent, int32_t rule, double g2, double h2,
                    const uint64_t* U2) except -1 nogil:
        """Insert the child state, or improve the stored one if this prefix is cheaper."""
        cdef uint64_t hsh = gb_rl_hash(U2, self.W)
        cdef uint64_t tag = hsh >> 32
        cdef uint64_t slot = hsh & self.table.mask
        cdef uint64_t e
        cdef int32_t j
        cdef RLNode node
        while True:
            e = self.table.slot[slot]
            if e == 0:
                break
            j = <int32_t>(e & <uint64_t>0xFFFFFFFFu) - 1
            if (e >> 32) == tag and self._same_state(j, U2):
                self.n_duplicates += 1
                if g2 < self.nodes[j].g - self.tol:
                    self.nodes[j].g = g2
                    self.nodes[j].parent = parent
                    self.nodes[j].rule = rule
                    if h2 > self.nodes[j].h:
                        self.nodes[j].h = h2
                    if self.nodes[j].key < 0:
                        self.n_reopened += 1
                    self.nodes[j].key = g2 + self.nodes[j].h
                    self.queue.push(-self.nodes[j].key, j)
                return 0
            slot = (slot + 1) & self.table.mask
        node.g = g2
        node.h = h2
        node.parent = parent
        node.rule = rule
        node.key = g2 + h2
        j = <int32_t>self.nodes.size()
        self.nodes.push_back(node)
        self.table.slot[slot] = (tag << 32) | <uint64_t>(j + 1)
        self.queue.push(-(g2 + h2), j)
        return 0

    cdef int _rule_stats(self, const uint64_t* U, double budget, double* totS,
                         int32_t* n_viable) except -1 nogil:
        """Counts of every rule on U; keeps the usable ones in self.viable; fills T (gain sums).

        ``self.viable`` holds positions in ``self.all_rules`` (rows of ``self.counts``).
        Gains a later rule can add for default label d: X_d(S) = maj(S) - cnt_d(S) (any subset
        of S it ends up capturing); the first rule added captures U & r exactly, so it gains at
        most Y_d(S) = max_c cnt_c(S) - cnt_d(S). Only gains above reg can lower the bound, and
        only floor(budget / reg) + 1 of them (each rule costs reg); the TOP_K largest are kept
        sorted.
        """
        cdef int i, c, d, j, nv = 0
        cdef int64_t k_max = self.R
        if self.reg > 0 and budget / self.reg < self.R:
            k_max = <int64_t>(budget / self.reg) + 2
        cdef double tot, top, x, maj, totU = 0.0
        cdef double* row
        cdef double* Td
        cdef double* tv
        cdef uint64_t* aligned
        cdef int n_cand, kk
        # locals: the compiler cannot keep members in registers across the stores below
        cdef int C = self.C, T = self.T
        cdef bint blocked = self.use_blocked
        cdef double reg = self.reg, tol = self.tol
        cdef double* counts = self.counts.data()
        cdef double* xmax = self.xmax.data()
        cdef double* ymax = self.ymax.data()
        cdef double* thr = self.thr.data()       # smallest gain the top buffer of d accepts
        cdef double* topv = self.topv.data()
        cdef int32_t* n_gain = self.n_gain.data()
        cdef int32_t* n_top = self.n_top.data()
        cdef int32_t* usable = self.usable.data()
        cdef int32_t* viable = self.viable.data()
        for c in range(C):
            totU += self.cU[c]
            xmax[c] = 0.0
            ymax[c] = 0.0
            n_gain[c] = 0
            n_top[c] = 0
            thr[c] = reg
        # Usable rules: accurate-support bound (top >= reg); a rule capturing all of U only
        # adds reg to the default. The blocked kernel applies the same test itself.
        if blocked:
            aligned = <uint64_t*>((<size_t>self.scratch.data() + 63) & ~(<size_t>63))
            n_cand = gb_rl_block_pass(&self.tb, U, &self.blocked, counts, aligned,
                                      reg - tol, tol, totU - tol, usable)
        else:
            gb_rl_rule_pass(&self.tb, U, self.caps, self.all_rules.data(),
                            <int>self.all_rules.size(), counts, self.S.data(), reg - tol)
            n_cand = <int>self.all_rules.size()
        for kk in range(n_cand):
            i = usable[kk] if blocked else kk
            row = counts + <int64_t>i * T
            tot = 0.0
            top = 0.0
            for c in range(C):
                tot += row[c]
                if row[c] > top:
                    top = row[c]
            if not blocked and (top < reg - tol or tot <= tol or tot >= totU - tol):
                continue
            viable[nv] = i
            totS[i] = tot
            nv += 1
            maj = row[C]
            for d in range(C):
                x = maj - row[d]
                if x > xmax[d]:
                    xmax[d] = x
                if top - row[d] > ymax[d]:
                    ymax[d] = top - row[d]
                if x <= reg:
                    continue
                n_gain[d] += 1
                if x <= thr[d]:
                    continue      # the buffer is full and x is not among its TOP_K largest
                tv = topv + d * TOP_K
                j = n_top[d]
                if j == TOP_K:
                    j -= 1
                else:
                    n_top[d] += 1
                while j > 0 and tv[j - 1] < x:   # insertion into the descending buffer
                    tv[j] = tv[j - 1]
                    j -= 1
                tv[j] = x
                if n_top[d] == TOP_K:
                    thr[d] = tv[TOP_K - 1]
        for d in range(C):
            if n_gain[d] > k_max:
                n_gain[d] = <int32_t>k_max
            Td = self.Tk.data() + <int64_t>d * (TOP_K + 1)
            tv = topv + d * TOP_K
            Td[0] = 0.0
            for j in range(n_top[d]):
                Td[j + 1] = Td[j] + tv[j]
        n_viable[0] = nv
        return 0

    cdef double _core_bound(self, const uint64_t* U, double eqU, double h,
                            double min_excess) noexcept nogil:
        """max(h, eqU + the largest excess of a core inside U); may first add a core from U.

        Also records which cores lie inside U (self.core_here) for the children.
        """
        cdef int w, g
        cdef uint64_t x
        if self.n_expanded % 16 == 0:     # how often each group stays uncaptured
            self.n_freq += 1.0
            for w in range(self.W):
                x = U[w]
                while x:
                    self.freq[w * 64 + gb_rl_ctz(x)] += 1.0
                    x &= x - 1
        if (self.n_expanded >= self.core_warmup
                and self.core_expanded < self.core_share * self.n_expanded
                and not self._out_of_time()):
            self._new_core(U)
        cdef double ex = self.cores.contained(U, self.core_here, 16, min_excess)
        return eqU + ex if eqU + ex > h else h

    cdef void _new_core(self, const uint64_t* U) noexcept nogil:
        """Solve the core picked from U (capped sub-search) and keep its proven excess."""
        cdef int c
        cdef double lb, totV
        cdef int64_t n_sub = 0
        gb_rl_pick_core(U, self.W, self.score.data(), self.freq.data(), self.n_freq,
                        self.core_alpha, self.core_size, self.U2.data(), self.pick)
        gb_rl_count_set(&self.tb, self.U2.data(), self.cc.data(), self.S.data())
        totV = 0.0
        for c in range(self.C):
            totV += self.cc[c]
        with gil:
            lb = self._solve_core(self.U2.data(), &n_sub)
        self.core_expanded += n_sub if n_sub > 0 else 1
        # the sub-search is optimal to tol: lb may exceed c*(V) by that much
        lb -= (totV - self.cc[self.C]) + 2.0 * self.tol
        if lb > self.tol:
            self.cores.add(self.U2.data(), lb, self.freq.data())

    cdef double _solve_core(self, const uint64_t* V, int64_t* n_sub):
        """Proven lower bound on c*(V) from a sub-search capped at core_nodes states."""
        cdef double left = -1.0
        cdef _RuleListSearch sub
        if self.time_limit > 0:
            left = self.time_limit - (gb_rl_now() - self.t0)
            if left <= 0:
                return -INF
        try:
            sub = _new_search(self.caps, self.R, self.W, V, self.tb, self.C, self.reg,
                              self.tol, left, self.core_nodes, 0, self.delta,
                              self.blocked_ok, self.lazy, False)
        except MemoryError:
            return -INF
        if self.use_blocked:
            # the sub-search's first pass (which rules are usable on V) runs on this search's
            # blocked captures instead of the portable pass over every candidate
            sub.all_rules = self.all_rules
            sub.blocked = self.blocked
            sub.scratch.assign(<size_t>self.W * 8 + 8, 0)
            sub.usable.resize(self.all_rules.size() + 8)
            sub.use_blocked = True
        with nogil:
            sub._run()
        n_sub[0] = sub.n_expanded
        return sub.lower

    cdef int _expand(self, int32_t i, double F) except -1 nogil:
        """Expand node i popped at key F (partial expansion, as in PEA*).

        Children whose key exceeds F + delta are not stored: the node goes back into the
        queue at the smallest such key and is expanded again when the search gets there.
        The queue thus holds mostly states that will be expanded, not their many children.
        """
        cdef double g = self.nodes[i].g
        cdef double deferred = INF
        cdef uint64_t* U = self.U.data()
        cdef uint64_t* U2 = self.U2.data()
        cdef const uint64_t* cap
        cdef double* row
        cdef double* cU = self.cU.data()
        cdef double* cc = self.cc.data()
        cdef double* errs = self.errs.data()
        cdef double* totS = self.totS.data()
        cdef int32_t nv, k, r, p
        cdef int c, w
        cdef double ex, h_core, totU, eqU, h_own, tot2, maj2, top2, g2, obj2, eq2, h2, best_c, errS
        # Re-expansion of a deferred node (popped above g + h): its children below F were
        # all offered before (F is the smallest key left above the previous F + delta).
        cdef double offered = F if F > g + self.nodes[i].h else -INF
        if offered == -INF:
            self.n_first += 1
        self.nodes[i].key = -1.0     # closed
        self.n_expanded += 1
        self._uncaptured(i, U)
        while self.expanded_by_length.size() <= self.chain.size():
            self.expanded_by_length.push_back(0)
        self.expanded_by_length[self.chain.size()] += 1
        gb_rl_count_set(&self.tb, U, cU, self.S.data())
        totU = 0.0
        for c in range(self.C):
            totU += cU[c]
        eqU = totU - cU[self.C]
        # cores whose excess stays a rule's cost below what the state already has cannot
        # lift it, and hardly its children (pathmax): not looked at
        h_own = self._core_bound(U, eqU, 0.0, F - g - eqU - self.reg) if self.make_cores else 0.0
        h_core = h_own if self.core_here.size() else -INF
        if g + h_core > F + self.tol:
            self.n_core_lifts += 1      # a core lifts the state above the key it came with
        if g + h_own >= self.best - self.tol:
            return 0
        if self.lazy and g + h_own > F + self.delta:
            self.nodes[i].h = h_own      # cores alone lift it: no rule pass needed yet
            self.nodes[i].key = g + h_own
            self.queue.push(-(g + h_own), i)
            self.n_lazy += 1
            return 0
        self._rule_stats(U, self.best - g, totS, &nv)
        for c in range(self.C):
            errs[c] = totU - cU[c]
            self.first[c] = self.ymax[c] if nv else INF
        if nv:
            h2 = self._lookahead(errs, self.first.data(), eqU)
            if h2 > h_own:
                h_own = h2
        else:
            h_own = INF
        if h_own > self.nodes[i].h:
            self.nodes[i].h = h_own
        if g + h_own >= self.best - self.tol:
            return 0
        if self.lazy and g + h_own > F + self.delta:
            # Lazy (as in lazy A*): the state's own bound puts it above this round; back into
            # the queue at that bound instead of evaluating children that would all wait.
            self.nodes[i].key = g + h_own
            self.queue.push(-(g + h_own), i)
            self.n_lazy += 1
            return 0
        for k in range(nv):
            p = self.viable[k]
            r = self.all_rules[p]
            row = self.counts.data() + <int64_t>p * self.T
            best_c = 0.0
            for c in range(self.C):
                if row[c] > best_c:
                    best_c = row[c]
            errS = totS[p] - best_c
            g2 = g + self.reg + errS
            self.n_evaluated += 1
            tot2 = totU - totS[p]
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
            # h2 >= reg + eq2: a child that waits anyway and cannot lower the key the node is
            # re-queued at needs no look-ahead (same outcome, less work)
            if g2 + self.reg + eq2 > F + self.delta and g2 + self.reg + eq2 >= deferred:
                continue
            # the child's first rule gains at most min(X, Y + d-weight removed by rule r)
            for c in range(self.C):
                errs[c] = tot2 - cc[c]
                self.first[c] = self.ymax[c] + row[c]
                if self.first[c] > self.xmax[c]:
                    self.first[c] = self.xmax[c]
            h2 = self._lookahead(errs, self.first.data(), eq2)
            # the node's own bound covers every completion through this child (pathmax)
            if h_own - (g2 - g) > h2:
                h2 = h_own - (g2 - g)
            if g2 + h2 >= self.best - self.tol:
                continue
            cap = self.caps + <int64_t>r * self.W
            if self.core_here.size():
                # cores inside U that rule r does not touch stay inside the child's set
                ex = self.cores.disjoint(self.core_here, cap)
                if eq2 + ex > h2:
                    h2 = eq2 + ex
                    if g2 + h2 >= self.best - self.tol:
                        continue
            if g2 + h2 > F + self.delta:
                if g2 + h2 < deferred:
                    deferred = g2 + h2
                continue
            if g2 + h2 < offered:
                continue     # offered by an earlier partial expansion
            for w in range(self.W):
                U2[w] = U[w] & ~cap[w]
            self._offer(i, r, g2, h2, U2)
        if deferred < self.best - self.tol:
            self.nodes[i].key = deferred
            self.queue.push(-deferred, i)
            self.n_deferred += 1
        if <int64_t>self.queue.size() > self.max_queue:
            self.max_queue = self.queue.size()
        return 0

    cdef int _beam(self, int width) except -1 nogil:
        """Initial upper bound: beam search over prefixes by the objective of the list ending there.

        Each level keeps the ``width`` best distinct children (by uncaptured set) of the
        current beam; every child is also a complete list and may become the incumbent.
        """
        cdef uint64_t* U = self.U.data()
        cdef double* cU = self.cU.data()
        cdef double* totS = self.totS.data()
        cdef vector[vector[int32_t]] beam, nxt
        cdef vector[double] beam_g, nxt_g, nxt_obj
        cdef vector[uint64_t] nxt_hash
        cdef vector[int32_t] order
        cdef double g, totU, obj2, top2, tot2, best_c, c2, g2
        cdef int32_t nv, k, p, r, step, b, j, m, worst
        cdef int c, w
        cdef uint64_t hsh
        cdef bint dup
        cdef double* row
        cdef const uint64_t* cap
        beam.push_back(vector[int32_t]())
        beam_g.push_back(0.0)
        for step in range(64):
            nxt.clear()
            nxt_g.clear()
            nxt_obj.clear()
            nxt_hash.clear()
            for b in range(<int32_t>beam.size()):
                if self._out_of_time():
                    return 0
                g = beam_g[b]
                if g + self.reg >= self.best - self.tol:
                    continue
                memcpy(U, self.root, self.W * sizeof(uint64_t))
                for j in range(<int32_t>beam[b].size()):
                    cap = self.caps + <int64_t>beam[b][j] * self.W
                    for w in range(self.W):
                        U[w] &= ~cap[w]
                gb_rl_count_set(&self.tb, U, cU, self.S.data())
                totU = 0.0
                for c in range(self.C):
                    totU += cU[c]
                self._rule_stats(U, self.best - g, totS, &nv)
                for k in range(nv):
                    p = self.viable[k]
                    r = self.all_rules[p]
                    row = self.counts.data() + <int64_t>p * self.T
                    best_c = 0.0
                    top2 = 0.0
                    for c in range(self.C):
                        if row[c] > best_c:
                            best_c = row[c]
                        c2 = cU[c] - row[c]
                        if c2 > top2:
                            top2 = c2
                    tot2 = totU - totS[p]
                    g2 = g + self.reg + (totS[p] - best_c)
                    obj2 = g2 + (tot2 - top2)
                    if obj2 < self.best - self.tol:
                        self.chain.clear()
                        for j in range(<int32_t>beam[b].size() - 1, -1, -1):
                            self.chain.push_back(beam[b][j])
                        self._record(r, obj2)
                    if g2 + self.reg >= self.best - self.tol:
                        continue
                    # keep the `width` best children by objective, distinct uncaptured sets
                    m = <int32_t>nxt.size()
                    worst = -1
                    if m >= width:
                        for j in range(m):
                            if worst < 0 or nxt_obj[j] > nxt_obj[worst]:
                                worst = j
                        if obj2 >= nxt_obj[worst]:
                            continue
                    cap = self.caps + <int64_t>r * self.W
                    for w in range(self.W):
                        self.U2[w] = U[w] & ~cap[w]
                    hsh = gb_rl_hash(self.U2.data(), self.W)
                    dup = False
                    for j in range(m):
                        if nxt_hash[j] == hsh:
                            dup = True
                            break
                    if dup:
                        continue
                    if m >= width:
                        nxt[worst] = beam[b]
                        nxt[worst].push_back(r)
                        nxt_g[worst] = g2
                        nxt_obj[worst] = obj2
                        nxt_hash[worst] = hsh
                    else:
                        nxt.push_back(beam[b])
                        nxt[m].push_back(r)
                        nxt_g.push_back(g2)
                        nxt_obj.push_back(obj2)
                        nxt_hash.push_back(hsh)
            if nxt.size() == 0:
                break
            beam.swap(nxt)
            beam_g.swap(nxt_g)
        return 0

    cdef int _polish(self) except -1 nogil:
        """Local search from the incumbent; keeps the list it ends at when cheaper."""
        cdef vector[int32_t] lst = self.incumbent
        self.dirty = False
        cdef double c = self.polish.run(&self.tb, self.root, self.caps, self.all_rules.data(),
                                        <int>self.all_rules.size(), self.reg, self.tol, lst,
                                        self.best, 16)
        if c < self.best - self.tol:
            self.best = c
            self.incumbent.swap(lst)
        return 0

    cdef bint _out_of_time(self) noexcept nogil:
        return self.time_limit > 0 and gb_rl_now() - self.t0 > self.time_limit

    cdef int _run(self) except -1 nogil:
        cdef double f, totU, top
        cdef int32_t i, nv
        cdef int c
        cdef RLNode root
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
        # only rules usable at the root can be usable anywhere (U only shrinks)
        self._rule_stats(self.root, INF, self.totS.data(), &nv)
        self.root_rules.clear()
        for c in range(nv):
            self.root_rules.push_back(self.all_rules[self.viable[c]])
        self.all_rules.swap(self.root_rules)
        if self.blocked_ok and gb_rl_block_usable(&self.tb):
            gb_rl_block_prepare(&self.blocked, self.caps, self.all_rules.data(),
                                <int>self.all_rules.size(), self.W)
            self.scratch.assign(<size_t>self.W * 8 + 8, 0)
            self.usable.resize(self.all_rules.size() + 8)
            self.use_blocked = True
        self.n_rules_used = nv
        if self.beam_width > 0:
            self._beam(self.beam_width)
        if self.seed_ub < self.best:
            self.best = self.seed_ub
        root.g = 0.0
        root.h = self.reg
        root.parent = -1
        root.rule = -1
        root.key = self.reg
        self.nodes.push_back(root)
        self.table.slot[gb_rl_hash(self.root, self.W) & self.table.mask] = \
            (gb_rl_hash(self.root, self.W) >> 32) << 32 | 1
        self.queue.push(-self.reg, 0)
        self.status = 0
        self.lower = INF
        while not self.queue.empty():
            f = -self.queue.top().first
            i = self.queue.top().second
            if f >= self.best - self.tol:
                break
            self.queue.pop()
            if f != self.nodes[i].key:
                continue     # expanded already, or a stale entry
            if self._out_of_time():
                self.status = 1
                self.lower = f
                break
            if <int64_t>self.nodes.size() + self.R > self.max_nodes:
                self.status = 2
                self.lower = f
                break
            self._expand(i, f)
            if (self.dirty and self.n_expanded >= self.polish_after > 0
                    and self.polish.n_evals < self.polish_evals):
                self._polish()
        if self.lower > self.best:
            self.lower = self.best
        return 0


cdef _RuleListSearch _new_search(const uint64_t* caps, int R, int W, const uint64_t* root,
                                 RLTables tb, int n_classes, double reg, double tol,
                                 double time_limit, int64_t max_nodes, int beam_width,
                                 double delta, bint simd, bint lazy, bint reserve=True):
    """A search over the groups in ``root`` (copied), its storage sized from ``max_nodes``."""
    cdef _RuleListSearch s = _RuleListSearch()
    cdef int i
    s.W = W
    s.R = R
    s.C = n_classes
    s.T = n_classes + 1
    s.reg = reg
    s.tol = tol
    s.time_limit = time_limit
    s.caps = caps
    s.root_buf.assign(root, root + W)
    s.root = s.root_buf.data()
    s.tb = tb
    s.U.resize(W)
    s.U2.resize(W)
    s.V.resize(W)
    s.S.resize(W)
    s.all_rules.resize(R)
    for i in range(R):
        s.all_rules[i] = i
    s.counts.resize(<Py_ssize_t>max(R, 1) * s.T)
    s.totS.resize(max(R, 1))
    s.viable.resize(max(R, 1))
    s.cU.resize(s.T)
    s.cc.resize(s.T)
    s.errs.resize(s.T)
    s.Tk.resize(<Py_ssize_t>n_classes * (TOP_K + 1))
    s.topv.resize(<Py_ssize_t>n_classes * TOP_K)
    s.n_top.resize(n_classes)
    s.xmax.resize(n_classes)
    s.thr.resize(n_classes)
    s.ymax.resize(n_classes)
    s.first.resize(n_classes)
    s.n_gain.resize(n_classes)
    # storage sized once from the cap (see _rulelist_store.hpp): nothing is rehashed or
    # copied during the search
    cdef int64_t want = max_nodes + R + 1
    while s.table.init(want) != 0:     # a cap beyond this machine's memory: a smaller table
        if want <= 1024:
            raise MemoryError(f"cannot allocate the state table for max_prefixes={max_nodes}")
        want //= 2
    s.max_nodes = min(max_nodes, s.table.capacity - R - 1)
    # a core sub-search (small) grows its vectors as needed instead
    cdef int64_t cap = min(s.max_nodes + R + 1, 1 << 24 if reserve else 1024)
    s.nodes.reserve(cap)
    s.queue.reserve(cap + cap // 4)
    s.t0 = gb_rl_now()
    s.seed_ub = INF
    s.blocked_ok = simd
    s.beam_width = beam_width
    s.lazy = lazy
    s.delta = delta
    return s


def search(const uint64_t[:, ::1] caps, const uint64_t[::1] root, bint integral,
           const uint64_t[::1] ent_bits, const int32_t[::1] ent_word,
           const int32_t[::1] ent_shift, const int64_t[::1] table_entry_start,
           const double[:, ::1] group_weight,
           int n_classes, double reg, double tol, double time_limit, int64_t max_nodes,
           double upper_bound=INFINITY, int beam_width=16, double delta_rules=0.5,
           bint simd=True, bint lazy=True, bint cores=True, int core_size=20,
           double core_share=0.25, int64_t core_nodes=5000, double core_alpha=4.0,
           int64_t core_warmup=2000, int64_t polish_after=20000,
           int64_t polish_evals=2000000):
    """Find the optimal rule list over candidate rules given by their captures.

    Parameters
    ----------
    caps : ndarray of shape (n_rules, n_words), uint64
        Capture bitset of every candidate rule over the groups.
    root : ndarray of shape (n_words,), uint64
        Bitset of all groups.
    integral, ent_bits, ent_word, ent_shift, table_entry_start :
        Integer weight tables as flattened bit planes (see ``_rulelist_count.hpp`` and
        ``glassbox.rules._problem.weight_tables``); unused when ``integral`` is False.
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
        Cap on stored states (cached prefixes); the state table is sized from it.
    upper_bound : float
        A known objective (weight units) to prune against from the start.
    beam_width : int
        Width of the beam search that finds the first incumbent (16: with the local search
        below it finds the best known list of COMPAS at lambda=0.001, which 8 did not).
    delta_rules : float
        Partial expansion: children more than ``delta_rules * reg`` above their parent's key
        wait (half a rule balanced memory and re-expansions best on CORELS's COMPAS).
    simd : bool
        Use the blocked AVX-512 rule pass when the CPU has it (same results).
    lazy : bool
        A state whose own bound exceeds its key by more than the partial-expansion step goes
        back into the queue instead of being expanded (lazy A*).
    cores, core_size, core_share, core_nodes, core_alpha, core_warmup :
        Core bounds (``_rulelist_cores.hpp``): after ``core_warmup`` expansions, whenever
        the sub-searches' expansions are below ``core_share`` times the search's own, the
        ``core_size`` groups of the expanded state with the largest weight * (fraction of
        sampled states that leave the group uncaptured) ** ``core_alpha`` are solved by a
        sub-search capped at ``core_nodes`` states; its proven bound lifts every state
        containing that core. Deterministic (counted in expansions, not seconds).

    polish_after, polish_evals :
        Local search on every new incumbent (insert, replace, delete or swap rules;
        ``_rulelist_polish.hpp``) once ``polish_after`` states were expanded (0: never), for
        at most ``polish_evals`` list evaluations in all. It only lowers the upper bound.

    Returns
    -------
    dict with ``rules`` (list of rule indices), ``objective`` and ``lower_bound`` (weight
    units), ``status`` and search statistics.
    """
    cdef RLTables tb
    cdef int R = caps.shape[0]
    cdef int W = caps.shape[1] if R else root.shape[0]
    tb.n_tables = n_classes + 1
    tb.n_words = W
    tb.integral = integral
    tb.group_weight = &group_weight[0, 0]
    tb.ent_bits = &ent_bits[0]
    tb.ent_word = &ent_word[0]
    tb.ent_shift = &ent_shift[0]
    tb.table_entry_start = &table_entry_start[0]
    t0 = gb_rl_now()
    cdef _RuleListSearch s = _new_search(
        &caps[0, 0] if R else NULL, R, W, &root[0], tb, n_classes, reg, tol, time_limit,
        max_nodes, beam_width, delta_rules * reg, simd, lazy)
    s.t0 = t0
    s.seed_ub = upper_bound
    if cores and core_size > 0 and R:
        s.make_cores = True
        s.n_groups = group_weight.shape[0]
        s.core_size = core_size
        s.core_share = core_share
        s.core_nodes = core_nodes
        s.core_alpha = core_alpha
        s.core_warmup = core_warmup
        s.cores.W = W
        s.freq.assign(s.n_groups, 0.0)
        s.score.assign(s.n_groups, 0.0)
        for g in range(s.n_groups):
            for c in range(n_classes):
                s.score[g] += group_weight[g, c]
    if polish_after > 0 and R:
        s.polish_after = polish_after
        s.polish_evals = polish_evals
        s.polish.init(W, n_classes + 1)
    with nogil:
        s._run()
    elapsed = gb_rl_now() - t0
    return {
        "rules": [int(r) for r in s.incumbent],
        "objective": s.best,
        "lower_bound": s.lower,
        "status": STATUS_NAMES[s.status],
        "n_rules_usable": s.n_rules_used,
        "n_expanded": s.n_expanded,
        "n_evaluated": s.n_evaluated,
        "n_cached": int(s.nodes.size()),
        "n_duplicates": s.n_duplicates,
        "n_reopened": s.n_reopened,
        "n_deferred": s.n_deferred,
        "n_first": s.n_first,
        "n_lazy": s.n_lazy,
        "n_cores": s.cores.size(),
        "core_expanded": s.core_expanded,
        "n_core_lifts": s.n_core_lifts,
        "polish_evals": s.polish.n_evals,
        "max_queue": s.max_queue,
        "search_time": elapsed,
        "expanded_by_length": [int(v) for v in s.expanded_by_length],
    }
