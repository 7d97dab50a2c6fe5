# distutils: language = c++
# distutils: depends = _ebm_boost.hpp _ebm_booster.hpp _ebm_pass.hpp _ebm_row_blocks.hpp _ebm_split.hpp _ebm_objectives.hpp _ebm_fast.hpp
"""Boost one outer bag of an Explainable Boosting Machine, and the kernels it is made of.

``boost_bag`` runs every smoothing, cyclic and greedy round of one bag, for every term, with
early stopping, inside one nogil C++ call (``_ebm_boost.hpp``, the loop; the bag's state and
term updates in ``_ebm_booster.hpp``, its passes over the rows in ``_ebm_pass.hpp``, row blocks
and threads in ``_ebm_row_blocks.hpp``; split search in ``_ebm_split.hpp``).
``interaction_strengths`` ranks candidate pairs with FAST. The small
``split_1d`` / ``split_2d`` / ``fast_strength`` wrappers exist so tests can compare the split
search with brute force.
"""
from libc.stdint cimport uint8_t, uint16_t, uint64_t, int64_t
from libcpp.vector cimport vector

import numpy as np

from .common cimport BINNED_t

cdef extern from "_ebm_boost.hpp" namespace "gbebm":
    cdef cppclass Rng:
        Rng(uint64_t) nogil

    cdef struct SplitParams:
        int n_scores
        double learning_rate
        int max_leaves
        double min_samples_leaf
        double min_hessian
        double reg_alpha
        double reg_lambda
        double max_delta_step
        double min_cat_samples
        double cat_smooth
        int missing

    cdef struct BoostParams:
        SplitParams split
        int objective
        double obj_param
        double gain_scale
        double greedy_ratio
        double cyclic_progress
        int smoothing_rounds
        int64_t max_rounds
        int early_stopping_rounds
        double early_stopping_tolerance
        int greedy_batch
        int n_threads
        int share_threads
        int inner_bags
        int (*step_callback)(void*, int64_t, int, double) noexcept nogil
        void* callback_ctx

    cdef struct TermSpec:
        int n_dims
        int feat[2]
        int nb[2]
        int n_cells
        bint nominal
        int monotone

    cdef struct BagResult:
        int64_t n_steps
        double best_metric

    cdef cppclass Split1DWork:
        Split1DWork() nogil

    cdef cppclass Split2DWork:
        Split2DWork() nogil

    BagResult run_bag_codes(bint, const BoostParams&, const vector[TermSpec]&, const void*, int64_t,
                            const void*, int64_t, const double*, const double*, const double*, const double*,
                            double*, double*, uint64_t, vector[vector[double]]&) except + nogil

    void interaction_strengths_codes(bint, const SplitParams&, int, double, const void*, int64_t,
                                     const double*, const double*, const double*, const int*, int, const int*,
                                     double*) except + nogil

    double split_1d(int, const double*, const double*, const double*, bint, int, bint, const SplitParams&,
                    Rng&, Split1DWork&, double*) except + nogil
    double split_2d(int, int, const double*, const double*, const double*, bint, const SplitParams&, Rng&,
                    Split2DWork&, double*) except + nogil
    double fast_strength(int, int, const double*, const double*, const double*, const SplitParams&,
                         Split2DWork&) except + nogil


OBJECTIVES = {"log_loss": 0, "multiclass": 1, "rmse": 2, "poisson_deviance": 3, "tweedie_deviance": 4,
              "gamma_deviance": 5, "quantile": 6}


MISSING_MODES = {"separate": 0, "low": 1, "high": 2, "gain": 3}


cdef SplitParams _split_params(dict p) except *:
    cdef SplitParams sp
    sp.n_scores = int(p["n_scores"])
    sp.learning_rate = float(p["learning_rate"])
    sp.max_leaves = int(p["max_leaves"])
    sp.min_samples_leaf = float(p["min_samples_leaf"])
    sp.min_hessian = float(p["min_hessian"])
    sp.reg_alpha = float(p["reg_alpha"])
    sp.reg_lambda = float(p["reg_lambda"])
    sp.max_delta_step = float(p["max_delta_step"])
    sp.min_cat_samples = float(p["min_cat_samples"])
    sp.cat_smooth = float(p["cat_smooth"])
    sp.missing = MISSING_MODES[p.get("missing", "separate")]
    return sp


