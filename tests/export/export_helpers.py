"""Helpers for the export tests: exact comparison of object graphs, a test-only class."""
import dataclasses

import numpy as np
from sklearn.base import BaseEstimator


class Holder(BaseEstimator):
    """A registered-for-tests estimator whose state can hold any value."""

    def __init__(self, a=1, b=None):
        self.a = a
        self.b = b


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    label: str = ""


def assert_identical(a, b, path="obj"):
    """Same types and same values, bit for bit (NaN matches NaN; -0.0 differs from 0.0)."""
    assert type(a) is type(b), f"{path}: {type(a)} != {type(b)}"
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype, f"{path}: dtype {a.dtype} != {b.dtype}"
        assert a.shape == b.shape, f"{path}: shape"
        assert a.flags.c_contiguous == b.flags.c_contiguous, f"{path}: layout"
        assert a.flags.f_contiguous == b.flags.f_contiguous, f"{path}: layout"
        if a.dtype == object:
            for i, (x, y) in enumerate(zip(a.reshape(-1), b.reshape(-1))):
                assert_identical(x, y, f"{path}[{i}]")
        elif a.dtype.kind == "f":
            na, nb = np.isnan(a), np.isnan(b)
            assert np.array_equal(na, nb), f"{path}: NaN positions"
            assert a[~na].tobytes() == b[~nb].tobytes(), f"{path}: values"
        else:
            assert a.tobytes() == b.tobytes(), f"{path}: values"
    elif isinstance(a, np.generic):
        assert_identical(np.asarray(a), np.asarray(b), path)
    elif isinstance(a, float):
        assert (a != a and b != b) or np.float64(a).tobytes() == np.float64(b).tobytes(), f"{path}: {a} != {b}"
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{path}: length"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b) or set(a) == set(b), f"{path}: keys"
        for k in a:
            assert_identical(a[k], b[k], f"{path}[{k!r}]")
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_identical(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        assert_identical(vars(a), vars(b), path)
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


# --------------------------------------------------------------------------- contract fakes
# Models built by hand on the documented fitted vocabularies (docs/architecture.md), scored by a
# naive numpy twin. They test the exporters against the contracts, independently of how the
# real families fit; the real estimators are tested the same way in test_export_families.py.

from sklearn.base import ClassifierMixin, RegressorMixin  # noqa: E402

from glassbox._validation import category_strings, continuous_values, validate_X  # noqa: E402


def _cells(level, n_cells, column):
    if isinstance(level, dict):
        labels = category_strings(column)
        return np.array([0 if lab is None else level.get(lab, n_cells - 1) for lab in labels])
    values = continuous_values(column)
    return np.where(np.isnan(values), 0, 1 + np.searchsorted(level, values, side="right"))


class _FakeGAMBase:
    def _build(self, X, n_outputs, rng):
        from glassbox.preprocessing import FeatureBinner

        df = validate_X(self, X, reset=True)
        binner = FeatureBinner(max_bins=6).fit(df)
        self.feature_names_ = list(df.columns)
        self.feature_types_in_ = list(binner.feature_types_)
        self.bins_ = []
        for cuts, mapping in zip(binner.cuts_, binner.category_map_):
            if cuts is None:
                self.bins_.append([dict(mapping)])
            else:
                self.bins_.append([np.asarray(cuts, dtype=np.float64), np.asarray(cuts[::2], dtype=np.float64)])
        self.term_features_ = [(j,) for j in range(df.shape[1])] + [(0, 1)]
        self.term_names_ = [self.feature_names_[j] for j in range(df.shape[1])] + [
            f"{self.feature_names_[0]} & {self.feature_names_[1]}"]
        self.term_scores_, self.bin_weights_ = [], []
        for features in self.term_features_:
            shape = [self._n_cells(f, len(features)) for f in features]
            scores = rng.normal(size=shape + ([n_outputs] if n_outputs > 1 else []))
            for a, f in enumerate(features):
                if not isinstance(self._level(f, len(features)), dict):  # unseen cell empty
                    index = [slice(None)] * scores.ndim
                    index[a] = -1
                    scores[tuple(index)] = 0.0
            self.term_scores_.append(scores)
            self.bin_weights_.append(rng.integers(0, 50, size=shape).astype(np.float64))
        self.fit_summary_ = {"n_samples": len(df), "accuracy": 0.75}

    def _level(self, f, k):
        levels = self.bins_[f]
        return levels[min(k, len(levels)) - 1]

    def _n_cells(self, f, k):
        level = self._level(f, k)
        return (max(level.values()) + 2) if isinstance(level, dict) else len(level) + 3

    def term_importances(self):
        return np.array([float(np.abs(s).mean()) for s in self.term_scores_])

    def decision_function(self, X):
        df = validate_X(self, X, reset=False)
        k = len(self.classes_) if hasattr(self, "classes_") and len(self.classes_) > 2 else 0
        out = np.tile(np.asarray(self.intercept_, dtype=np.float64), (len(df), 1)) if k else \
            np.full(len(df), float(np.asarray(self.intercept_).reshape(-1)[0]))
        for features, scores in zip(self.term_features_, self.term_scores_):
            idx = tuple(_cells(self._level(f, len(features)), scores.shape[a], df.iloc[:, f])
                        for a, f in enumerate(features))
            out = out + scores[idx]
        return out


class FakeGAMClassifier(_FakeGAMBase, ClassifierMixin, BaseEstimator):
    def __init__(self, n_classes=2, seed=0):
        self.n_classes = n_classes
        self.seed = seed

    def fit(self, X, y):
        rng = np.random.default_rng(self.seed)
        self.classes_ = np.unique(np.asarray(y))
        k = len(self.classes_)
        self._build(X, k if k > 2 else 1, rng)
        self.intercept_ = rng.normal(size=k if k > 2 else 1)
        self.link_ = "mlogit" if k > 2 else "logit"
        return self

    def predict_proba(self, X):
        s = self.decision_function(X)
        if s.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-s))
            return np.column_stack([1 - p, p])
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class FakeGAMRegressor(_FakeGAMBase, RegressorMixin, BaseEstimator):
    def __init__(self, seed=0):
        self.seed = seed

    def fit(self, X, y):
        rng = np.random.default_rng(self.seed)
        self._build(X, 1, rng)
        self.intercept_ = float(rng.normal())
        self.link_ = "identity"
        return self

    def predict(self, X):
        return self.decision_function(X)


