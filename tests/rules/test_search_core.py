"""The search kernel: the blocked (SIMD) rule pass against the portable one, storage limits."""
import numpy as np
import pytest

from glassbox._core._rulelist_search import search
from glassbox.rules._problem import group_rows, mine_candidates, pack_bits, weight_tables


def prepared(seed, n_classes, n=500, p=7, weights="unit"):
    rng = np.random.default_rng(seed)
    Xb = (rng.random((n, p)) < rng.uniform(0.2, 0.8, p)).astype(np.uint8)
    y = (Xb[:, 0] + Xb[:, 1] * Xb[:, 2] + (rng.random(n) < 0.3)) % n_classes
    w = np.ones(n) if weights == "unit" else rng.integers(1, 50, n).astype(float)
    groups = group_rows(Xb, y, w, n_classes)
    cand = mine_candidates(groups, 2, 0.01)
    tables = weight_tables(groups.class_weight)
    total = float(groups.class_weight.sum())
    root = pack_bits(np.ones(len(groups.rows), dtype=bool))
    return groups, cand, tables, total, root


def run(cand, tables, total, root, n_classes, reg, simd, max_nodes=2_000_000):
    return search(cand.captures, root, tables.integral, tables.ent_bits, tables.ent_word,
                  tables.ent_shift, tables.table_entry_start, tables.group_weight,
                  n_classes, reg * total, 1e-10 * total, -1.0, max_nodes, simd=simd)


@pytest.mark.parametrize("seed,n_classes,weights", [(0, 2, "unit"), (1, 3, "int"),
                                                    (2, 2, "int"), (3, 4, "unit")])
def test_blocked_rule_pass_gives_the_same_search(seed, n_classes, weights):
    groups, cand, tables, total, root = prepared(seed, n_classes, weights=weights)
    assert tables.integral and root.shape[0] >= 2          # several words per bitset
    assert cand.captures.shape[0] % 8 != 0                 # a partial last block
    a = run(cand, tables, total, root, n_classes, 0.015, simd=False)
    b = run(cand, tables, total, root, n_classes, 0.015, simd=True)
    a.pop("search_time"), b.pop("search_time")
    assert a == b
    assert a["status"] == "optimal"


def test_state_cap_is_honoured_and_bound_is_valid():
    groups, cand, tables, total, root = prepared(1, 3, weights="int")
    full = run(cand, tables, total, root, 3, 0.015, simd=True)
    capped = run(cand, tables, total, root, 3, 0.015, simd=True, max_nodes=2000)
    assert capped["status"] == "max_prefixes"
    assert capped["n_cached"] <= 2000
    assert capped["lower_bound"] <= full["objective"] + 1e-9 <= capped["objective"] + 1e-9
