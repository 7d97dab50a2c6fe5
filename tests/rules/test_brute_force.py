"""The certified optimum against exhaustive enumeration on small random problems.

The brute force here shares no code with glassbox: it mines CORELS's candidate rules with
itertools and walks every ordered list of distinct rules depth-first, cutting a prefix only when
its own cost (errors of its rules + regularization * length) already reaches the best complete
list -- the trivially valid cut, since extending a prefix never lowers that cost -- or when the
same set of rows was already left uncaptured by a prefix at most as costly (its completions
are then the same lists). Rules that capture nothing new are skipped (they only add cost).
Rows are bits of Python integers.
"""
import itertools

import numpy as np
import pytest

from glassbox.rules import OptimalRuleListClassifier
from glassbox.rules._problem import group_rows, mine_candidates
from glassbox.rules._rule_list import objective


def naive_rules(Xb, weight, max_card, min_support):
    """CORELS's mining (pycorels ``mine_rules``) with weighted supports, as literal lists."""
    n, p = Xb.shape
    total = weight.sum()
    truth = [(Xb[:, j] == 1, (j, True)) for j in range(p)] + \
            [(Xb[:, j] == 0, (j, False)) for j in range(p)]
    lits = [(m, lit) for m, lit in truth if weight[m].sum() / total >= min_support]
    rules = [[lit] for m, lit in lits if weight[m].sum() / total <= 1 - min_support]
    for card in range(2, max_card + 1):
        for combo in itertools.combinations(range(len(lits)), card):
            if len({lits[i][1][0] for i in combo}) < card:   # a feature and its negation
                continue
            mask = np.logical_and.reduce([lits[i][0] for i in combo])
            s = weight[mask].sum() / total
            if min_support <= s <= 1 - min_support:
                rules.append([lits[i][1] for i in combo])
    return rules


def rule_masks(Xb, rules):
    """Rows each rule (a list of literals) captures, as bits of a Python integer."""
    out = []
    for r in rules:
        mask = np.logical_and.reduce([(Xb[:, k] == 1) == v for k, v in r])
        out.append(sum(1 << i for i in np.flatnonzero(mask)))
    return out


def best_list(caps, y, weight, n_classes, reg, rows):
    """Cheapest rule list over the rule captures ``caps`` on the rows set in ``rows``."""
    n = len(y)
    total = weight.sum()
    rows_of_class = [[i for i in range(n) if y[i] == c] for c in range(n_classes)]

    memo = {}

    def err(S):
        if S not in memo:
            cw = [sum(weight[i] for i in rows if S >> i & 1) for rows in rows_of_class]
            memo[S] = sum(cw) - max(cw)
        return memo[S]

    best = [err(rows) / total]
    seen = {}

    def walk(U, g):
        for cap in caps:
            S = U & cap
            if not S:
                continue
            g2 = g + reg + err(S) / total
            if g2 >= best[0]:
                continue
            rest = U & ~cap
            best[0] = min(best[0], g2 + err(rest) / total)
            if rest and seen.get(rest, np.inf) > g2:
                seen[rest] = g2
                walk(rest, g2)

    walk(rows, 0.0)
    return best[0]


def brute_force(Xb, y, weight, n_classes, reg, max_card, min_support):
    caps = rule_masks(Xb, naive_rules(Xb, weight, max_card, min_support))
    return best_list(caps, y, weight, n_classes, reg, (1 << len(y)) - 1)


def random_problem(seed, n_classes, weighted):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 41))
    p = int(rng.integers(2, 6))
    Xb = (rng.random((n, p)) < rng.uniform(0.2, 0.8, p)).astype(np.uint8)
    # labels that depend on the features, with noise
    score = Xb @ rng.normal(size=p) + rng.normal(scale=0.7, size=n)
    cuts = np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1])
    y = np.searchsorted(cuts, score)
    if weighted == "integer":
        w = rng.integers(1, 4, n).astype(float)
    elif weighted == "real":
        w = rng.uniform(0.1, 2.0, n)
    else:
        w = np.ones(n)
    return Xb, y, w


