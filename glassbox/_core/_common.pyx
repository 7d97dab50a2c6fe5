"""numpy twins of the C types declared in common.pxd."""
import numpy as np

from .common cimport X_BINNED_t, X_BINNED16_t, Y_t, G_H_t, BITSET_WORD_t, INDEX_t

X_BINNED_DTYPE = np.uint8      # <= 256 bins per feature
X_BINNED16_DTYPE = np.uint16   # more bins (up to 65,536)
Y_DTYPE = np.float64
G_H_DTYPE = np.float64
BITSET_WORD_DTYPE = np.uint64
INDEX_DTYPE = np.int64


def sizeof_types():
    """Byte size of each C typedef, for the test that pins the twins together."""
    return {
        "X_BINNED": sizeof(X_BINNED_t),
        "X_BINNED16": sizeof(X_BINNED16_t),
        "Y": sizeof(Y_t),
        "G_H": sizeof(G_H_t),
        "BITSET_WORD": sizeof(BITSET_WORD_t),
        "INDEX": sizeof(INDEX_t),
    }
