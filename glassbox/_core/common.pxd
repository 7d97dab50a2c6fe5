# Shared C types of the glassbox kernels. Python twins of the dtypes live in
# glassbox/_core/_common.pyx (a test checks that the two agree).
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t

ctypedef uint8_t X_BINNED_t        # bin codes when every feature has <= 256 bins
ctypedef uint16_t X_BINNED16_t     # bin codes otherwise
ctypedef double Y_t                # targets, scores, weights
ctypedef double G_H_t              # gradients and hessians (float64: sums over 1e6 rows stay exact enough)
ctypedef uint64_t BITSET_WORD_t    # one word of a sample or feature bitset
ctypedef int64_t INDEX_t

ctypedef fused BINNED_t:           # kernels accept either code width
    uint8_t
    uint16_t