CASES = [
    (seed, n_classes, weighted, reg, max_card)
    for seed, (n_classes, weighted, reg, max_card) in enumerate(itertools.product(
        (2, 3), ("none", "integer", "real"), (0.03, 0.07), (1, 2)))
]


@pytest.mark.parametrize("seed,n_classes,weighted,reg,max_card", CASES)
def test_objective_is_the_true_optimum(seed, n_classes, weighted, reg, max_card):
    Xb, y, w = random_problem(seed, n_classes, weighted)
    min_support = 0.05
    truth = brute_force(Xb, y, w, n_classes, reg, max_card, min_support)
    model = OptimalRuleListClassifier(regularization=reg, max_card=max_card,
                                      min_support=min_support, time_limit=None)
    model.fit(Xb, y, sample_weight=w)
    assert model.optimality_gap_ == 0.0
    assert model.search_stats_["status"] == "optimal"
    assert model.objective_ == pytest.approx(truth, abs=1e-12)
    # the objective recomputed from the returned list's own predictions
    wrong = model.predict(Xb) != y
    recomputed = float(np.dot(w, wrong) / w.sum() + reg * model.n_rules_)
    assert recomputed == pytest.approx(model.objective_, abs=1e-12)
    assert model.lower_bound_ == model.objective_


@pytest.mark.parametrize("seed", range(6))
def test_mining_matches_corels_semantics(seed):
    rng = np.random.default_rng(100 + seed)
    Xb = (rng.random((40, 5)) < rng.uniform(0.05, 0.95, 5)).astype(np.uint8)
    w = rng.integers(1, 3, 40).astype(float)
    y = rng.integers(0, 2, 40)
    for max_card, min_support in [(1, 0.0), (2, 0.05), (3, 0.1)]:
        want = naive_rules(Xb, w, max_card, min_support)
        cand = mine_candidates(group_rows(Xb, y, w, 2), max_card, min_support)
        assert cand.n_mined == len(want)
        # every distinct capture is kept once, as its first (CORELS-order) rule
        seen = {}
        for r in want:
            key = np.logical_and.reduce([(Xb[:, k] == 1) == v for k, v in r]).tobytes()
            seen.setdefault(key, r)
        got = [cand.conjunction(r) for r in range(cand.captures.shape[0])]
        assert got == list(seen.values())


def test_objective_helper_matches_predictions():
    Xb, y, w = random_problem(7, 3, "real")
    model = OptimalRuleListClassifier(regularization=0.03, max_card=2, min_support=0.05,
                                      time_limit=None).fit(Xb, y, sample_weight=w)
    obj = objective(Xb, y, w, model.rule_conjunctions_, 0.03, 3)
    assert obj == pytest.approx(model.objective_, abs=1e-12)


# ------------------------------------------------------------------ core bounds
def eqmin_rows(Xb, y, weight, n_classes, rows):
    """Equivalent-points error of the rows set in ``rows``: identical rows share one label."""
    cw = {}
    for i in range(len(y)):
        if rows >> i & 1:
            cw.setdefault(Xb[i].tobytes(), np.zeros(n_classes))[y[i]] += weight[i]
    return sum(v.sum() - v.max() for v in cw.values())


@pytest.mark.parametrize("seed", range(8))
def test_core_lemma(seed):
    """c*(U) >= c*(V) + eqmin(U \\ V) for V inside U (the core bound's lemma), exhaustively."""
    n_classes = 2 + seed % 2
    Xb, y, w = random_problem(200 + seed, n_classes, ("none", "integer", "real")[seed % 3])
    caps = rule_masks(Xb, naive_rules(Xb, w, 2, 0.05))
    rng = np.random.default_rng(seed)
    n = len(y)
    for _ in range(6):
        in_u = rng.random(n) < 0.8
        in_v = in_u & (rng.random(n) < 0.5)
        U = sum(1 << i for i in np.flatnonzero(in_u))
        V = sum(1 << i for i in np.flatnonzero(in_v))
        cu = best_list(caps, y, w, n_classes, 0.03, U)
        cv = best_list(caps, y, w, n_classes, 0.03, V)
        eq_rest = eqmin_rows(Xb, y, w, n_classes, U & ~V) / w.sum()
        assert cu >= cv + eq_rest - 1e-12


