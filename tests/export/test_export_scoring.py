"""Generated Python and SQL score exactly like the model (to 1e-9), missing and unseen included."""
import sqlite3

import numpy as np
import pandas as pd
import pytest
from export_helpers import FakeGAMClassifier, FakeGAMRegressor, FakeLeafClassifier
from sklearn.base import is_classifier

from glassbox.export import to_python, to_sql


def mixed_data(n=300, seed=0, unseen=False):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.integers(17, 90, n).astype(float),
        "work class": rng.choice(["Private", "Self-emp", "Gov", "O'Neil"], n),
        "hours": rng.normal(40, 10, n),
        "code": rng.choice([1, 2, 3], n),
    })
    X.loc[rng.random(n) < 0.1, "age"] = np.nan
    X.loc[rng.random(n) < 0.1, "work class"] = None
    if unseen:
        X.loc[rng.random(n) < 0.2, "work class"] = "Never-seen"
        X.loc[rng.random(n) < 0.1, "code"] = 7
    y = (np.nan_to_num(X["age"].to_numpy(), nan=50) + rng.normal(0, 10, n) > 50).astype(int)
    return X, y


def python_scores(model, X):
    namespace = {}
    exec(compile(to_python(model), "<generated>", "exec"), namespace)  # noqa: S102
    rows = X.to_dict("records")
    if is_classifier(model):
        return np.array([namespace["predict_proba"](r) for r in rows]), [namespace["predict"](r) for r in rows]
    return np.array([namespace["predict"](r) for r in rows]), None


def sql_scores(model, X):
    con = sqlite3.connect(":memory:")
    data = X.copy()
    data.insert(0, "row_id", np.arange(len(X)))
    data.to_sql("my table", con, index=False)
    cur = con.execute(to_sql(model, table="my table", key="row_id"))
    names = [d[0] for d in cur.description]
    out = np.array(cur.fetchall(), dtype=np.float64)
    assert np.array_equal(out[:, 0], np.arange(len(X)))
    return out[:, 1:], names[1:]


def expected(model):
    if not is_classifier(model):
        return lambda X: model.predict(X)[:, None]
    return model.predict_proba


FAKES = {
    "gam-binary": lambda X, y: FakeGAMClassifier().fit(X, y),
    "gam-multiclass": lambda X, y: FakeGAMClassifier().fit(X, np.asarray(y) + (X["hours"] > 45).to_numpy()),
    "gam-regression": lambda X, y: FakeGAMRegressor().fit(X, X["hours"]),
    "leaves-binary": lambda X, y: FakeLeafClassifier().fit(X, y),
    "leaves-multiclass": lambda X, y: FakeLeafClassifier().fit(X, np.asarray(y) + (X["hours"] > 45).to_numpy()),
}


@pytest.mark.parametrize("name", sorted(FAKES))
def test_scoring_code_matches_contract_models(name):
    X, y = mixed_data()
    model = FAKES[name](X, y)
    Xt, _ = mixed_data(200, seed=1, unseen=True)
    want = expected(model)(Xt)
    got, labels = python_scores(model, Xt)
    np.testing.assert_allclose(got.reshape(want.shape), want, rtol=0, atol=1e-9)
    if labels is not None:
        assert list(model.predict(Xt)) == labels
    sql, names = sql_scores(model, Xt)
    if is_classifier(model) and want.shape[1] == 2:
        want = want[:, 1:]
        assert names == [f"proba_{model.classes_[1]}"]
    np.testing.assert_allclose(sql, want, rtol=0, atol=1e-9)


def test_python_source_is_standalone():
    X, y = mixed_data()
    src = to_python(FakeGAMClassifier().fit(X, y))
    imports = {line.split()[1] for line in src.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= {"math", "numbers", "bisect"}
    compile(src, "<generated>", "exec")


def test_sql_without_key_and_quoting():
    X, y = mixed_data()
    sql = to_sql(FakeLeafClassifier().fit(X, y), table='odd "name"')
    assert 'FROM "odd ""name"""' in sql
    assert sql.count("SELECT") == 1


def test_bad_arguments_and_unfitted_models():
    from sklearn.exceptions import NotFittedError

    from glassbox.export import to_markdown

    X, y = mixed_data()
    model = FakeLeafClassifier().fit(X, y)
    with pytest.raises(TypeError, match="table"):
        to_sql(model, table=3)
    with pytest.raises(TypeError, match="key"):
        to_sql(model, key="")
    with pytest.raises(ValueError, match="function_name"):
        to_python(model, function_name="not valid")
    with pytest.raises(TypeError, match="target_name"):
        to_markdown(model, target_name=3)
    for export in (to_sql, to_python, to_markdown):
        with pytest.raises(NotFittedError):
            export(FakeLeafClassifier())
    from sklearn.linear_model import LinearRegression

    other = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    for export in (to_sql, to_python, to_markdown):
        with pytest.raises(TypeError, match="does not know"):
            export(other)