cdef BoostParams _boost_params(dict p) except *:
    cdef BoostParams bp
    bp.split = _split_params(p)
    bp.objective = OBJECTIVES[p["objective"]]
    bp.obj_param = float(p.get("obj_param", 0.0))
    bp.gain_scale = float(p["gain_scale"])
    bp.greedy_ratio = float(p["greedy_ratio"])
    bp.cyclic_progress = float(p["cyclic_progress"])
    bp.smoothing_rounds = int(p["smoothing_rounds"])
    bp.max_rounds = int(p["max_rounds"])
    bp.early_stopping_rounds = int(p["early_stopping_rounds"])
    bp.early_stopping_tolerance = float(p["early_stopping_tolerance"])
    bp.greedy_batch = int(p.get("greedy_batch", 1))
    bp.n_threads = max(1, int(p.get("n_threads", 1)))
    bp.share_threads = 1 if p.get("share_threads", False) else 0
    bp.inner_bags = int(p.get("inner_bags", 0))
    bp.step_callback = NULL
    bp.callback_ctx = NULL
    return bp


cdef int _step_callback(void* ctx, int64_t step, int progress, double metric) noexcept nogil:
    """Call the Python step callback (``ctx`` is a list [callable, error]); stop on True or error."""
    with gil:
        box = <list>ctx
        try:
            return 1 if box[0](int(step), bool(progress), float(metric)) else 0
        except BaseException as exc:  # re-raised by boost_bag once the bag has stopped
            box[1] = exc
            return 1


def boost_bag(dict params,
              const int[:, ::1] term_features,   # IN (n_terms, 2): feature rows of `codes`, -1 = none
              const int[::1] n_bins,             # IN (n_features,): cells per feature
              const signed char[::1] nominal,    # IN (n_features,)
              const signed char[::1] monotone,   # IN (n_features,)
              const BINNED_t[:, ::1] codes_tr,   # IN (n_features, n_tr)
              const BINNED_t[:, ::1] codes_val,  # IN (n_features, n_val)
              const double[::1] y_tr, const double[::1] w_tr,
              const double[::1] y_val, const double[::1] w_val,
              double[:, ::1] scores_tr,          # IN (n_tr, K): initial scores (used as scratch)
              double[:, ::1] scores_val,         # IN (n_val, K): initial scores (used as scratch)
              uint64_t seed):
    """Boost one bag; return (list of flat term tensors (n_cells * K,), n_steps, best_metric)."""
    cdef BoostParams bp = _boost_params(params)
    cdef vector[TermSpec] terms
    cdef TermSpec ts
    cdef int t, d, f
    cdef int64_t n_tr = codes_tr.shape[1], n_val = codes_val.shape[1]
    if bp.split.n_scores < 1 or bp.split.n_scores > 64:
        raise ValueError("between 1 and 64 scores per term are supported")
    if scores_tr.shape[0] != n_tr or scores_tr.shape[1] != bp.split.n_scores:
        raise ValueError("scores_tr has the wrong shape")
    if scores_val.shape[0] != n_val or scores_val.shape[1] != bp.split.n_scores:
        raise ValueError("scores_val has the wrong shape")
    if y_tr.shape[0] != n_tr or w_tr.shape[0] != n_tr or y_val.shape[0] != n_val or w_val.shape[0] != n_val:
        raise ValueError("y / w lengths do not match the codes")
    for t in range(term_features.shape[0]):
        ts.n_dims = 2 if term_features[t, 1] >= 0 else 1
        ts.n_cells = 1
        ts.nominal = False
        ts.monotone = 0
        ts.feat[1] = -1
        ts.nb[1] = 1
        for d in range(ts.n_dims):
            f = term_features[t, d]
            if f < 0 or f >= codes_tr.shape[0]:
                raise ValueError("term feature out of range")
            ts.feat[d] = f
            ts.nb[d] = n_bins[f]
            ts.n_cells *= n_bins[f]
        if ts.n_dims == 1:
            ts.nominal = nominal[ts.feat[0]] != 0
            ts.monotone = monotone[ts.feat[0]]
        terms.push_back(ts)
    cdef vector[vector[double]] model
    cdef BagResult res
    cdef bint wide = BINNED_t is uint16_t
    cdef const void* ptr_val = <const void*>&codes_val[0, 0] if n_val > 0 else NULL
    cdef const double* py_val = &y_val[0] if n_val > 0 else NULL
    cdef const double* pw_val = &w_val[0] if n_val > 0 else NULL
    cdef double* ps_val = &scores_val[0, 0] if n_val > 0 else NULL
    cdef list callback_box = None
    if params.get("step_callback") is not None:
        callback_box = [params["step_callback"], None]
        bp.step_callback = _step_callback
        bp.callback_ctx = <void*>callback_box
    with nogil:
        res = run_bag_codes(wide, bp, terms, <const void*>&codes_tr[0, 0], n_tr, ptr_val, n_val, &y_tr[0], &w_tr[0], py_val,
                                pw_val, &scores_tr[0, 0], ps_val, seed, model)
    if callback_box is not None and callback_box[1] is not None:
        raise callback_box[1]
    tensors = [np.asarray(<double[:model[t].size()]> model[t].data()).copy() if model[t].size() > 0
               else np.zeros(0) for t in range(<int>model.size())]
    return tensors, int(res.n_steps), float(res.best_metric)