def search_with_cores(Xb, y, w, n_classes, reg, max_card, core_size, core_nodes):
    """The core search with core bounds forced from the first expansion on."""
    out, total, _, _ = search_raw(Xb, y, w, n_classes, reg, max_card, beam_width=1,
                                  core_size=core_size, core_nodes=core_nodes, core_share=1e9,
                                  core_warmup=0, core_alpha=1.0)
    return out["objective"] / total, out


# lower regularization: longer lists, searches of tens to hundreds of states
CORE_CASES = [(seed, 2 + seed % 2, ("none", "integer", "real")[seed % 3], 0.015, 2)
              for seed in range(100, 112)]


def test_core_bounds_keep_the_optimum():
    """Core bounds made at every expansion (tiny cores, sub-searches cut short so that their
    partial lower bounds are used too) leave the certified optimum unchanged."""
    lifted = 0
    for seed, n_classes, weighted, reg, max_card in CASES + CORE_CASES:
        Xb, y, w = random_problem(seed, n_classes, weighted)
        truth = brute_force(Xb, y, w, n_classes, reg, max_card, 0.05)
        for core_size, core_nodes in [(3, 2), (6, 40), (12, 100_000)]:
            obj, out = search_with_cores(Xb, y, w, n_classes, reg, max_card, core_size,
                                         core_nodes)
            assert out["status"] == "optimal"
            assert obj == pytest.approx(truth, abs=1e-12), (seed, core_size, core_nodes)
            lifted += out["n_core_lifts"] > 0
    assert lifted >= 50     # cores really lifted states above their keys (in 64 of 108 fits)


# ------------------------------------------------------------------ incumbent polish
def search_raw(Xb, y, w, n_classes, reg, max_card, **kw):
    """The search on the mined rules; also returns the groups' class weights and captures."""
    from glassbox._core._rulelist_search import search
    from glassbox.rules._problem import pack_bits, unpack_bits, weight_tables

    groups = group_rows(Xb, y, w, n_classes)
    cand = mine_candidates(groups, max_card, 0.05)
    tables = weight_tables(groups.class_weight)
    total = float(groups.class_weight.sum())
    root = pack_bits(np.ones(len(groups.rows), dtype=bool))
    out = search(cand.captures, root, tables.integral, tables.ent_bits, tables.ent_word,
                 tables.ent_shift, tables.table_entry_start, tables.group_weight, n_classes,
                 reg * total, 1e-10 * total, -1.0, kw.pop("max_nodes", 1_000_000), **kw)
    caps = unpack_bits(cand.captures, len(groups.rows))
    return out, total, groups.class_weight, caps


def list_cost(rules, cw, caps, reg_w):
    """reg * rules + the errors of every part (majority label) and of the default."""
    left = np.ones(len(cw), dtype=bool)
    cost = reg_w * len(rules)
    for r in rules:
        part = cw[left & caps[r]].sum(axis=0)
        cost += part.sum() - part.max() if len(part) else 0.0
        left &= ~caps[r]
    rest = cw[left].sum(axis=0)
    return cost + rest.sum() - rest.max()


