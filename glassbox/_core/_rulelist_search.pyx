# distutils: language = c++
# distutils: depends = _rulelist_beam.hpp _rulelist_cores.hpp _rulelist_count.hpp _rulelist_gains.hpp _rulelist_polish.hpp _rulelist_siblings.hpp _rulelist_store.hpp
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
* equivalent-support map (_rulelist_store.hpp): states are keyed by U itself (hash, verified
  exactly by rebuilding U from its prefix), so every ordering of the same rules, and any other
  prefix capturing the same rows, is expanded once, from its cheapest prefix (implies
  CORELS's permutation bound);
* k-rule gain bound (ours, _rulelist_gains.hpp): with k more rules and default label d, the
  rows classified correctly are at most cnt_d(U) + the k largest X_d(U & r) over usable rules
  r, where X_d(S) = maj(S) - cnt_d(S) >= 0. So h(U) >= min_d min_k [k*reg + max(eqmin(U),
  err_d(U) - T_{k,d})], convex in k. The T values of a parent bound every child.
* core bound (ours, _rulelist_cores.hpp): for groups V inside U,
  c*(U) >= c*(V) + eqmin(U \ V); small capped sub-searches prove lower bounds on c*(V) for
  cores V picked from expanded states, and every state containing a core gets its excess;
* sibling dominance (ours, _rulelist_siblings.hpp): with s = g + eqmin(U), a prefix leaving
  U1 inside U2 with s1 <= s2 has a completion at most as costly as any of the prefix
  leaving U2 (the core lemma with V = U1). So a child whose capture a sibling's strictly
  contains, at the same excess or with that sibling's state stored more cheaply, is not
  searched; it is stored closed, so that other prefixes reach it at no lower cost in vain;
* a beam search (_rulelist_beam.hpp) gives the first upper bound, and local search on new
  incumbents (_rulelist_polish.hpp) lowers it sooner;
* pathmax: a child's bound is at least its parent's minus the step cost; lazy re-queue: a
  state whose own bound exceeds its key by more than the partial-expansion step goes back
  into the queue instead of being expanded.
"""
from libc.stdint cimport uint64_t, int64_t, int32_t
from libc.math cimport INFINITY
from libcpp.vector cimport vector
from libcpp.utility cimport pair

from ._rulelist_kernels cimport (
    RLCores, RLCoreProblem, RLPolish, gb_rl_tables, RLSiblings, gb_rl_pick_core, RLTables, RLNode, RLStates, RLGains,
    gb_rl_beam, gb_rl_now, gb_rl_count_set, gb_rl_ctz, gb_rl_block_prepare,
    gb_rl_block_usable, gb_rl_hash,
)

cdef double INF = float("inf")
# Cores kept per expanded state for its children's bounds (a child keeps the best one its
# rule does not meet): proving 0.3274 on CORELS's COMPAS at lambda = 0.001 took 628 k
# expansions with 16, 513 k with 64, 511 k with 256.
cdef int CORES_HERE = 64

# Search status codes (returned to Python).
STATUS_NAMES = {0: "optimal", 1: "time_limit", 2: "max_prefixes"}

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

    cdef RLStates states     # the states, their table, the open list (_rulelist_store.hpp)
    cdef RLGains gains       # rule pass and k-rule gain bound (_rulelist_gains.hpp)
    cdef RLSiblings siblings  # sibling dominance (_rulelist_siblings.hpp)
    cdef bint dominance, mark_dominated
    cdef double dom_slack
    cdef int64_t n_dominated
    cdef bint blocked_ok     # the blocked kernel may be used if the CPU has it

    cdef vector[uint64_t] U, U2, S        # bitset buffers
    cdef vector[int32_t] all_rules, root_rules, chain
    cdef int beam_width
    cdef bint lazy
    cdef int64_t n_rules_used
    cdef vector[double] cU, cc, errs, first
    cdef vector[uint64_t] root_buf

    # core bounds (see _rulelist_cores.hpp and _core_bound)
    cdef bint make_cores
    cdef RLCores cores
    cdef RLCoreProblem core_problem       # the core being solved, as a problem of its own
    cdef vector[int32_t] core_here        # cores inside the state being expanded
    cdef vector[double] freq, score       # per group: times seen uncaptured; weight
    cdef vector[pair[double, int32_t]] pick
    cdef int n_groups, core_size
    cdef double core_share, core_alpha, n_freq
    cdef int64_t core_nodes, core_warmup, core_expanded, n_core_lifts

    # local search on new incumbents (_rulelist_polish.hpp), once polish_after states were
    # expanded (counted, so the search stays deterministic); 0 evaluations = off
    cdef RLPolish polish
    cdef bint dirty
    cdef int64_t polish_after, polish_evals

    cdef double best, seed_ub
    cdef vector[int32_t] incumbent
    cdef double lower
    cdef int status
    cdef int64_t n_lazy, n_first, n_expanded, n_evaluated, max_queue, n_deferred
    cdef double t0
    cdef double delta
    cdef vector[int64_t] expanded_by_length

    def __cinit__(self):
        self.best = INF

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

    cdef int _rule_pass(self, const uint64_t* U, double budget) noexcept nogil:
        """Rule pass on U (class counts in self.cU); returns how many rules are usable there."""
        return self.gains.run(&self.tb, U, self.cU.data(), self.caps, self.all_rules.data(),
                              <int>self.all_rules.size(), self.R, self.reg, self.tol, budget)

    cdef double _core_bound(self, const uint64_t* U, double eqU, double h,
                            double min_excess) noexcept nogil:
        """max(h, eqU + the largest excess of a core inside U); may first add a core from U.

        U is the state left by the prefix in self.chain. Also records the cores inside U
        with the largest excesses (self.core_here, at most CORES_HERE) for the children.
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
        cdef double ex = self.cores.contained(self.chain.data(), <int>self.chain.size(),
                                              self.core_here, CORES_HERE, min_excess)
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
        """Proven lower bound on c*(V) from a sub-search capped at core_nodes states.

        The sub-search runs on V as a problem of its own (RLCoreProblem: V's groups in one
        word, the rules' distinct captures on V): the same optimum, at a fraction of the cost
        of searching V inside the whole problem's sets.
        """
        cdef double left = -1.0
        cdef _RuleListSearch sub
        if self.time_limit > 0:
            left = self.time_limit - (gb_rl_now() - self.t0)
            if left <= 0:
                return -INF
        cdef int n_caps = self.core_problem.build(&self.tb, V, self.W, self.caps,
                                                  self.all_rules.data(),
                                                  <int>self.all_rules.size())
        try:
            sub = _new_search(self.core_problem.caps.data(), n_caps, 1,
                              &self.core_problem.root, self.core_problem.tb, self.C,
                              self.reg, self.tol, left, self.core_nodes, 0, self.delta,
                              self.blocked_ok, self.lazy, False, self.dominance,
                              self.mark_dominated)
        except MemoryError:
            return -INF
        # sub-searches compare siblings without table lookups: with them the cores were no
        # better
        sub.dom_slack = 0.0
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
        cdef double g = self.states.nodes[i].g
        cdef double deferred = INF
        cdef uint64_t* U = self.U.data()
        cdef uint64_t* U2 = self.U2.data()
        cdef const uint64_t* cap
        cdef double* row
        cdef double* cU = self.cU.data()
        cdef double* cc = self.cc.data()
        cdef double* errs = self.errs.data()
        cdef double* totS = self.gains.totS.data()
        cdef int32_t nv, k, r, p
        cdef int c, w
        cdef double ex, h_core, totU, eqU, h_own, tot2, maj2, top2, g2, obj2, eq2, h2, best_c, errS
        # Re-expansion of a deferred node (popped above g + h): its children below F were
        # all offered before (F is the smallest key left above the previous F + delta).
        cdef double offered = F if F > g + self.states.nodes[i].h else -INF
        if offered == -INF:
            self.n_first += 1
        self.states.nodes[i].key = -1.0     # closed
        self.n_expanded += 1
        self.states.uncaptured(i, U, self.chain)
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
            self.states.nodes[i].h = h_own      # cores alone lift it: no rule pass needed yet
            self.states.nodes[i].key = g + h_own
            self.states.queue.push(-(g + h_own), i)
            self.n_lazy += 1
            return 0
        nv = self._rule_pass(U, self.best - g)
        for c in range(self.C):
            errs[c] = totU - cU[c]
            self.first[c] = self.gains.ymax[c] if nv else INF
        if nv:
            h2 = self.gains.lookahead(errs, self.first.data(), eqU, self.reg)
            if h2 > h_own:
                h_own = h2
        else:
            h_own = INF
        if h_own > self.states.nodes[i].h:
            self.states.nodes[i].h = h_own
        if g + h_own >= self.best - self.tol:
            return 0
        if self.lazy and g + h_own > F + self.delta:
            # Lazy (as in lazy A*): the state's own bound puts it above this round; back into
            # the queue at that bound instead of evaluating children that would all wait.
            self.states.nodes[i].key = g + h_own
            self.states.queue.push(-(g + h_own), i)
            self.n_lazy += 1
            return 0
        self.siblings.built = False
        for k in range(nv):
            p = self.gains.viable[k]
            r = self.all_rules[p]
            row = self.gains.counts.data() + <int64_t>p * self.T
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
                self.first[c] = self.gains.ymax[c] + row[c]
                if self.first[c] > self.gains.xmax[c]:
                    self.first[c] = self.gains.xmax[c]
            h2 = self.gains.lookahead(errs, self.first.data(), eq2, self.reg)
            # the node's own bound covers every completion through this child (pathmax)
            if h_own - (g2 - g) > h2:
                h2 = h_own - (g2 - g)
            if g2 + h2 >= self.best - self.tol:
                continue
            cap = self.caps + <int64_t>r * self.W
            if self.core_here.size():
                # cores inside U that rule r does not touch stay inside the child's set
                ex = self.cores.disjoint(self.core_here, r)
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
            if self.dominance:
                # a sibling's state is at least as good (_rulelist_siblings.hpp); the table
                # remembers this one closed at this cost
                if not self.siblings.built:
                    self.siblings.build(self.gains.counts.data(), self.T, totS,
                                        self.gains.viable.data(), nv, self.all_rules.data())
                if self.siblings.dominated(r, row[self.C] - best_c, totS[p],
                                           totS[p] - row[self.C], g2, U, self.caps, self.W,
                                           1e-3 * self.tol, self.dom_slack, self.states):
                    self.n_dominated += 1
                    if self.mark_dominated:
                        for w in range(self.W):
                            U2[w] = U[w] & ~cap[w]
                        self.states.offer(i, r, g2, h2, U2, self.tol, False)
                    continue
            for w in range(self.W):
                U2[w] = U[w] & ~cap[w]
            self.states.offer(i, r, g2, h2, U2, self.tol, True)
        if deferred < self.best - self.tol:
            self.states.nodes[i].key = deferred
            self.states.queue.push(-deferred, i)
            self.n_deferred += 1
        if <int64_t>self.states.queue.size() > self.max_queue:
            self.max_queue = self.states.queue.size()
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
        cdef uint64_t hsh
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
        nv = self._rule_pass(self.root, INF)
        self.root_rules.clear()
        for c in range(nv):
            self.root_rules.push_back(self.all_rules[self.gains.viable[c]])
        self.all_rules.swap(self.root_rules)
        if self.blocked_ok and gb_rl_block_usable(&self.tb):
            gb_rl_block_prepare(&self.gains.blocked, self.caps, self.all_rules.data(),
                                <int>self.all_rules.size(), self.W)
            self.gains.start_blocked(<int>self.all_rules.size(), self.W)
        self.n_rules_used = nv
        if self.beam_width > 0 and gb_rl_beam(
                &self.tb, self.root, self.caps, self.all_rules.data(), <int>self.all_rules.size(),
                self.R, self.gains, self.reg, self.tol, self.beam_width, self.t0,
                self.time_limit, self.best, self.incumbent):
            self.dirty = True     # the beam found a cheaper list
        if self.seed_ub < self.best:
            self.best = self.seed_ub
        root.g = 0.0
        root.h = self.reg
        root.parent = -1
        root.rule = -1
        root.key = self.reg
        self.states.nodes.push_back(root)
        hsh = gb_rl_hash(self.root, self.W)
        self.states.table.slot[hsh & self.states.table.mask] = (hsh >> 32) << 32 | 1
        self.states.queue.push(-self.reg, 0)
        self.status = 0
        self.lower = INF
        while not self.states.queue.empty():
            f = -self.states.queue.top().first
            i = self.states.queue.top().second
            if f >= self.best - self.tol:
                break
            self.states.queue.pop()
            if f != self.states.nodes[i].key:
                continue     # expanded already, or a stale entry
            if self._out_of_time():
                self.status = 1
                self.lower = f
                break
            if <int64_t>self.states.nodes.size() + self.R > self.max_nodes:
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
                                 double delta, bint simd, bint lazy, bint reserve=True,
                                 bint dominance=True, bint mark_dominated=True):
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
    s.S.resize(W)
    s.all_rules.resize(R)
    for i in range(R):
        s.all_rules[i] = i
    s.gains.init(R, n_classes, W)
    s.cU.resize(s.T)
    s.cc.resize(s.T)
    s.errs.resize(s.T)
    s.first.resize(n_classes)
    s.states.init(s.root, caps, W)
    if dominance and R:
        s.siblings.init(caps, R, W)
    # storage sized once from the cap (see _rulelist_store.hpp): nothing is rehashed or
    # copied during the search
    cdef int64_t want = max_nodes + R + 1
    while s.states.table.init(want) != 0:     # a cap beyond this machine's memory: a smaller table
        if want <= 1024:
            raise MemoryError(f"cannot allocate the state table for max_prefixes={max_nodes}")
        want //= 2
    s.max_nodes = min(max_nodes, s.states.table.capacity - R - 1)
    # a core sub-search (small) grows its vectors as needed instead
    cdef int64_t cap = min(s.max_nodes + R + 1, 1 << 24 if reserve else 1024)
    s.states.nodes.reserve(cap)
    s.states.queue.reserve(cap + cap // 4)
    s.t0 = gb_rl_now()
    s.seed_ub = INF
    s.blocked_ok = simd
    s.beam_width = beam_width
    s.lazy = lazy
    s.delta = delta
    s.dominance = dominance
    s.mark_dominated = mark_dominated
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
           int64_t polish_evals=2000000, bint dominance=True, bint mark_dominated=True,
           double dom_slack=1.0):
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
        ``core_size`` (at most 64) groups of the expanded state with the largest weight *
        (fraction of sampled states that leave the group uncaptured) ** ``core_alpha`` are
        solved by a
        sub-search capped at ``core_nodes`` states; its proven bound lifts every state
        containing that core. Deterministic (counted in expansions, not seconds).

    dominance, mark_dominated, dom_slack :
        Sibling dominance (``_rulelist_siblings.hpp``): a child whose capture in U a
        sibling's strictly contains, at the same excess, is not searched; with ``dom_slack``
        > 0 also when the sibling's excess is up to ``dom_slack`` rules' cost larger but its
        state is stored with a prefix cheap enough (looked up in the state table).
        ``mark_dominated`` stores dominated children closed, so later prefixes reaching
        them at no lower cost are dropped. Same optimum (tested against brute force);
        on CORELS's COMPAS at lambda=0.001 it cut the expansions to certify 4x.

    polish_after, polish_evals :
        Local search on every new incumbent (insert, replace, delete or swap rules;
        ``_rulelist_polish.hpp``) once ``polish_after`` states were expanded (0: never), for
        at most ``polish_evals`` list evaluations in all. It only lowers the upper bound.

    Returns
    -------
    dict with ``rules`` (list of rule indices), ``objective`` and ``lower_bound`` (weight
    units), ``status`` and search statistics.
    """
    cdef int R = caps.shape[0]
    cdef int W = caps.shape[1] if R else root.shape[0]
    cdef RLTables tb = gb_rl_tables(W, integral, ent_bits, ent_word, ent_shift,
                                    table_entry_start, group_weight, n_classes)
    t0 = gb_rl_now()
    cdef _RuleListSearch s = _new_search(
        &caps[0, 0] if R else NULL, R, W, &root[0], tb, n_classes, reg, tol, time_limit,
        max_nodes, beam_width, delta_rules * reg, simd, lazy, True, dominance, mark_dominated)
    s.t0 = t0
    s.seed_ub = upper_bound
    s.dom_slack = dom_slack * reg
    if core_size > 64:
        raise ValueError(f"core_size must be at most 64 (one word per set), got {core_size}")
    if cores and core_size > 0 and R:
        s.make_cores = True
        s.n_groups = group_weight.shape[0]
        s.core_size = core_size
        s.core_share = core_share
        s.core_nodes = core_nodes
        s.core_alpha = core_alpha
        s.core_warmup = core_warmup
        s.cores.W = W
        s.cores.set_rules(&caps[0, 0], R)
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
        "n_cached": int(s.states.nodes.size()),
        "n_duplicates": s.states.n_duplicates,
        "n_reopened": s.states.n_reopened,
        "n_deferred": s.n_deferred,
        "n_first": s.n_first,
        "n_lazy": s.n_lazy,
        "n_cores": s.cores.size(),
        "core_expanded": s.core_expanded,
        "n_core_lifts": s.n_core_lifts,
        "n_dominated": s.n_dominated,
        "dom_lookups": s.siblings.n_lookups,
        "dom_found": s.siblings.n_found,
        "polish_evals": s.polish.n_evals,
        "max_queue": s.max_queue,
        "search_time": elapsed,
        "expanded_by_length": [int(v) for v in s.expanded_by_length],
    }

