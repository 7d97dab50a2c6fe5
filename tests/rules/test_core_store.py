"""The core store (_rulelist_cores.hpp): its rule-sliced scan against a brute-force scan, and
a core as a problem of its own against the same core inside the whole problem."""
import numpy as np
import pytest

from glassbox._core._rulelist_probes import _probe_core_problem, _probe_cores
from glassbox._core._rulelist_search import search
from glassbox.rules._problem import (group_rows, mine_candidates, pack_bits, unpack_bits,
                                     weight_tables)


@pytest.mark.parametrize("seed", [0, 1])
def test_sliced_scan_finds_the_cores_inside_each_state(seed):
    rng = np.random.default_rng(seed)
    n_groups, n_rules, n_cores = 150, 70, 3000     # 3 words per set, 2 per rule set
    caps = pack_bits(rng.random((n_rules, n_groups)) < 0.04)
    sizes = rng.integers(3, 9, n_cores)
    core_sets = np.zeros((n_cores, n_groups), bool)
    for k, m in enumerate(sizes):
        core_sets[k, rng.choice(n_groups, m, replace=False)] = True
    excess = rng.integers(1, 40, n_cores) / 8.0      # ties on purpose
    prefixes = [list(rng.choice(n_rules, rng.integers(0, 6), replace=False))
                for _ in range(300)]
    min_excess, max_here = 1.5, 12
    kept, out = _probe_cores(caps, pack_bits(core_sets), excess, prefixes, min_excess, max_here)
    kept = np.array(kept)
    assert 0 < kept.sum() < n_cores      # some cores are dominated on insertion
    stored = np.flatnonzero(kept)        # the store numbers the cores it keeps
    rule_sets = unpack_bits(caps, n_groups)
    ids = np.arange(n_cores)
    n_found = 0
    for prefix, (best, here, disjoint) in zip(prefixes, out):
        here = stored[here]
        U = ~rule_sets[prefix].any(axis=0)
        inside = kept & ~(core_sets & ~U).any(axis=1) & (excess >= min_excess)
        # the largest excess is never lost by dropping dominated cores
        every = ~(core_sets & ~U).any(axis=1) & (excess >= min_excess)
        truth = excess[every].max() if every.any() else 0.0
        assert best == truth
        want = np.sort(excess[inside])[::-1][:max_here]
        assert np.array_equal(excess[here], want)
        assert set(here) <= set(ids[inside])
        for r in range(n_rules):
            free = [c for c in here if not (core_sets[c] & rule_sets[r]).any()]
            assert disjoint[r] == (excess[free[0]] if free else 0.0)
        n_found += len(here) > 0
    assert n_found > 100


@pytest.mark.parametrize("seed,n_classes,weights", [(0, 2, "unit"), (1, 3, "int"),
                                                    (2, 2, "float")])
def test_core_as_its_own_problem_has_the_same_optimum(seed, n_classes, weights):
    """A core's sub-search runs on the core alone (its groups in one word, the rules'
    distinct captures on it): same optimum as searching the core inside the whole problem."""
    rng = np.random.default_rng(seed)
    n, p = 600, 8
    Xb = (rng.random((n, p)) < rng.uniform(0.2, 0.8, p)).astype(np.uint8)
    y = (Xb[:, 0] + Xb[:, 1] * Xb[:, 2] + (rng.random(n) < 0.3)) % n_classes
    w = {"unit": np.ones(n), "int": rng.integers(1, 9, n).astype(float),
         "float": rng.uniform(0.5, 3.0, n)}[weights]
    groups = group_rows(Xb, y, w, n_classes)
    cand = mine_candidates(groups, 2, 0.01)
    tb = weight_tables(groups.class_weight)
    n_groups = len(groups.rows)
    total = float(groups.class_weight.sum())
    assert n_groups > 64 and tb.integral == (weights != "float")
    checked = 0
    for trial in range(6):
        V = np.zeros(n_groups, bool)
        V[rng.choice(n_groups, int(rng.integers(5, 41)), replace=False)] = True
        caps_c, root_c, integral, bits, word, shift, start, gw = _probe_core_problem(
            cand.captures, pack_bits(V), tb.integral, tb.ent_bits, tb.ent_word, tb.ent_shift,
            tb.table_entry_start, tb.group_weight, n_classes)
        local = np.flatnonzero(V)
        # the captures: every rule's capture on V (but none and all of V), each once
        rule_sets = unpack_bits(cand.captures, n_groups)[:, local]
        want = {int(pack_bits(r)[0]) for r in rule_sets if 0 < r.sum() < len(local)}
        assert sorted(want) == caps_c and root_c == (1 << len(local)) - 1
        assert np.array_equal(np.reshape(gw, (len(local), -1)), tb.group_weight[local])
        for reg in (0.01, 0.03):
            args = (n_classes, reg * total, 1e-10 * total, -1.0, 200_000)
            whole = search(cand.captures, pack_bits(V), tb.integral, tb.ent_bits, tb.ent_word,
                           tb.ent_shift, tb.table_entry_start, tb.group_weight, *args)
            alone = search(np.array(caps_c, np.uint64).reshape(-1, 1),
                           np.array([root_c], np.uint64), integral,
                           np.array(bits, np.uint64), np.array(word, np.int32),
                           np.array(shift, np.int32), np.array(start, np.int64),
                           np.reshape(np.array(gw), (len(local), -1)), *args)
            assert whole["status"] == alone["status"] == "optimal"
            assert alone["objective"] == pytest.approx(whole["objective"], rel=1e-12)
            checked += 1
    assert checked == 12