def test_polish_keeps_the_optimum_and_only_lowers_the_incumbent():
    """Local search on every new incumbent from the first expansion on: the certified
    optimum is unchanged; in searches stopped after a few states it returns lists at most
    as costly as without it (cheaper in many), whose cost recomputed here is the objective."""
    improved = 0
    for seed, n_classes, weighted, reg, max_card in CASES + CORE_CASES:
        Xb, y, w = random_problem(seed, n_classes, weighted)
        truth = brute_force(Xb, y, w, n_classes, reg, max_card, 0.05)
        out, total, _, _ = search_raw(Xb, y, w, n_classes, reg, max_card, polish_after=1,
                                      beam_width=1)
        assert out["status"] == "optimal"
        assert out["objective"] / total == pytest.approx(truth, abs=1e-12)
        R = len(mine_candidates(group_rows(Xb, y, w, n_classes), max_card, 0.05).captures)
        cut = dict(max_nodes=R + 3, beam_width=1, cores=False)
        plain, _, _, _ = search_raw(Xb, y, w, n_classes, reg, max_card, polish_after=0, **cut)
        polished, total, cw, caps = search_raw(Xb, y, w, n_classes, reg, max_card,
                                               polish_after=1, **cut)
        assert polished["objective"] <= plain["objective"] + 1e-9 * total
        assert list_cost(polished["rules"], cw, caps, reg * total) == pytest.approx(
            polished["objective"], abs=1e-9 * total)
        assert polished["objective"] / total >= truth - 1e-12
        improved += polished["objective"] < plain["objective"] - 1e-9 * total
    assert improved >= 8     # 11 of the 36 stopped searches


# ------------------------------------------------------------------ dominance
def prefix_states(caps, y, w, n_classes, reg, depth):
    """Every prefix of at most ``depth`` distinct rules: (uncaptured rows, prefix cost g)."""
    total = w.sum()
    n = len(y)

    def err(S):
        cw = [sum(w[i] for i in range(n) if S >> i & 1 and y[i] == c) for c in range(n_classes)]
        return sum(cw) - max(cw)

    out = [((1 << n) - 1, 0.0, ())]
    frontier = out[:]
    for _ in range(depth):
        nxt = []
        for U, g, used in frontier:
            for r, cap in enumerate(caps):
                if r in used or not U & cap:
                    continue
                nxt.append((U & ~cap, g + reg + err(U & cap) / total, used + (r,)))
        out += nxt
        frontier = nxt
    return out


@pytest.mark.parametrize("seed", range(6))
def test_dominance_lemma(seed):
    """A prefix leaving U1 inside U2 with s1 <= s2 (s = g + eqmin(U)) has a best completion
    at most as costly as the prefix leaving U2: what lets the search drop the second."""
    n_classes = 2 + seed % 2
    Xb, y, w = random_problem(300 + seed, n_classes, ("none", "integer", "real")[seed % 3])
    caps = rule_masks(Xb, naive_rules(Xb, w, 2, 0.05))
    reg = 0.02
    states = prefix_states(caps, y, w, n_classes, reg, 2)
    s = [g + eqmin_rows(Xb, y, w, n_classes, U) / w.sum() for U, g, _ in states]
    rng = np.random.default_rng(seed)
    checked = 0
    for a in rng.permutation(len(states))[:150]:
        U2, g2, _ = states[a]
        for b in rng.permutation(len(states))[:150]:
            U1, g1, _ = states[b]
            if U1 == U2 or U1 & ~U2 or s[b] > s[a]:
                continue
            best1 = g1 + best_list(caps, y, w, n_classes, reg, U1)
            best2 = g2 + best_list(caps, y, w, n_classes, reg, U2)
            assert best1 <= best2 + 1e-12
            checked += 1
    assert checked >= 5


def test_dominance_keeps_the_optimum():
    """Sibling dominance (alone, with stored states looked up, without marking dominated
    states) leaves the certified optimum unchanged; the search's own beam and local search
    are off so that the search alone must find it."""
    pruned = 0
    for seed, n_classes, weighted, reg, max_card in CASES + CORE_CASES:
        Xb, y, w = random_problem(seed, n_classes, weighted)
        truth = brute_force(Xb, y, w, n_classes, reg, max_card, 0.05)
        for kw in (dict(dominance=False), dict(dom_slack=0.0), dict(dom_slack=1.0),
                   dict(dom_slack=100.0, mark_dominated=False)):
            out, total, _, _ = search_raw(Xb, y, w, n_classes, reg, max_card, beam_width=1,
                                          polish_after=0, cores=False, **kw)
            assert out["status"] == "optimal"
            assert out["objective"] / total == pytest.approx(truth, abs=1e-12), (seed, kw)
            pruned += out["n_dominated"] > 0
    assert pruned >= 20
