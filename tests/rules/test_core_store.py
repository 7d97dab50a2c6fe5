"""The core store's rule-sliced scan (_rulelist_cores.hpp) against a brute-force scan."""
import numpy as np
import pytest

from glassbox._core._rulelist_search import _probe_cores
from glassbox.rules._problem import pack_bits, unpack_bits


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
