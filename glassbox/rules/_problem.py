"""The rule-list search problem: groups of identical rows, candidate rules, weight tables.

Rows with identical binary features fall under exactly the same rules, so the search works on
groups of identical rows ("equivalent points", CORELS §3.14) with per-class weights. Every set
of rows the search handles is a bitset over groups (``numpy.packbits(bitorder="little")``
viewed as uint64, the layout of ``glassbox/_core/_bitset.pxd``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._core._rulelist_mine import mine_rules


@dataclass
class Candidates:
    """Candidate rules mined from binary columns.

    Attributes
    ----------
    literal_column, literal_value : ndarray of shape (n_literals,)
        Mined literal k tests ``binary column literal_column[k] == literal_value[k]``.
    rule_literals : ndarray of shape (n_rules, max_card), int32
        Literal indices of each rule's conjunction, -1 padded.
    captures : ndarray of shape (n_rules, n_words), uint64
        Rows (groups) each rule captures.
    n_mined : int
        Rules mined before removing rules that capture the same groups as an earlier one.
    complete : bool
        False when mining ran out of time: the rules are then only a prefix of CORELS's order.
    """

    literal_column: np.ndarray
    literal_value: np.ndarray
    rule_literals: np.ndarray
    captures: np.ndarray
    n_mined: int
    complete: bool = True

    def conjunction(self, r):
        """Rule ``r`` as a list of (binary column, required value)."""
        return [(int(self.literal_column[k]), bool(self.literal_value[k]))
                for k in self.rule_literals[r] if k >= 0]


def pack_bits(mask):
    """Pack a boolean (..., n) array into uint64 words (bit i of word i // 64 is element i)."""
    mask = np.ascontiguousarray(mask, dtype=bool)
    n = mask.shape[-1]
    n_words = max((n + 63) // 64, 1)
    packed = np.packbits(mask, axis=-1, bitorder="little")
    pad = n_words * 8 - packed.shape[-1]
    if pad:
        packed = np.concatenate(
            [packed, np.zeros(packed.shape[:-1] + (pad,), dtype=np.uint8)], axis=-1)
    return np.ascontiguousarray(packed).view(np.uint64)


def unpack_bits(words, n):
    """Inverse of `pack_bits` for the first ``n`` elements."""
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=-1, bitorder="little")
    return bits[..., :n].astype(bool)


@dataclass
class Groups:
    """Identical binary rows merged, sorted by total weight (heaviest first).

    Attributes
    ----------
    rows : ndarray of shape (n_groups, n_binary), uint8
    class_weight : ndarray of shape (n_groups, n_classes)
    index : ndarray of shape (n_samples,)
        Group of every training row (-1 for rows of zero weight).
    """

    rows: np.ndarray
    class_weight: np.ndarray
    index: np.ndarray

    @property
    def weight(self):
        return self.class_weight.sum(axis=1)


def group_rows(Xb, y, sample_weight, n_classes):
    """Merge identical rows of the binary matrix ``Xb`` (rows of zero weight are dropped)."""
    keep = sample_weight > 0
    n = Xb.shape[0]
    index = np.full(n, -1, dtype=np.intp)
    packed = np.packbits(Xb[keep].astype(bool), axis=1) if Xb.shape[1] else np.zeros(
        (int(keep.sum()), 1), dtype=np.uint8)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))[:, 0]
    uniq, first, inv = np.unique(keys, return_index=True, return_inverse=True)
    cw = np.zeros((len(uniq), n_classes))
    np.add.at(cw, (inv, y[keep]), sample_weight[keep])
    # heaviest groups first (ties: first appearance), so weight bit planes are short prefixes
    order = np.lexsort((first, -cw.sum(axis=1)))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    index[keep] = rank[inv]
    rows = Xb[keep][first[order]].astype(np.uint8)
    return Groups(rows=rows, class_weight=cw[order], index=index)


def mine_candidates(groups, max_card, min_support, time_limit=None):
    """CORELS's candidate rules over the group matrix (identical captures kept once).

    ``time_limit`` (seconds, None = none) stops the mining early; see `Candidates.complete`.
    """
    gw = np.ascontiguousarray(groups.weight, dtype=np.float64)
    total = float(gw.sum())
    n_binary = groups.rows.shape[1]
    # CORELS order: every feature, then every negation
    truth = np.concatenate([groups.rows.T != 0, groups.rows.T == 0], axis=0)
    column = np.concatenate([np.arange(n_binary), np.arange(n_binary)]).astype(np.int32)
    value = np.concatenate([np.ones(n_binary, bool), np.zeros(n_binary, bool)])
    support = (truth @ gw) / total
    mined = support >= min_support
    lits = pack_bits(truth[mined])
    if lits.ndim == 1:
        lits = lits[None, :]
    lits = np.ascontiguousarray(lits.reshape(int(mined.sum()), -1))
    rule_literals, captures, complete = mine_rules(
        lits, np.ascontiguousarray(column[mined]), gw, total, int(max_card), float(min_support),
        -1.0 if time_limit is None else max(float(time_limit), 1e-6))
    n_mined = rule_literals.shape[0]
    if n_mined:
        keys = captures.view(np.dtype((np.void, captures.shape[1] * 8)))[:, 0]
        _, first = np.unique(keys, return_index=True)
        first.sort()
        rule_literals, captures = rule_literals[first], captures[first]
    return Candidates(
        literal_column=column[mined], literal_value=value[mined],
        rule_literals=np.ascontiguousarray(rule_literals),
        captures=np.ascontiguousarray(captures), n_mined=n_mined, complete=bool(complete))


@dataclass
class WeightTables:
    """Per-group weights the search sums over captured sets: each class, then the maximum.

    Integer weights are also given as bit planes (plane b of table t holds bit b of every
    group's weight), flattened to one entry per non-zero 64-bit word and grouped by table, so
    that the sum over a set S is sum_e popcount(S[word_e] & bits_e) << shift_e.
    """

    integral: bool
    group_weight: np.ndarray
    ent_bits: np.ndarray
    ent_word: np.ndarray
    ent_shift: np.ndarray
    table_entry_start: np.ndarray


def weight_tables(class_weight):
    """Bit planes when every weight is an integer (exact popcount sums), else float weights."""
    table = np.concatenate([class_weight, class_weight.max(axis=1, keepdims=True)], axis=1)
    table = np.ascontiguousarray(table, dtype=np.float64)
    n_tables = table.shape[1]
    integral = bool(np.all(table == np.round(table)) and table.sum() < 2.0 ** 52)
    bits, word, shift = [], [], []
    start = np.zeros(n_tables + 1, dtype=np.int64)
    if integral:
        values = table.astype(np.int64)
        for t in range(n_tables):
            v = values[:, t]
            n_t = 0
            for b in range(int(v.max()).bit_length() if v.size else 0):
                plane = pack_bits(((v >> b) & 1).astype(bool))
                nz = np.flatnonzero(plane)
                bits.append(plane[nz])
                word.append(nz)
                shift.append(np.full(len(nz), b))
                n_t += len(nz)
            start[t + 1] = start[t] + n_t

    def cat(parts, dtype):   # never empty: the kernel takes the address of element 0
        out = np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)
        return np.ascontiguousarray(out if len(out) else np.zeros(1, dtype))

    return WeightTables(
        integral=integral, group_weight=table, ent_bits=cat(bits, np.uint64),
        ent_word=cat(word, np.int32), ent_shift=cat(shift, np.int32), table_entry_start=start,
    )
