"""The nogil kernel against its naive numpy twin, and thread-count independence."""
import numpy as np
import pytest

from glassbox._core._explain_shap import leaf_pair_weights
from glassbox.explain import DecisionLeaves
from glassbox.explain._shapley import _LeafFeatureTable


def leaf_pair_weights_naive(table, sat_x, sat_bg, w):
    """Dense numpy twin: (rows × background × pairs) arrays, one leaf sum by matrix product."""
    sx, sb = sat_x[:, None, :].astype(bool), sat_bg[None, :, :].astype(bool)
    in_p, in_n, neither = sx & ~sb, sb & ~sx, ~(sx | sb)
    to_leaf = table.pair_to_leaf
    count_p = (in_p.astype(float) @ to_leaf).astype(np.intp)
    count_n = (in_n.astype(float) @ to_leaf).astype(np.intp)
    blocked = (neither.astype(float) @ to_leaf) > 0
    c_pos = np.where(blocked, 0.0, table.coef_pos[count_p, count_n])
    c_neg = np.where(blocked, 0.0, table.coef_neg[count_p, count_n])
    leaf = table.pair_leaf
    per_pair = in_p * c_pos[:, :, leaf] - in_n * c_neg[:, :, leaf]
    return np.einsum("rmq,m->rq", per_pair, w)


def _random_leaves(rng, n_binary, n_leaves):
    """Random conjunctions (not a partition: the kernel does not need one)."""
    literals = []
    for _ in range(n_leaves):
        cols = rng.choice(n_binary, size=rng.integers(0, min(5, n_binary) + 1), replace=False)
        literals.append([(int(k), bool(rng.integers(0, 2))) for k in cols])
    return DecisionLeaves(literals, rng.normal(size=(n_leaves, 2)), np.full(n_leaves, 1 / n_leaves),
                          np.full(n_leaves, 0.5), rng.integers(0, 4, n_binary))


@pytest.mark.parametrize("seed", range(5))
def test_kernel_matches_naive_twin(seed):
    rng = np.random.default_rng(seed)
    leaves = _random_leaves(rng, n_binary=9, n_leaves=12)
    table = _LeafFeatureTable(leaves)
    X = rng.integers(0, 2, (30, 9), dtype=np.uint8)
    B = rng.integers(0, 2, (17, 9), dtype=np.uint8)
    w = rng.uniform(0, 1, 17)
    w[3] = 0.0
    w /= w.sum()
    sat_x = np.ascontiguousarray(table.satisfied(X), dtype=np.uint8)
    sat_b = np.ascontiguousarray(table.satisfied(B), dtype=np.uint8)
    expected = leaf_pair_weights_naive(table, sat_x, sat_b, w)
    patterns = table.background_patterns(sat_b, w)
    assert len(patterns[1]) < len(leaves.literals) * len(B)  # equal patterns were merged
    for n_threads in (1, 2):
        out = np.zeros_like(expected)
        leaf_pair_weights(sat_x, *patterns[:2], table.leaf_start, *patterns[2:], table.coef_pos,
                          table.coef_neg, out, n_threads)
        np.testing.assert_allclose(out, expected, rtol=0, atol=1e-14)
