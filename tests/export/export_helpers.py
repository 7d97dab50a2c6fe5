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
