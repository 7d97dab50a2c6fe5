"""JSON schema 1.0: exact round trips of arbitrary state, and refusal of bad documents."""
import json
import math

import numpy as np
import pytest
from export_helpers import Holder, Point, assert_identical
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassbox.export import SCHEMA_VERSION, from_json, read_metadata, to_json
from glassbox.export import _registry


@pytest.fixture(autouse=True)
def _registered():
    _registry._register_for_tests("tests.Holder", Holder)
    _registry._register_for_tests("tests.Point", Point)
    yield
    _registry._test_registry.clear()


def roundtrip(obj):
    text = to_json(obj)

    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    json.loads(text, parse_constant=refuse)  # plain JSON: no NaN/Infinity tokens
    return from_json(text)


# --------------------------------------------------------------------------- values

_dtypes = st.sampled_from(["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                           "uint64", "float16", "float32", "float64", "<U6"])


@st.composite
def arrays(draw):
    dtype = np.dtype(draw(_dtypes))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    arr = draw(hnp.arrays(dtype, shape))
    if arr.ndim == 2 and draw(st.booleans()):
        arr = np.asfortranarray(arr)
    return arr


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    hnp.from_dtype(np.dtype("float64")).map(np.float64), hnp.from_dtype(np.dtype("int32")).map(np.int32),
    hnp.from_dtype(np.dtype("bool")).map(np.bool_),
)
hashables = st.one_of(st.integers(-5, 5), st.text(max_size=4), st.tuples(st.integers(0, 3), st.text(max_size=2)))
values = st.recursive(
    st.one_of(scalars, arrays()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(hashables, inner, max_size=4),
        st.builds(Point, st.floats(allow_nan=False), st.text(max_size=4)),
    ),
    max_leaves=12,
)


@given(params=values, state=values)
def test_any_state_round_trips_bit_for_bit(params, state):
    obj = Holder(a=params)
    obj.state_ = state
    obj._private = [state]
    assert_identical(obj, roundtrip(obj))


def test_special_floats_and_layouts():
    obj = Holder(a=[-0.0, math.nan, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, 0.1])
    obj.arr_ = np.asfortranarray(np.array([[0.1, np.nan], [-np.inf, -0.0]]))
    obj.f32_ = np.array([np.float32(0.1), np.float32(np.inf)], dtype=np.float32)
    obj.obj_ = np.array(["a", 1, None, (1, 2)], dtype=object)
    obj.dt_ = np.dtype("uint16")
    obj.nested_ = {1: {"x": (np.int64(3), np.float64(np.nan))}, (2, "b"): frozenset({1, 2})}
    back = roundtrip(obj)
    assert_identical(obj, back)
    assert back.arr_.flags.f_contiguous and not back.arr_.flags.c_contiguous
    assert math.copysign(1.0, back.a[0]) == -1.0


def test_metadata_and_envelope():
    text = to_json(Holder(), metadata={"target": "income", "n": 3})
    doc = json.loads(text)
    assert doc["glassbox_schema"] == SCHEMA_VERSION == "1.0"
    assert doc["model"]["object"] == "tests.Holder"
    assert read_metadata(text) == {"target": "income", "n": 3}


def test_preprocessing_objects_round_trip():
    from glassbox.preprocessing import Condition, FeatureBinarizer, FeatureBinner

    rng = np.random.default_rng(0)
    import pandas as pd

    X = pd.DataFrame({"a": rng.normal(size=200), "c": rng.choice(["x", "y", "z"], 200)})
    X.loc[::7, "a"] = np.nan
    y = (X["a"].fillna(0) > 0).astype(int)
    for est in (FeatureBinner(max_bins=8).fit(X), FeatureBinarizer(random_state=0).fit(X, y)):
        back = roundtrip(est)
        assert_identical(est, back)
        assert np.array_equal(est.transform(X), back.transform(X))
    cond = Condition("a", 0, "<=", 0.5, True)
    assert roundtrip(cond) == cond


def test_unregistered_class_cannot_be_written():
    class Local:
        pass

    with pytest.raises(TypeError, match="not a glassbox class"):
        to_json(Holder(a=Local()))
    with pytest.raises(TypeError, match="cannot be written"):
        to_json(Holder(a=np.array([1 + 2j])))


# --------------------------------------------------------------------------- hostile documents


def _doc(model_node, **top):
    doc = {"glassbox_schema": "1.0", "glassbox_version": "0", "model": model_node, "metadata": {"dict": {}}}
    doc.update(top)
    return json.dumps(doc)


def _holder(state=None, params=None):
    return {"object": "tests.Holder", "params": params or {}, "state": state or {}}


GOOD = to_json  # noqa: E305 (readability of the table below)

BAD_DOCUMENTS = {
    "not json": "{not json",
    "truncated": None,  # filled in the test from a real document
    "empty": "",
    "a list": "[1, 2]",
    "no schema": json.dumps({"model": {}}),
    "wrong version": _doc(_holder(), glassbox_schema="2.0"),
    "numeric version": _doc(_holder(), glassbox_schema=1.0),
    "unknown top field": _doc(_holder(), extra=1),
    "NaN token": '{"glassbox_schema": "1.0", "model": NaN}',
    "unknown class": _doc({"object": "os.system", "params": {}, "state": {}}),
    "builtin class": _doc({"object": "builtins.eval", "params": {}, "state": {}}),
    "pickle-like tag": _doc({"py/reduce": ["os.system", ["ls"]]}),
    "unknown param": _doc(_holder(params={"zzz": 1})),
    "dunder attribute": _doc(_holder(state={"__class__": "x"})),
    "shadow a method": _doc(_holder(state={"get_params": 1})),
    "non-identifier attribute": _doc(_holder(state={"a b": 1})),
    "bad dtype": _doc(_holder(state={"x_": {"ndarray": {"dtype": "V8", "shape": [1], "order": "C", "data": [1]}}})),
    "object dtype from string": _doc(_holder(state={"x_": {"dtype": "O; import os"}})),
    "shape mismatch": _doc(_holder(state={"x_": {"ndarray": {"dtype": "float64", "shape": [1000000, 1000000],
                                                             "order": "C", "data": [1.0]}}})),
    "negative shape": _doc(_holder(state={"x_": {"ndarray": {"dtype": "int64", "shape": [-1], "order": "C", "data": []}}})),
    "int overflow": _doc(_holder(state={"x_": {"ndarray": {"dtype": "uint8", "shape": [1], "order": "C", "data": [300]}}})),
    "string in float array": _doc(_holder(state={"x_": {"ndarray": {"dtype": "float64", "shape": [1], "order": "C",
                                                                    "data": ["1e3"]}}})),
    "float overflow": _doc(_holder(state={"x_": 1e999})),
    "bad float tag": _doc(_holder(state={"x_": {"float": "1.5"}})),
    "two tags": _doc(_holder(state={"x_": {"tuple": [], "dict": {}}})),
    "unknown tag": _doc(_holder(state={"x_": {"eval": "1+1"}})),
    "unhashable key": _doc(_holder(state={"x_": {"items": [[[1, 2], 3]]}})),
    "dataclass missing field": _doc(_holder(state={"x_": {"object": "tests.Point", "fields": {}}})),
    "deep nesting": '{"glassbox_schema": "1.0", "model": ' + "[" * 100000 + "]" * 100000 + "}",
    "tagged deep nesting": _doc(_holder(state={"x_": json.loads("[" * 100 + "]" * 100)})),
    "binary garbage": b"\xff\xfe\x00",
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_documents_raise_value_error(name):
    text = BAD_DOCUMENTS[name]
    if text is None:
        full = to_json(Holder(a=[1.0, 2.0]))
        text = full[: len(full) // 2]
    with pytest.raises(ValueError, match="glassbox JSON"):
        from_json(text)


def test_from_json_type_error_for_non_text():
    with pytest.raises(TypeError):
        from_json(12)


def test_structured_arrays_round_trip():
    dtype = np.dtype([("feature", np.int32), ("value", np.float64, (2,)), ("n", np.int64)])
    arr = np.zeros(3, dtype=dtype)
    arr["feature"] = [0, -1, 2]
    arr["value"] = [[0.1, np.nan], [np.inf, -0.0], [1e-300, 3.0]]
    obj = Holder(a=arr)
    assert_identical(obj, roundtrip(obj))
    bad = json.loads(to_json(obj))
    bad["model"]["params"]["a"]["records"]["fields"][0][1] = "object"
    with pytest.raises(ValueError, match="glassbox JSON"):
        from_json(json.dumps(bad))


def test_strings_longer_than_their_dtype_are_refused():
    doc = _doc(_holder(state={"x_": {"ndarray": {"dtype": "<U2", "shape": [1], "order": "C", "data": ["abc"]}}}))
    with pytest.raises(ValueError, match="longer"):
        from_json(doc)
