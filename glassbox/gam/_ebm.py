"""Explainable Boosting Machines: a faster, drop-in version of interpret's EBM.

``ExplainableBoostingClassifier`` (binary and multiclass softmax) and
``ExplainableBoostingRegressor`` fit a generalized additive model with pairwise interactions,
``g(E[y]) = intercept + sum_i f_i(x_i) + sum_ij f_ij(x_i, x_j)``, by cyclic/greedy gradient
boosting of small per-term trees over binned features, bagged over ``outer_bags`` random
train/validation splits. Parameters, defaults and fitted attributes follow interpret 0.7.8;
``docs/ebm.md`` lists where glassbox differs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from .._core._ebm_predict import gather_term_scores
from .._core._openmp import effective_n_threads
from .._validation import (
    TabularInputMixin,
    infer_feature_types,
    validate_sample_weight,
    validate_target,
    validate_X,
)
from ..preprocessing import FeatureBinner
from . import _boosting as B
from ._params import (
    check_params,
    check_target_for_objective,
    parse_exclude,
    parse_interactions,
    parse_monotone,
    parse_objective,
)
from ._editing import EBMEditingMixin
from ._postprocess import average_bags, center_bags, coarse_cell_map, refit_intercept, term_bin_weights

_PREDICT_CHUNK = 1 << 16  # rows per block in decision_function: bounds memory, keeps sums exact


class _EBMBase(EBMEditingMixin, TabularInputMixin, BaseEstimator):
    """Shared fitting, scoring and explanation code of both EBM estimators."""

    _classification = False

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None):
        """Fit the EBM.

        Parameters
        ----------
        X : DataFrame, ndarray or list of rows, shape (n_samples, n_features)
            Missing values (NaN, None, pd.NA) are modelled in their own bin.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        cyclic_progress = check_params(self)
        callback = None if self.callback is None else B.StepCallback(self.callback)
        if self.missing not in ("separate", "low", "high", "gain"):
            raise ValueError(f"missing must be 'separate', 'low', 'high' or 'gain', got {self.missing!r}.")
        df = self._frame(X, reset=True)
        n = len(df)
        task = "classification" if self._classification else "regression"
        y_enc, classes = validate_target(y, n, task=task)
        w = validate_sample_weight(sample_weight, n)
        if not np.any(w > 0):
            raise ValueError("sample_weight: every weight is zero; at least one must be positive.")
        names = self.feature_names_
        types = infer_feature_types(df, self.feature_types)
        self.feature_types_in_ = list(types)

        if self._classification:
            self.classes_ = classes
            n_classes = len(classes)
            core, param, link = parse_objective(self.objective, classification=True, n_classes=n_classes)
            K = n_classes if n_classes > 2 else 1
            if n_classes > 64:
                raise ValueError(f"y has {n_classes} classes; at most 64 are supported.")
            y_num = np.asarray(y_enc, dtype=np.float64)
        else:
            core, param, link = parse_objective(self.objective, classification=False)
            K = 1
            y_num = np.asarray(y_enc, dtype=np.float64)
            check_target_for_objective(y_num, core)
        self.link_ = link
        self.link_param_ = np.nan
        exclude_mains, excluded = parse_exclude(self.exclude, names)
        kind, inter = parse_interactions(self.interactions, names)
        monotone = parse_monotone(self.monotone_constraints, names, types)
        if K > 1 and np.any(monotone != 0):
            raise ValueError(
                f"monotone_constraints are not supported for multiclass targets ({K} classes): "
                "a constraint on one class's logit does not make any probability monotone."
            )
        nominal = np.array([t == "nominal" for t in types], dtype=np.int8)

        # binning: mains with max_bins cells, pairs with max_interaction_bins cells (missing and
        # unseen cells included, as interpret counts them)
        self._binner_main = FeatureBinner(max_bins=max(2, self.max_bins - 2), feature_types=types)
        codes = self._binner_main.fit_transform(df, sample_weight=w)
        n_bins = self._binner_main.n_bins_.astype(np.int32)

        params = dict(
            n_scores=K, learning_rate=float(self.learning_rate), max_leaves=int(self.max_leaves),
            min_samples_leaf=float(self.min_samples_leaf), min_hessian=float(self.min_hessian),
            reg_alpha=float(self.reg_alpha), reg_lambda=float(self.reg_lambda),
            max_delta_step=float(self.max_delta_step), min_cat_samples=float(self.min_cat_samples),
            cat_smooth=float(self.cat_smooth), objective=core, obj_param=float(param),
            gain_scale=float(self.gain_scale), greedy_ratio=float(self.greedy_ratio),
            cyclic_progress=cyclic_progress, smoothing_rounds=int(self.smoothing_rounds),
            max_rounds=int(self.max_rounds), early_stopping_rounds=int(self.early_stopping_rounds),
            early_stopping_tolerance=float(self.early_stopping_tolerance),
            inner_bags=int(self.inner_bags), missing=self.missing,
        )
        params["n_threads"], params["share_threads"] = B.bag_threads(self.n_jobs, int(self.outer_bags))
        bags = B.make_bags(n, y_enc if self._classification else y_num, classification=self._classification,
                           outer_bags=int(self.outer_bags), validation_size=self.validation_size,
                           random_state=self.random_state)
        for bag in bags:
            if len(bag.train) == 0:
                raise ValueError("validation_size leaves no training rows in a bag.")
            bag.intercept = B.start_intercept(core, param, y_num[bag.train], w[bag.train], K)

        # stage 1: mains
        mains = [] if exclude_mains else [(j,) for j in range(len(names)) if (j,) not in excluded]

        def fit_mains(bag):
            init_tr = np.tile(bag.intercept, (len(bag.train), 1))
            init_val = np.tile(bag.intercept, (len(bag.valid), 1))
            stage_params = params if callback is None else callback.params_for(params, bag)
            tensors, steps = B.boost_stage(stage_params, bag, bag.seeds[0], mains, codes, n_bins, nominal, monotone,
                                           y_num, w, init_tr, init_val)
            bag.mains, bag.steps = tensors, [steps]
            return bag

        bags = B.run_bags(fit_mains, bags, self.n_jobs)

        # stage 2: pairs, on the mains' residuals with the mains frozen
        if kind == "list":
            pairs = [p for p in inter if p not in excluded]
        else:
            pairs = []
        need_pairs = kind == "list" and pairs or kind == "count" and inter > 0 and len(names) > 1
        if callback is not None and callback.stopped:
            need_pairs, pairs = False, []  # the callback ended boosting
        self._pair_maps = None
        pair_codes = pair_bins = None
        if need_pairs:
            # pair-level cells: coarser quantile cuts chosen among the main cuts, so a pair cell is
            # a lookup of the main cell (no second binning of the data, here or at predict time)
            self._pair_maps = [None if c is None else coarse_cell_map(c, counts, self.max_interaction_bins)
                               for c, counts in zip(self._binner_main.cuts_, self._binner_main.bin_counts_)]
            pair_codes, pair_bins = self._pair_codes(codes)

            def mains_scores(bag, rows):
                return bag.intercept + B.term_scores_on_rows(bag.mains, mains, codes, rows, K, n_bins)

            if kind == "count":
                candidates = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))
                              if (i, j) not in excluded and monotone[i] == 0 and monotone[j] == 0]

                def rank(bag):
                    return B.rank_pairs(params, bag, pair_codes, pair_bins, y_num, w,
                                        mains_scores(bag, bag.train), candidates)

                ranks = B.run_bags(rank, bags, self.n_jobs)
                pairs = B.select_pairs(ranks, candidates, inter)
            if pairs:
                pair_params = dict(params, smoothing_rounds=int(self.interaction_smoothing_rounds))

                def fit_pairs(bag):
                    stage_params = pair_params if callback is None else callback.params_for(pair_params, bag)
                    tensors, steps = B.boost_stage(
                        stage_params, bag, bag.seeds[1], pairs, pair_codes, pair_bins, nominal,
                        np.zeros(len(names), np.int8), y_num, w,
                        mains_scores(bag, bag.train), mains_scores(bag, bag.valid))
                    bag.pairs = tensors
                    bag.steps.append(steps)
                    return bag

                bags = B.run_bags(fit_pairs, bags, self.n_jobs)

        self._finish(bags, mains, pairs, codes, n_bins, pair_codes, pair_bins, w, y_num, core, param, K)
        return self

    def _finish(self, bags, mains, pairs, codes, n_bins, pair_codes, pair_bins, w, y, core, param, K):
        """Centre, average and store interpret's fitted vocabulary; refit the intercept."""
        names = self.feature_names_
        terms = list(mains) + list(pairs)
        n_main = len(mains)

        def codes_for(feats):
            return [codes[f] for f in feats] if len(feats) == 1 else [pair_codes[f] for f in feats]

        def bins_for(feats):
            return [int(n_bins[f]) for f in feats] if len(feats) == 1 else [int(pair_bins[f]) for f in feats]

        bin_weights = term_bin_weights(terms, codes_for, bins_for, w)
        bagged = []
        for t, feats in enumerate(terms):
            shape = tuple(bins_for(feats)) + ((K,) if K > 1 else ())
            stack = [(b.mains[t] if t < n_main else b.pairs[t - n_main]).reshape(shape) for b in bags]
            bagged.append(np.stack(stack).astype(np.float64))
        bagged_intercept = np.stack([b.intercept for b in bags]).astype(np.float64)
        center_bags(bagged, bin_weights, bagged_intercept)
        bag_weights = np.array([w[b.train].sum() for b in bags])
        term_scores, stds, intercept = average_bags(bagged, bagged_intercept, bag_weights)

        self.term_features_ = [tuple(int(f) for f in t) for t in terms]
        self.term_names_ = [" & ".join(names[f] for f in t) for t in terms]
        self.bagged_scores_ = bagged
        self.term_scores_ = term_scores
        self.standard_deviations_ = stds
        self.bin_weights_ = bin_weights
        self.bag_weights_ = bag_weights
        self.best_iteration_ = np.array([b.steps for b in bags]).T
        self.bins_ = self._bins()
        self.feature_bounds_ = self._bounds()

        # final intercept: refit on all the data with the averaged terms
        scores = np.zeros((len(y), K)) + intercept
        for t, feats in enumerate(terms):
            c = codes_for(feats)
            cell = c[0].astype(np.intp) if len(feats) == 1 else c[0].astype(np.intp) * bins_for(feats)[1] + c[1]
            scores += term_scores[t].reshape(-1, K)[cell]
        delta = refit_intercept(core, param, y, w, scores)
        intercept = intercept + delta
        bagged_intercept = bagged_intercept + delta
        if K > 1:  # interpret: the class with the largest intercept gets 0
            shift = intercept.max()
            intercept, bagged_intercept = intercept - shift, bagged_intercept - shift
        if self._classification:
            self.intercept_ = intercept
            self.bagged_intercept_ = bagged_intercept if K > 1 else bagged_intercept[:, 0]
        else:
            self.intercept_ = float(intercept[0])
            self.bagged_intercept_ = bagged_intercept[:, 0]
            self.min_target_, self.max_target_ = float(np.min(y)), float(np.max(y))
        self.objective_ = core
        self.fit_summary_ = self._summary(y, w, scores + delta, core)

    def _bins(self):
        """interpret's ``bins_``: per feature [main level] (+ [pair level] for continuous pair features)."""
        bm = self._binner_main
        in_pairs = {f for t in self.term_features_ if len(t) == 2 for f in t}
        out = []
        for j in range(len(self.feature_names_)):
            if bm.cuts_[j] is None:
                out.append([dict(bm.category_map_[j])])
            else:
                levels = [np.asarray(bm.cuts_[j], dtype=np.float64)]
                if j in in_pairs:
                    levels.append(np.asarray(self._pair_maps[j][0], dtype=np.float64))
                out.append(levels)
        return out

    def _bounds(self):
        bounds = np.full((len(self.feature_names_), 2), np.nan)
        for j, cuts in enumerate(self._binner_main.cuts_):
            if cuts is not None:
                bounds[j] = self._train_bounds[j]
        return bounds

    def _summary(self, y, w, scores, core):
        summary = {"n_samples": int(len(y)), "total_weight": float(w.sum()), "objective": str(self.objective)}
        if core == "log_loss":
            p = np.clip(expit(scores[:, 0]), 1e-15, 1 - 1e-15)
            summary["train_log_loss"] = float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=w))
        elif core == "multiclass":
            p = np.clip(softmax(scores, axis=1), 1e-15, 1)
            summary["train_log_loss"] = float(-np.average(np.log(p[np.arange(len(y)), y.astype(np.intp)]),
                                                          weights=w))
        elif core == "rmse":
            summary["train_rmse"] = float(np.sqrt(np.average((y - scores[:, 0]) ** 2, weights=w)))
        return summary

    # ------------------------------------------------------------------ scoring
    def _frame(self, X, *, reset):
        """Validate X; record (reset) or check the feature names; keep training value ranges."""
        df = validate_X(self, X, reset=reset)
        if reset:
            if self.feature_names is not None:
                fn = [str(f) for f in self.feature_names]
                if len(fn) != df.shape[1]:
                    raise ValueError(f"feature_names has {len(fn)} names but X has {df.shape[1]} columns.")
                if len(set(fn)) != len(fn):
                    raise ValueError("feature_names has duplicates.")
                df.columns = fn
            self.feature_names_ = list(df.columns)
            self._train_bounds = self._value_bounds(df)
        else:
            df.columns = self.feature_names_
        return df

    @staticmethod
    def _value_bounds(df):
        bounds = []
        for name in df.columns:
            col = df[name]
            if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
                f = col.to_numpy(dtype=np.float64, na_value=np.nan)
                ok = f.size and not np.isnan(f).all()
                bounds.append((float(np.nanmin(f)), float(np.nanmax(f))) if ok else (np.nan, np.nan))
                continue
            v = np.asarray(col.to_numpy(), dtype=object)
            try:
                f = np.asarray(v, dtype=np.float64)
                f = f[~np.isnan(f)]
                bounds.append((float(f.min()), float(f.max())) if f.size else (np.nan, np.nan))
            except (TypeError, ValueError):
                bounds.append((np.nan, np.nan))
        return bounds

    def _pair_codes(self, main):
        """Pair-level cells of every feature from its main cells (categorical: unchanged)."""
        n_bins = self._binner_main.n_bins_.astype(np.int32).copy()
        for j, pm in enumerate(self._pair_maps):
            if pm is not None:
                n_bins[j] = len(pm[0]) + 3
        codes = np.empty(main.shape, dtype=np.uint8 if n_bins.max() <= 256 else np.uint16)
        for j, pm in enumerate(self._pair_maps):
            codes[j] = main[j] if pm is None else pm[1][main[j]]
        return codes, n_bins

    def _main_cells(self, df):
        """Main cells of every feature (``df`` already validated): the binner's codes. Pair
        terms look their cells up from them (_cell_maps)."""
        return self._binner_main.transform_frame(df)

    def _cell_maps(self):
        """(cell_map, map_offsets): the pair-level cell of every main cell, features concatenated
        (categorical features and fits without pairs: the identity)."""
        n_bins = self._binner_main.n_bins_.astype(np.int64)
        maps = [np.arange(n_bins[j], dtype=np.int64)
                if self._pair_maps is None or self._pair_maps[j] is None
                else np.asarray(self._pair_maps[j][1], dtype=np.int64) for j in range(len(n_bins))]
        offsets = np.zeros(len(maps), dtype=np.int64)
        offsets[1:] = np.cumsum([len(m) for m in maps])[:-1]
        return np.concatenate(maps) if maps else np.zeros(1, dtype=np.int64), offsets

    def _gather_tables(self, tensors=None):
        """Per-term lookup tables for gather_term_scores, built once per call."""
        tensors = self.term_scores_ if tensors is None else tensors
        T = len(self.term_features_)
        first = np.array([f[0] for f in self.term_features_], dtype=np.int64)
        second = np.array([f[1] if len(f) == 2 else -1 for f in self.term_features_], dtype=np.int64)
        width = np.array([s.shape[1] if len(f) == 2 else 0
                          for f, s in zip(self.term_features_, tensors)], dtype=np.int64)
        sizes = [s.size for s in tensors]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        flat = np.concatenate([np.ravel(s) for s in tensors]) if T else np.zeros(1)
        return (*self._cell_maps(), first, second, width, offsets,
                np.ascontiguousarray(flat, dtype=np.float64))

    def _eval_block(self, main, tensors=None, start=0, stop=None, tables=None):
        """Per-term scores of rows start:stop; ``tensors`` replaces ``term_scores_`` (one bag's)."""
        stop = main.shape[1] if stop is None else stop
        tables = self._gather_tables(tensors) if tables is None else tables
        K = self._n_scores()
        out = np.empty((stop - start, len(self.term_features_), K), dtype=np.float64)
        gather_term_scores(np.ascontiguousarray(main), start, *tables, out, effective_n_threads(self.n_jobs))
        return out if K > 1 else out[:, :, 0]

    def _n_scores(self):
        return len(self.classes_) if self._classification and len(self.classes_) > 2 else 1

    def eval_terms(self, X):
        """Per-term contributions (link scale), shape (n_samples, n_terms[, n_classes]).

        ``eval_terms(X).sum(axis=1) + intercept_`` equals ``decision_function(X)`` (classifier)
        or the link-scale prediction (regressor) exactly.
        """
        check_is_fitted(self)
        return self._eval_block(self._main_cells(self._frame(X, reset=False)))

    def _raw_scores(self, X):
        check_is_fitted(self)
        main = self._main_cells(self._frame(X, reset=False))
        n = main.shape[1]
        K = self._n_scores()
        out = np.empty((n, K) if K > 1 else (n,))
        tables = self._gather_tables()
        for start in range(0, n, _PREDICT_CHUNK):
            stop = min(n, start + _PREDICT_CHUNK)
            block = self._eval_block(main, start=start, stop=stop, tables=tables)
            out[start:stop] = block.sum(axis=1) + self.intercept_
        return out

    def term_importances(self, importance_type="avg_weight"):
        """Importance of every term: weighted mean |score| ('avg_weight') or max - min ('min_max')."""
        check_is_fitted(self)
        out = []
        for scores, weights in zip(self.term_scores_, self.bin_weights_):
            if importance_type == "avg_weight":
                a = np.abs(scores)
                if a.ndim > weights.ndim:
                    a = a.mean(axis=-1)
                total = weights.sum()
                out.append(float((a * weights).sum() / total) if total > 0 else 0.0)
            elif importance_type == "min_max":
                out.append(float(np.max(scores) - np.min(scores)))
            else:
                raise ValueError(
                    f"importance_type must be 'avg_weight' or 'min_max', got {importance_type!r}."
                )
        return np.array(out)

    def explain_global(self, name=None):
        """Every shape function, importances and intercept as a ``glassbox.explain.Explanation``."""
        check_is_fitted(self)
        from ..explain import global_explanation

        return global_explanation(self)

    def explain_local(self, X, y=None, name=None):
        """Per-row additive contributions (link scale) as a ``glassbox.explain.Explanation``."""
        check_is_fitted(self)
        from ..explain import local_explanation

        return local_explanation(self, X, y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags


_DOC_PARAMS = """
    Parameters
    ----------
    feature_names : list of str, default=None
        Names of the features; else the DataFrame's columns or ``feature_0000``, ...
    feature_types : None, list or dict, default=None
        Per feature ``"continuous"``, ``"nominal"`` or ``"ordinal"`` (interpret's
        ``"quantile"`` etc. mean continuous); None infers them.
    max_bins : int, default=1024
        Cells per feature for main effects, missing and unseen cells included.
    max_interaction_bins : int, default=64
        Cells per feature for pairs.
    interactions : int, float, str or list, default={inter!r}
        Number of pairs found with FAST, a fraction or an ``"Nx"`` multiple of the number of
        features, or an explicit list of pairs (names or indices).
    exclude : None, "mains" or list, default=None
        Features or pairs not to fit; ``"mains"`` fits only pairs.
    validation_size : float or int, default=0.15
        Fraction (or count) of each bag held out for early stopping.
    outer_bags : int, default=14
        Number of bagged models (random train/validation splits), averaged.
    inner_bags : int, default=0
        0 boosts on the bag's rows; k > 0 makes every step's update the mean of the updates
        fitted on k bootstrap samples of them (slower, smoother shapes).
    learning_rate : float, default=0.1
        Shrinkage of every update. interpret's default is {lr}; glassbox's larger default reaches
        the same test accuracy in far fewer boosting steps (see docs/ebm.md). Set
        ``learning_rate={lr}, smoothing_rounds={ismooth_i}, interaction_smoothing_rounds={ismooth_ii},
        early_stopping_rounds=100`` to reproduce interpret's schedule.
    greedy_ratio : float, default=10.0
        Greedy steps per round, as a multiple of the number of terms.
    cyclic_progress : bool or float, default=False
        Fraction of cyclic passes that apply their updates (the rest only refresh gains).
    smoothing_rounds : int, default={smooth}
        Initial cyclic rounds with random cut points for the mains (interpret: {ismooth_i}; fewer
        here because each round moves the model further at the larger learning rate).
    interaction_smoothing_rounds : int, default={ismooth}
        The same for the pairs (interpret: {ismooth_ii}).
    max_rounds : int, default=50000
    early_stopping_rounds : int, default=25
        Patience, in rounds (times the number of terms in steps). interpret waits 100 rounds at
        its smaller learning rate ({lr}); at 0.1 each round moves the model further, and 25 rounds
        gave the same or better test metrics on every data set measured (docs/ebm.md).
    early_stopping_tolerance : float, default=1e-5
    callback : callable or None, default=None
        interpret's ``callback(bag_index, n_steps, progress, metric) -> bool``, called after
        every boosting step of every bag (``metric`` is the validation metric of an applied
        step, NaN otherwise); returning True stops every bag and skips the pairs stage. An
        exception raised by it stops the fit and is re-raised.
    min_samples_leaf : int, default=4
    min_hessian : float, default={minh}
    reg_alpha, reg_lambda, max_delta_step : float, default=0.0
    gain_scale : float, default=5.0
        Multiplies the gain of nominal mains in the greedy ranking.
    min_cat_samples : int, default=10
    cat_smooth : float, default=10.0
    missing : "separate", "low", "high" or "gain", default="separate"
        Where the missing cell of a continuous or ordinal main goes while updates are cut: its
        own leaf, with the lowest values, with the highest values, or whichever side gains more
        at each step. It stays cell 0 of ``term_scores_`` in every case.
    max_leaves : int, default=2
        Leaves per main-effect update (pairs use a 3-leaf tree).
    monotone_constraints : list or dict, default=None
        -1/0/+1 per feature (continuous or ordinal features; not for multiclass).
    objective : str, default={obj!r}
    n_jobs : int, default=-2
        Threads over bags (joblib convention: -2 = all cores but one).
    random_state : int or None, default=42
"""


class ExplainableBoostingClassifier(ClassifierMixin, _EBMBase):
    __doc__ = ("Explainable Boosting Machine classifier (binary, or multiclass with softmax).\n"
               + _DOC_PARAMS.format(inter="3x", lr=0.015, smooth=15, ismooth=15, ismooth_i=75, ismooth_ii=75, minh=1e-4, obj="log_loss"))

    _classification = True

    def __init__(self, feature_names=None, feature_types=None, max_bins=1024, max_interaction_bins=64,
                 interactions="3x", exclude=None, validation_size=0.15, outer_bags=14, inner_bags=0,
                 learning_rate=0.1, greedy_ratio=10.0, cyclic_progress=False, smoothing_rounds=15,
                 interaction_smoothing_rounds=15, max_rounds=50000, early_stopping_rounds=25,
                 early_stopping_tolerance=1e-5, callback=None, min_samples_leaf=4, min_hessian=1e-4,
                 reg_alpha=0.0, reg_lambda=0.0, max_delta_step=0.0, gain_scale=5.0, min_cat_samples=10,
                 cat_smooth=10.0, missing="separate", max_leaves=2, monotone_constraints=None,
                 objective="log_loss", n_jobs=-2, random_state=42):
        self.feature_names = feature_names
        self.feature_types = feature_types
        self.max_bins = max_bins
        self.max_interaction_bins = max_interaction_bins
        self.interactions = interactions
        self.exclude = exclude
        self.validation_size = validation_size
        self.outer_bags = outer_bags
        self.inner_bags = inner_bags
        self.learning_rate = learning_rate
        self.greedy_ratio = greedy_ratio
        self.cyclic_progress = cyclic_progress
        self.smoothing_rounds = smoothing_rounds
        self.interaction_smoothing_rounds = interaction_smoothing_rounds
        self.max_rounds = max_rounds
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_tolerance = early_stopping_tolerance
        self.callback = callback
        self.min_samples_leaf = min_samples_leaf
        self.min_hessian = min_hessian
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.max_delta_step = max_delta_step
        self.gain_scale = gain_scale
        self.min_cat_samples = min_cat_samples
        self.cat_smooth = cat_smooth
        self.missing = missing
        self.max_leaves = max_leaves
        self.monotone_constraints = monotone_constraints
        self.objective = objective
        self.n_jobs = n_jobs
        self.random_state = random_state

    def decision_function(self, X):
        """Link-scale scores: log-odds (binary, shape (n,)) or per-class logits (multiclass, (n, K))."""
        return self._raw_scores(X)

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes)."""
        s = self._raw_scores(X)
        if s.ndim == 1:
            out = np.empty((len(s), 2))
            expit(s, out=out[:, 1])
            np.subtract(1.0, out[:, 1], out=out[:, 0])
            return out
        return softmax(s, axis=1)

    def predict(self, X):
        """Most probable class."""
        s = self._raw_scores(X)
        idx = (s > 0).astype(np.intp) if s.ndim == 1 else np.argmax(s, axis=1)
        return self.classes_[idx]


class ExplainableBoostingRegressor(RegressorMixin, _EBMBase):
    __doc__ = ("Explainable Boosting Machine regressor (rmse, Poisson, Tweedie, gamma, quantile).\n"
               + _DOC_PARAMS.format(inter="5x", lr=0.04, smooth=50, ismooth=25, ismooth_i=500, ismooth_ii=100, minh=0.0, obj="rmse"))

    def __init__(self, feature_names=None, feature_types=None, max_bins=1024, max_interaction_bins=64,
                 interactions="5x", exclude=None, validation_size=0.15, outer_bags=14, inner_bags=0,
                 learning_rate=0.1, greedy_ratio=10.0, cyclic_progress=False, smoothing_rounds=50,
                 interaction_smoothing_rounds=25, max_rounds=50000, early_stopping_rounds=25,
                 early_stopping_tolerance=1e-5, callback=None, min_samples_leaf=4, min_hessian=0.0,
                 reg_alpha=0.0, reg_lambda=0.0, max_delta_step=0.0, gain_scale=5.0, min_cat_samples=10,
                 cat_smooth=10.0, missing="separate", max_leaves=2, monotone_constraints=None,
                 objective="rmse", n_jobs=-2, random_state=42):
        self.feature_names = feature_names
        self.feature_types = feature_types
        self.max_bins = max_bins
        self.max_interaction_bins = max_interaction_bins
        self.interactions = interactions
        self.exclude = exclude
        self.validation_size = validation_size
        self.outer_bags = outer_bags
        self.inner_bags = inner_bags
        self.learning_rate = learning_rate
        self.greedy_ratio = greedy_ratio
        self.cyclic_progress = cyclic_progress
        self.smoothing_rounds = smoothing_rounds
        self.interaction_smoothing_rounds = interaction_smoothing_rounds
        self.max_rounds = max_rounds
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_tolerance = early_stopping_tolerance
        self.callback = callback
        self.min_samples_leaf = min_samples_leaf
        self.min_hessian = min_hessian
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.max_delta_step = max_delta_step
        self.gain_scale = gain_scale
        self.min_cat_samples = min_cat_samples
        self.cat_smooth = cat_smooth
        self.missing = missing
        self.max_leaves = max_leaves
        self.monotone_constraints = monotone_constraints
        self.objective = objective
        self.n_jobs = n_jobs
        self.random_state = random_state

    def predict(self, X):
        """Predictions on the response scale (the inverse link of the additive score)."""
        s = self._raw_scores(X)
        return np.exp(s) if self.link_ == "log" else s
