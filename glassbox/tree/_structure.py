"""The fitted tree as plain numpy arrays, and routing rows through it.

``tree_`` is a structured array, one record per node in preorder (node 0 is the
root). A split node tests one binary column of the binarizer: rows where the
column is 1 (its condition holds) go to ``left``, the others to ``right``.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def node_dtype(n_outputs):
    """Record layout of ``tree_`` for ``n_outputs`` values per node."""
    return np.dtype([
        ("feature", np.int32),     # binary column tested, -1 for a leaf
        ("left", np.int32),        # child where the column is 1, -1 for a leaf
        ("right", np.int32),       # child where the column is 0, -1 for a leaf
        ("depth", np.int32),       # root = 0
        ("value", np.float64, (n_outputs,)),  # class frequencies, or the mean target
        ("support", np.float64),   # fraction of the training weight reaching the node
        ("n_samples", np.int64),   # training rows reaching the node
    ])


def node_depths(left, right):
    depth = np.zeros(len(left), dtype=np.int32)
    for i in range(len(left)):      # preorder: a parent comes before its children
        if left[i] >= 0:
            depth[left[i]] = depth[i] + 1
            depth[right[i]] = depth[i] + 1
    return depth


def route(tree, Xb):
    """Leaf index of every row of binary matrix ``Xb`` (one vectorised step per level)."""
    n = Xb.shape[0]
    node = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)
    feature, left, right = tree["feature"], tree["left"], tree["right"]
    for _ in range(int(tree["depth"].max()) if len(tree) else 0):
        f = feature[node]
        inner = f >= 0
        if not inner.any():
            break
        bit = Xb[rows, np.maximum(f, 0)] == 1
        node = np.where(inner, np.where(bit, left[node], right[node]), node)
    return node


def path_indicator(tree, Xb):
    """CSR matrix (n_rows, n_nodes): 1 where the row passes through the node."""
    n = Xb.shape[0]
    node = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)
    steps = [node]
    feature, left, right = tree["feature"], tree["left"], tree["right"]
    for _ in range(int(tree["depth"].max()) if len(tree) else 0):
        f = feature[node]
        inner = f >= 0
        bit = Xb[rows, np.maximum(f, 0)] == 1
        node = np.where(inner, np.where(bit, left[node], right[node]), -1)
        steps.append(node)
        keep = node >= 0
        rows, node = rows[keep], node[keep]
        steps[-1] = (rows, node)
    r = [np.arange(n)] + [s[0] for s in steps[1:]]
    c = [steps[0]] + [s[1] for s in steps[1:]]
    r, c = np.concatenate(r), np.concatenate(c)
    order = np.lexsort((c, r))
    data = np.ones(len(r), dtype=np.int64)
    return sp.csr_matrix((data[order], (r[order], c[order])), shape=(n, len(tree)))


def build_tree(feature, left, right, Xb, y, weight, n_outputs, classification, points=None,
               row_point=None):
    """Structured ``tree_`` with node values and supports from the training rows.

    ``y`` holds class indices in ``range(n_outputs)`` for classification (values
    become weighted class frequencies) or the target for regression
    (``n_outputs == 1``, values become weighted means). When the distinct rows
    ``points`` of ``Xb`` and the point of every row are given, the points are routed
    instead of the rows. Returns ``(tree, leaf_of_row)``.
    """
    n_nodes = len(feature)
    tree = np.zeros(n_nodes, dtype=node_dtype(n_outputs))
    tree["feature"], tree["left"], tree["right"] = feature, left, right
    tree["depth"] = node_depths(left, right)
    leaf = route(tree, Xb) if row_point is None else route(tree, points)[row_point]
    node_weight = np.bincount(leaf, weights=weight, minlength=n_nodes)
    count = np.bincount(leaf, minlength=n_nodes)
    if classification:
        sums = np.bincount(leaf * n_outputs + y, weights=weight,
                           minlength=n_nodes * n_outputs).reshape(n_nodes, n_outputs)
    else:
        sums = np.bincount(leaf, weights=y * weight, minlength=n_nodes)[:, None]
    for i in range(n_nodes - 1, -1, -1):   # children come after their parent in preorder
        if left[i] >= 0:
            node_weight[i] = node_weight[left[i]] + node_weight[right[i]]
            count[i] = count[left[i]] + count[right[i]]
            sums[i] = sums[left[i]] + sums[right[i]]
    with np.errstate(invalid="ignore", divide="ignore"):
        tree["value"] = np.where(node_weight[:, None] > 0, sums / node_weight[:, None], 0.0)
    tree["support"] = node_weight / weight.sum()
    tree["n_samples"] = count
    return tree, leaf


def leaf_literals(tree):
    """Per leaf (in preorder), its index and the (binary column, value) conjunction reaching it."""
    out = []

    def walk(i, path):
        if tree["feature"][i] < 0:
            out.append((i, list(path)))
            return
        f = int(tree["feature"][i])
        walk(int(tree["left"][i]), path + [(f, True)])
        walk(int(tree["right"][i]), path + [(f, False)])

    walk(0, [])
    return out
