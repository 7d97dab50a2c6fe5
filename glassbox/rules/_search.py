"""Run the certified rule-list search on a 0/1 matrix (mining, tables, branch and bound)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .._core._rulelist_search import search
from ._problem import group_rows, mine_candidates, pack_bits, weight_tables

# Comparisons against the incumbent allow this relative slack (objective units), so that sums
# of the same weights taken in different orders never decide a prune.
REL_TOL = 1e-10


@dataclass
class SearchResult:
    """Best rule list found and its certificate.

    Attributes
    ----------
    conjunctions : list of list of (int, bool)
        The rules, in order, as literals on the binary columns.
    objective : float
        Objective of the list according to the search (normalised by the total weight).
    lower_bound : float
        Proven lower bound on the objective of every rule list over the candidate rules.
    status : {"optimal", "time_limit", "max_prefixes"}
    stats : dict
        Search statistics.
    """

    conjunctions: list
    objective: float
    lower_bound: float
    status: str
    stats: dict = field(default_factory=dict)


def run_search(Xb, y, weight, *, n_classes, regularization, max_card, min_support,
               time_limit=None, max_prefixes=10_000_000, started=None):
    """Optimal rule list over the candidate rules mined from ``Xb``.

    Parameters
    ----------
    Xb : ndarray of shape (n_samples, n_binary), uint8
    y : ndarray of shape (n_samples,), int
        Class indices.
    weight : ndarray of shape (n_samples,)
    n_classes : int
    regularization : float
        Cost of each rule (objective units).
    max_card, min_support : CORELS's mining parameters.
    time_limit : float or None
        Wall-clock seconds for the whole call (mining included); None = no limit.
    max_prefixes : int
        Cap on cached prefixes (search states).
    started : float or None
        ``time.perf_counter()`` value the time limit counts from (default: now), so that a
        caller's own preparation (validation, binarization) is included.

    Returns
    -------
    SearchResult
    """
    t0 = time.perf_counter()
    started = t0 if started is None else started

    def remaining():
        return None if time_limit is None else float(time_limit) - (time.perf_counter() - started)

    groups = group_rows(Xb, y, weight, n_classes)
    cand = mine_candidates(groups, max_card, min_support, remaining())
    tables = weight_tables(groups.class_weight)
    total = float(groups.class_weight.sum())
    root = pack_bits(np.ones(len(groups.rows), dtype=bool))
    W = root.shape[0]
    caps = cand.captures if cand.captures.shape[0] else np.zeros((0, W), dtype=np.uint64)
    left = -1.0 if time_limit is None else max(remaining(), 1e-6)
    out = search(
        np.ascontiguousarray(caps), root, tables.integral, tables.ent_bits, tables.ent_word,
        tables.ent_shift, tables.table_entry_start, tables.group_weight, int(n_classes), float(regularization) * total, REL_TOL * total,
        left, int(max_prefixes),
    )
    lower = float(out["lower_bound"]) / total
    status = out["status"]
    if not cand.complete:
        # out of time while mining: the search saw only some candidates, so its bound does
        # not hold for the others; equivalent points still bound every list
        eq = float((groups.class_weight.sum(axis=1) - groups.class_weight.max(axis=1)).sum())
        lower = min(eq / total, float(out["objective"]) / total)
        status = "time_limit"
    stats = {
        "n_groups": int(len(groups.rows)),
        "n_literals": int(len(cand.literal_column)),
        "n_rules_mined": int(cand.n_mined),
        "mining_complete": bool(cand.complete),
        "n_rules_distinct": int(cand.captures.shape[0]),
        "n_rules_usable": int(out["n_rules_usable"]),
        "n_expanded": int(out["n_expanded"]),
        "n_evaluated": int(out["n_evaluated"]),
        "n_cached": int(out["n_cached"]),
        "n_duplicates": int(out["n_duplicates"]),
        "n_reopened": int(out["n_reopened"]),
        "max_queue": int(out["max_queue"]),
        "n_lazy": int(out["n_lazy"]),
        "n_cores": int(out["n_cores"]),
        "core_expanded": int(out["core_expanded"]),
        "n_core_lifts": int(out["n_core_lifts"]),
        "n_dominated": int(out["n_dominated"]),
        "expanded_by_length": list(out["expanded_by_length"]),
        "search_time": float(out["search_time"]),
        "fit_search_time": time.perf_counter() - t0,
    }
    return SearchResult(
        conjunctions=[cand.conjunction(r) for r in out["rules"]],
        objective=float(out["objective"]) / total,
        lower_bound=lower,
        status=status,
        stats=stats,
    )
