"""Exact, safe JSON serialization of glassbox estimators (schema 1.0).

The encoder walks an estimator's parameters and its whole instance state and writes every
value in a tagged form that keeps its Python/numpy type, so that the loaded model is the same
object graph bit for bit. The decoder builds only classes from the explicit registry
(:mod:`glassbox.export._registry`), never imports what a document names, never evaluates
code, and turns every problem in a document into one ``ValueError`` before anything is
returned. The schema is documented in ``docs/export.md``.
"""
import dataclasses
import inspect
import json
import math
import re
import types

import numpy as np

from .._version import __version__
from ._registry import SKIPPED_ATTRIBUTES, class_for, kind_of, registered_name

SCHEMA_VERSION = "1.0"
MAX_DEPTH = 64
_TOP_KEYS = {"glassbox_schema", "glassbox_version", "model", "metadata"}
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_DTYPE_NAMES = {
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "object",
}
_UNICODE_DTYPE = re.compile(r"^<U[0-9]{1,6}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --------------------------------------------------------------------------- encoding
def to_json(model, *, metadata=None, indent=None):
    """Write a glassbox estimator as a JSON document (schema 1.0).

    Parameters
    ----------
    model : glassbox estimator
        Fitted or unfitted; every parameter and every attribute of its state is written.
    metadata : dict, optional
        Free information kept beside the model (for example ``{"target": "income"}``);
        JSON-able values only. Read it back with :func:`read_metadata`.
    indent : int, optional
        Pretty-print with this indentation.

    Returns
    -------
    str
        Plain JSON (no NaN/Infinity tokens), see ``docs/export.md``.
    """
    doc = {
        "glassbox_schema": SCHEMA_VERSION,
        "glassbox_version": __version__,
        "model": _encode_object(model, "model"),
        "metadata": _encode(dict(metadata or {}), "metadata"),
    }
    return json.dumps(doc, indent=indent, allow_nan=False)


def _encode(value, path):
    if isinstance(value, np.ndarray):
        if value.dtype.names is not None:
            return {"records": _encode_records(value, path)}
        return {"ndarray": _encode_array(value, path)}
    if isinstance(value, np.generic):
        arr = np.asarray(value)
        return {"scalar": {"dtype": _dtype_name(arr.dtype, path), "value": _encode_array(arr, path)["data"][0]}}
    if isinstance(value, np.dtype):
        return {"dtype": _dtype_name(value, path)}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, list):
        return [_encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"tuple": [_encode(v, f"{path}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, dict) and type(value) is dict:
        if all(isinstance(k, str) for k in value):
            return {"dict": {k: _encode(v, f"{path}[{k!r}]") for k, v in value.items()}}
        return {"items": [[_encode(k, f"{path}.key"), _encode(v, f"{path}[{k!r}]")]
                          for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        items = sorted(value, key=repr)
        return {"frozenset" if isinstance(value, frozenset) else "set":
                [_encode(v, f"{path}.item") for v in items]}
    return _encode_object(value, path)


def _encode_float(value):
    if math.isfinite(value):
        return value  # json writes repr(value), which reads back bit for bit
    return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _dtype_name(dtype, path):
    if dtype.kind == "U":
        return f"<U{dtype.itemsize // 4}"
    name = dtype.name
    if name not in _DTYPE_NAMES:
        raise TypeError(f"{path}: numpy dtype {dtype} cannot be written to JSON")
    return name


def _encode_array(arr, path):
    dtype = _dtype_name(arr.dtype, path)
    order = "F" if (arr.ndim > 1 and arr.flags.f_contiguous and not arr.flags.c_contiguous) else "C"
    flat = np.ascontiguousarray(arr).reshape(-1)
    if arr.dtype.kind == "f":
        data = [_float_item(v) for v in flat.astype(np.float64).tolist()]
    elif arr.dtype.kind == "O":
        data = [_encode(v, f"{path}[{i}]") for i, v in enumerate(flat.tolist())]
    else:
        data = flat.tolist()
    return {"dtype": dtype, "shape": list(arr.shape), "order": order, "data": data}


def _encode_records(arr, path):
    """A structured array, field by field (each field an ordinary array)."""
    fields = []
    for name in arr.dtype.names:
        base, shape = arr.dtype.fields[name][0].base, arr.dtype.fields[name][0].shape
        if base.kind == "O" or base.names is not None:
            raise TypeError(f"{path}: structured field {name!r} of dtype {base} cannot be written to JSON")
        fields.append([name, _dtype_name(base, path), list(shape)])
    columns = {name: _encode_array(np.ascontiguousarray(arr[name]), f"{path}.{name}") for name in arr.dtype.names}
    return {"fields": fields, "shape": list(arr.shape), "columns": columns}


def _float_item(v):
    if math.isfinite(v):
        return v
    return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")


def _encode_object(obj, path):
    cls = type(obj)
    try:
        name = registered_name(cls)
    except TypeError as exc:
        raise TypeError(f"{path}: {exc}") from None
    kind = kind_of(cls)
    skipped = SKIPPED_ATTRIBUTES.get(name, ())
    if kind == "dataclass":
        fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}
        return {"object": name, "fields": _encode_members(fields, path)}
    state = {k: v for k, v in vars(obj).items() if k not in skipped}
    if kind == "estimator":
        params = obj.get_params(deep=False)
        state = {k: v for k, v in state.items() if k not in params}
        return {"object": name, "params": _encode_members(params, path), "state": _encode_members(state, path)}
    return {"object": name, "state": _encode_members(state, path)}


def _encode_members(members, path):
    return {k: _encode(v, f"{path}.{k}") for k, v in members.items()}


# --------------------------------------------------------------------------- decoding
def from_json(document):
    """Load an estimator written by :func:`to_json`.

    Parameters
    ----------
    document : str or bytes
        A glassbox JSON document (schema 1.0).

    Returns
    -------
    estimator
        A new estimator equal, attribute by attribute, to the one written.

    Raises
    ------
    ValueError
        When the document is not valid JSON, is truncated, has another schema version, names
        a class that is not a registered glassbox class, or holds a value of the wrong form.
        Nothing is returned in that case.
    """
    doc = _parse(document)
    model = _decode_checked(doc["model"], "model")
    from ._checks import check_loaded_model  # local: the checks import the model families lazily

    check_loaded_model(model)
    return model


def read_metadata(document):
    """Return the ``metadata`` dict of a glassbox JSON document (without building the model)."""
    doc = _parse(document)
    meta = _decode_checked(doc.get("metadata", {"dict": {}}), "metadata")
    if not isinstance(meta, dict):
        raise ValueError("glassbox JSON: metadata must be an object")
    return meta


def _parse(document):
    if isinstance(document, (bytes, bytearray)):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"glassbox JSON: the document is not UTF-8 text ({exc})") from None
    if not isinstance(document, str):
        raise TypeError(f"from_json expects a str or bytes, got {type(document).__name__}")
    try:
        doc = json.loads(document, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("glassbox JSON: the document is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise ValueError(f"glassbox JSON: not a valid JSON document ({exc})") from None
    if not isinstance(doc, dict) or "glassbox_schema" not in doc:
        raise ValueError("glassbox JSON: not a glassbox document (no 'glassbox_schema' field)")
    if doc["glassbox_schema"] != SCHEMA_VERSION:
        raise ValueError(
            f"glassbox JSON: unsupported glassbox_schema {doc['glassbox_schema']!r}; "
            f"this version of glassbox reads {SCHEMA_VERSION!r}"
        )
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise ValueError(f"glassbox JSON: unknown top-level fields {sorted(unknown)}")
    if "model" not in doc:
        raise ValueError("glassbox JSON: the document has no 'model'")
    return doc


def _reject_constant(name):
    raise ValueError(f"the non-standard constant {name} is not allowed")


def _decode_checked(node, path):
    try:
        return _decode(node, path, 0)
    except ValueError as exc:
        raise ValueError(f"glassbox JSON: {exc}") from None
    except (TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError) as exc:
        raise ValueError(f"glassbox JSON: invalid value at {path}: {type(exc).__name__}: {exc}") from None


def _decode(node, path, depth):
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: nested deeper than {MAX_DEPTH} levels")
    if node is None or isinstance(node, (bool, str, int)):
        return node
    if isinstance(node, float):
        if not math.isfinite(node):
            raise ValueError(f"{path}: number out of the float64 range")
        return node
    if isinstance(node, list):
        return [_decode(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        raise ValueError(f"{path}: unexpected JSON value")
    if "object" in node:
        return _decode_object(node, path, depth)
    if len(node) != 1:
        raise ValueError(f"{path}: a tagged value must have exactly one key, got {sorted(node)}")
    (tag, body), = node.items()
    if tag == "float":
        if body not in _NONFINITE:
            raise ValueError(f"{path}: 'float' must be one of 'nan', 'inf', '-inf'")
        return _NONFINITE[body]
    if tag == "tuple":
        return tuple(_decode(_expect(body, list, path), path, depth + 1))
    if tag in ("set", "frozenset"):
        items = _decode(_expect(body, list, path), path, depth + 1)
        return set(items) if tag == "set" else frozenset(items)
    if tag == "dict":
        return {k: _decode(v, f"{path}[{k!r}]", depth + 1) for k, v in _expect(body, dict, path).items()}
    if tag == "items":
        out = {}
        for i, pair in enumerate(_expect(body, list, path)):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f"{path}[{i}]: dict items must be [key, value] pairs")
            key = _decode(pair[0], f"{path}[{i}].key", depth + 1)
            out[key] = _decode(pair[1], f"{path}[{i}].value", depth + 1)  # TypeError if unhashable
        return out
    if tag == "ndarray":
        return _decode_array(_expect(body, dict, path), path, depth)
    if tag == "records":
        return _decode_records(_expect(body, dict, path), path, depth)
    if tag == "scalar":
        body = _expect(body, dict, path)
        arr = _decode_array({"dtype": body.get("dtype"), "shape": [], "order": "C",
                             "data": [body.get("value")]}, path, depth)
        return arr[()]
    if tag == "dtype":
        return np.dtype(_check_dtype(body, path))
    raise ValueError(f"{path}: unknown tag {tag!r}")


def _expect(body, kind, path):
    if not isinstance(body, kind):
        raise ValueError(f"{path}: expected a JSON {'array' if kind is list else 'object'}")
    return body


def _check_dtype(name, path):
    if not isinstance(name, str) or not (name in _DTYPE_NAMES or _UNICODE_DTYPE.match(name)):
        raise ValueError(f"{path}: dtype {name!r} is not allowed")
    return name


def _decode_array(body, path, depth):
    if set(body) != {"dtype", "shape", "order", "data"}:
        raise ValueError(f"{path}: an ndarray needs exactly the fields dtype, shape, order, data")
    dtype = np.dtype(_check_dtype(body["dtype"], path))
    shape, data, order = body["shape"], body["data"], body["order"]
    if (not isinstance(shape, list) or len(shape) > 32
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        raise ValueError(f"{path}: shape must be a list of non-negative integers")
    if order not in ("C", "F"):
        raise ValueError(f"{path}: order must be 'C' or 'F'")
    if not isinstance(data, list) or len(data) != math.prod(shape):
        raise ValueError(f"{path}: data must be a list of {math.prod(shape)} values (shape {shape})")
    if dtype.kind == "f":
        values = [_decode_array_float(v, path) for v in data]
    elif dtype.kind == "O":
        values = [_decode(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(data)]
    else:
        kinds = {"b": bool, "i": int, "u": int, "U": str}[dtype.kind]
        for v in data:
            if type(v) is not kinds:
                raise ValueError(f"{path}: {dtype} array holds a {type(v).__name__}")
            if kinds is str and len(v) > dtype.itemsize // 4:
                raise ValueError(f"{path}: the string {v[:20]!r} is longer than its dtype {dtype} allows")
        values = data
    if dtype.kind == "O":
        arr = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):  # item by item: numpy must not unpack nested lists
            arr[i] = v
    else:
        arr = np.array(values, dtype=dtype) if values else np.empty(0, dtype=dtype)
    arr = arr.reshape(shape)
    return np.asfortranarray(arr) if order == "F" else arr


def _decode_records(body, path, depth):
    if set(body) != {"fields", "shape", "columns"}:
        raise ValueError(f"{path}: a record array needs exactly the fields fields, shape, columns")
    fields, columns = _expect(body["fields"], list, path), _expect(body["columns"], dict, path)
    spec = []
    for field in fields:
        if (not isinstance(field, list) or len(field) != 3 or not isinstance(field[0], str)
                or not isinstance(field[2], list) or not all(isinstance(n, int) and n >= 0 for n in field[2])):
            raise ValueError(f"{path}: each record field must be [name, dtype, shape]")
        if _check_dtype(field[1], path) == "object":
            raise ValueError(f"{path}: record fields cannot hold objects")
        spec.append((field[0], field[1], tuple(field[2])))
    if set(columns) != {f[0] for f in spec} or len(spec) != len(columns):
        raise ValueError(f"{path}: record columns do not match the fields")
    dtype = np.dtype(spec)
    shape = _expect(body["shape"], list, path)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise ValueError(f"{path}: shape must be a list of non-negative integers")
    arr = np.empty(tuple(shape), dtype=dtype)
    for name, _, sub in spec:
        column = _decode_array(_expect(columns[name], dict, path), f"{path}.{name}", depth)
        if column.shape != tuple(shape) + sub or column.dtype != dtype.fields[name][0].base:
            raise ValueError(f"{path}: record column {name!r} has the wrong shape or dtype")
        arr[name] = column
    return arr


def _decode_array_float(v, path):
    if isinstance(v, str):
        if v not in _NONFINITE:
            raise ValueError(f"{path}: float array holds the string {v!r}")
        return _NONFINITE[v]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
        raise ValueError(f"{path}: float array holds {v!r}")
    return float(v)


def _decode_object(node, path, depth):
    cls = class_for(node["object"])
    kind = kind_of(cls)
    expected = {"dataclass": {"object", "fields"}, "estimator": {"object", "params", "state"},
                "attributes": {"object", "state"}}[kind]
    if set(node) != expected:
        raise ValueError(f"{path}: a {node['object']} needs exactly the fields {sorted(expected)}")
    members = {key: _decode_members(_expect(node[key], dict, path), f"{path}.{key}", depth)
               for key in expected - {"object"}}
    if kind == "dataclass":
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        if set(members["fields"]) != names:
            raise ValueError(f"{path}: {node['object']} needs exactly the fields {sorted(names)}")
        return _construct(cls, members["fields"], path)
    if kind == "estimator":
        accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
        extra = set(members["params"]) - accepted
        if extra:
            raise ValueError(f"{path}: {node['object']} has no parameters {sorted(extra)}")
        obj = _construct(cls, members["params"], path)
    else:
        obj = cls.__new__(cls)
    for name, value in members["state"].items():
        _check_attribute(cls, name, path)
        obj.__dict__[name] = value
    return obj


def _decode_members(members, path, depth):
    out = {}
    for name, value in members.items():
        if not _IDENTIFIER.match(name) or name.startswith("__"):
            raise ValueError(f"{path}: {name!r} is not an allowed attribute name")
        out[name] = _decode(value, f"{path}.{name}", depth + 1)
    return out


def _check_attribute(cls, name, path):
    # An instance attribute must not shadow a method or property of the class.
    attr = inspect.getattr_static(cls, name, None)
    if attr is not None and (callable(attr) or isinstance(attr, (property, types.MemberDescriptorType,
                                                                 staticmethod, classmethod))):
        raise ValueError(f"{path}: {name!r} would replace a method or property of {cls.__name__}")


def _construct(cls, kwargs, path):
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: cannot build {cls.__name__}: {exc}") from None
