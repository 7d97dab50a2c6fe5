import numpy as np
import pandas as pd
import pytest

from glassbox import datasets


@pytest.mark.parametrize("loader, shape, target, n_missing_cols", [
    (lambda: datasets.load_adult("train"), (32561, 14), "income", 3),
    (lambda: datasets.load_adult("test"), (16281, 14), "income", 3),
    (datasets.load_compas, (6172, 8), "two_year_recid", 0),
    (datasets.load_german_credit, (1000, 20), "credit_risk", 0),
    (datasets.load_default, (10000, 3), "default", 0),
    (datasets.load_bikeshare, (8645, 12), "bikers", 0),
    (datasets.load_wage, (3000, 9), "wage", 0),
])
def test_loaders_offline_shapes_and_dtypes(loader, shape, target, n_missing_cols):
    X, y = loader()
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert X.shape == shape and len(y) == shape[0] and y.name == target
    assert int((X.isna().sum() > 0).sum()) == n_missing_cols
    assert not y.isna().any()
    assert not any(pd.api.types.is_object_dtype(t) for t in X.dtypes)  # typed columns


def test_adult_labels_are_clean_in_both_splits():
    for split in ("train", "test"):
        _, y = datasets.load_adult(split)
        assert set(y) == {"<=50K", ">50K"}
    with pytest.raises(ValueError, match="split"):
        datasets.load_adult("validation")


def test_compas_is_propublica_filter():
    X, y = datasets.load_compas()
    assert set(X["c_charge_degree"].cat.categories) == {"F", "M"}
    assert y.isin([0, 1]).all()
    assert np.isclose(y.mean(), 0.4551, atol=1e-3)  # ProPublica's two-year recidivism rate


def test_bundled_files_match_shared_copies(shared_data):
    import gzip
    import os

    pkg = os.path.join(os.path.dirname(datasets.__file__), "data")
    for name in os.listdir(pkg):
        with gzip.open(os.path.join(pkg, name)) as a, gzip.open(shared_data / name) as b:
            assert a.read() == b.read(), name
