"""The explicit list of glassbox classes that a JSON document may construct.

Loading never imports a module or looks up a class named by the document itself: the
document's ``"object"`` field is only a key into :data:`REGISTRY`, whose values are fixed
strings written here. A class whose module cannot be imported yet (a family not built in
this installation) is simply absent.
"""
import dataclasses
import importlib

# public dotted name -> (module that defines or re-exports it, attribute)
REGISTRY = {
    # estimators
    "glassbox.ExplainableBoostingClassifier": ("glassbox.gam", "ExplainableBoostingClassifier"),
    "glassbox.ExplainableBoostingRegressor": ("glassbox.gam", "ExplainableBoostingRegressor"),
    "glassbox.OptimalSparseTreeClassifier": ("glassbox.tree", "OptimalSparseTreeClassifier"),
    "glassbox.OptimalSparseTreeRegressor": ("glassbox.tree", "OptimalSparseTreeRegressor"),
    "glassbox.OptimalRuleListClassifier": ("glassbox.rules", "OptimalRuleListClassifier"),
    # preprocessing objects kept inside fitted estimators
    "glassbox.preprocessing.FeatureBinner": ("glassbox.preprocessing", "FeatureBinner"),
    "glassbox.preprocessing.FeatureBinarizer": ("glassbox.preprocessing", "FeatureBinarizer"),
    "glassbox.preprocessing.Condition": ("glassbox.preprocessing", "Condition"),
}

# Attributes deliberately left out of a document, per class, with the reason. Empty unless a
# class keeps a cache that is rebuilt on demand.
SKIPPED_ATTRIBUTES = {}

_test_registry = {}  # filled only by the test suite (see tests/export/conftest.py)


def _resolve(name):
    """Return the class registered as ``name``, or None when its module is unavailable."""
    if name in _test_registry:
        return _test_registry[name]
    entry = REGISTRY.get(name)
    if entry is None:
        return None
    module, attr = entry
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return None


def registered_name(cls):
    """Return the registry name of ``cls``; raise TypeError when it is not registered."""
    for name in list(_test_registry) + list(REGISTRY):
        if _resolve(name) is cls:
            return name
    raise TypeError(
        f"{cls.__module__}.{cls.__qualname__} is not a glassbox class that can be written "
        "to JSON (see glassbox.export._registry.REGISTRY)"
    )


def class_for(name):
    """Return the class for a document's ``"object"`` name; raise ValueError otherwise."""
    if not isinstance(name, str):
        raise ValueError(f"object name must be a string, got {type(name).__name__}")
    cls = _resolve(name)
    if cls is None:
        if name in REGISTRY:
            raise ValueError(f"class {name!r} is not available in this installation")
        raise ValueError(f"class {name!r} is not a registered glassbox class")
    return cls


def kind_of(cls):
    """How instances are built: "dataclass", "estimator" (get_params) or "attributes"."""
    if dataclasses.is_dataclass(cls):
        return "dataclass"
    if hasattr(cls, "get_params"):
        return "estimator"
    return "attributes"


def _register_for_tests(name, cls):
    _test_registry[name] = cls