def pair_strengths(dict params,
                   const BINNED_t[:, ::1] codes,   # IN (n_features, n)
                   const double[::1] y, const double[::1] w,
                   const double[:, ::1] scores,    # IN (n, K)
                   const int[:, ::1] pairs,        # IN (n_pairs, 2)
                   const int[::1] n_bins):
    """FAST strength of every candidate pair on one bag's training rows."""
    cdef SplitParams sp = _split_params(params)
    cdef int obj = OBJECTIVES[params["objective"]]
    cdef double q = float(params.get("obj_param", 0.0))
    cdef int n_pairs = pairs.shape[0]
    out = np.zeros(n_pairs)
    cdef double[::1] o = out
    if n_pairs == 0:
        return out
    if scores.shape[0] != codes.shape[1] or scores.shape[1] != sp.n_scores:
        raise ValueError("scores has the wrong shape")
    cdef bint wide = BINNED_t is uint16_t
    with nogil:
        interaction_strengths_codes(wide, sp, obj, q, <const void*>&codes[0, 0], codes.shape[1], &y[0], &w[0], &scores[0, 0],
                                        &pairs[0, 0], n_pairs, &n_bins[0], &o[0])
    return out


def split_1d_update(dict params, const double[:, ::1] G, const double[:, ::1] H, const double[::1] count,
                    bint nominal=False, int monotone=0, bint random_splits=False, uint64_t seed=0):
    """Update (n_bins, K) and gain of one 1-D term from its histogram (test hook)."""
    cdef SplitParams sp = _split_params(params)
    cdef Rng* rng = new Rng(seed)
    cdef Split1DWork work
    upd = np.zeros((G.shape[0], sp.n_scores))
    cdef double[:, ::1] u = upd
    cdef double gain
    try:
        gain = split_1d(G.shape[0], &G[0, 0], &H[0, 0], &count[0], nominal, monotone, random_splits, sp, rng[0],
                        work, &u[0, 0])
    finally:
        del rng
    return upd, gain


def split_2d_update(dict params, const double[:, :, ::1] G, const double[:, :, ::1] H, const double[:, ::1] count,
                    bint random_splits=False, uint64_t seed=0):
    """Update (na, nb, K) and gain of one pair term from its histogram (test hook)."""
    cdef SplitParams sp = _split_params(params)
    cdef Rng* rng = new Rng(seed)
    cdef Split2DWork work
    upd = np.zeros((G.shape[0], G.shape[1], sp.n_scores))
    cdef double[:, :, ::1] u = upd
    cdef double gain
    try:
        gain = split_2d(G.shape[0], G.shape[1], &G[0, 0, 0], &H[0, 0, 0], &count[0, 0], random_splits, sp,
                        rng[0], work, &u[0, 0, 0])
    finally:
        del rng
    return upd, gain


def fast_pair_strength(dict params, const double[:, :, ::1] G, const double[:, :, ::1] H,
                       const double[:, ::1] count):
    """FAST strength of one pair from its 2-D histogram (test hook)."""
    cdef SplitParams sp = _split_params(params)
    cdef Split2DWork work
    return fast_strength(G.shape[0], G.shape[1], &G[0, 0, 0], &H[0, 0, 0], &count[0, 0], sp, work)