class FakeLeafClassifier(ClassifierMixin, BaseEstimator):
    """A depth-2 tree over the first binarizer columns, as DecisionLeaves."""

    def __init__(self, seed=0):
        self.seed = seed

    def fit(self, X, y):
        from glassbox.preprocessing import FeatureBinarizer

        validate_X(self, X, reset=True)
        self.binarizer_ = FeatureBinarizer(thresholds="quantile", n_quantiles=3).fit(X, y)
        self.classes_ = np.unique(np.asarray(y))
        n = len(self.binarizer_.conditions_)
        a, b, c = 0, n // 2, n - 1
        self._literals = [[(a, True), (b, True)], [(a, True), (b, False)], [(a, False), (c, True)],
                          [(a, False), (c, False)]]
        rng = np.random.default_rng(self.seed)
        self._values = rng.dirichlet(np.ones(len(self.classes_)), size=4)
        self.objective_, self.lower_bound_, self.optimality_gap_ = 0.25, 0.25, 0.0
        return self

    def _decision_leaves(self):
        from glassbox.explain import DecisionLeaves

        return DecisionLeaves(self._literals, self._values, np.full(4, 0.25), np.full(4, 0.5),
                              self.binarizer_.feature_index_)

    def predict_proba(self, X):
        return self._decision_leaves().predict(self.binarizer_.transform(X))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
