"""Loaders for the bundled data files (see the package docstring for sources)."""
from __future__ import annotations

import os

import pandas as pd

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
    "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
    "hours-per-week", "native-country", "income",
]


def _path(name):
    return os.path.join(_DATA, name)


def _categorize(df, columns, ordered=None):
    for col in columns:
        df[col] = df[col].astype("category")
    for col, order in (ordered or {}).items():
        df[col] = pd.Categorical(df[col], categories=order, ordered=True)
    return df


def load_adult(split="train"):
    """UCI Adult census income: predict whether income exceeds $50K.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        The official split: 32,561 training rows, 16,281 test rows.

    Returns
    -------
    X : DataFrame, shape (n, 14)
        ``workclass``, ``occupation`` and ``native-country`` have missing values ('?' in the file).
    y : Series of str
        ``">50K"`` or ``"<=50K"`` (named ``income``).
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    fname = "adult.data.gz" if split == "train" else "adult.test.gz"
    df = pd.read_csv(_path(fname), header=None, names=ADULT_COLUMNS, skipinitialspace=True,
                     na_values="?", skiprows=1 if split == "test" else 0)
    df = df.dropna(subset=["income"])
    df["income"] = df["income"].str.rstrip(".")  # test labels end in '.'
    y = df.pop("income").astype(str).reset_index(drop=True)
    X = _categorize(df.reset_index(drop=True),
                    ["workclass", "education", "marital-status", "occupation", "relationship",
                     "race", "sex", "native-country"])
    return X, y


COMPAS_FEATURES = ["sex", "age", "race", "juv_fel_count", "juv_misd_count", "juv_other_count",
                   "priors_count", "c_charge_degree"]


def load_compas():
    """ProPublica COMPAS: predict re-arrest within two years (``two_year_recid``).

    The rows are ProPublica's filter (6,172 rows): charge within 30 days of the
    screening, a known recidivism outcome, no ordinary traffic offences ('O'),
    and a COMPAS score present. The COMPAS score itself is not a feature.

    Returns
    -------
    X : DataFrame, shape (6172, 8)
    y : Series of int (0/1)
    """
    df = pd.read_csv(_path("compas-scores-two-years.csv.gz"))
    keep = (
        df["days_b_screening_arrest"].between(-30, 30)
        & (df["is_recid"] != -1)
        & (df["c_charge_degree"] != "O")
        & (df["score_text"] != "N/A")
        & df["score_text"].notna()
    )
    df = df.loc[keep].reset_index(drop=True)
    y = df["two_year_recid"].astype(int).rename("two_year_recid")
    X = _categorize(df[COMPAS_FEATURES].copy(), ["sex", "race", "c_charge_degree"])
    return X, y


def load_german_credit():
    """UCI Statlog German credit: predict credit risk.

    Categorical attributes keep the data set's codes (``A11`` … ``A202``, documented
    in the UCI description).

    Returns
    -------
    X : DataFrame, shape (1000, 20)
    y : Series of str: ``"good"`` or ``"bad"`` (named ``credit_risk``)
    """
    df = pd.read_csv(_path("german_credit.csv.gz"))
    y = df.pop("credit_risk").map({1: "good", 2: "bad"}).rename("credit_risk")
    cats = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    return _categorize(df, cats), y


def load_default():
    """ISLP Default (simulated credit-card default).

    Returns
    -------
    X : DataFrame, shape (10000, 3): ``student`` (category), ``balance``, ``income``
    y : Series of str: ``"Yes"`` / ``"No"`` (named ``default``)
    """
    df = pd.read_csv(_path("Default.csv.gz"))
    y = df.pop("default").astype(str)
    return _categorize(df, ["student"]), y


_MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def load_bikeshare():
    """ISLP Bikeshare (Washington DC, 2011): predict bikers per hour (regression).

    ``casual`` and ``registered`` (which sum to the target) are dropped.

    Returns
    -------
    X : DataFrame, shape (8645, 12)
    y : Series of float (named ``bikers``)
    """
    df = pd.read_csv(_path("Bikeshare.csv.gz"))
    y = df.pop("bikers").astype(float)
    df = df.drop(columns=["casual", "registered"])
    df["hr"] = df["hr"].astype(int)
    months = [m for m in _MONTHS if m in set(df["mnth"])] + sorted(set(df["mnth"]) - set(_MONTHS))
    df = _categorize(df, ["weathersit"], ordered={"mnth": months})
    return df, y


def load_wage():
    """ISLP Wage (Mid-Atlantic men): predict wage in $1000s (regression).

    ``logwage`` (a transform of the target) is dropped; ``education`` and ``health``
    are ordered categories.

    Returns
    -------
    X : DataFrame, shape (3000, 9)
    y : Series of float (named ``wage``)
    """
    df = pd.read_csv(_path("Wage.csv.gz"))
    y = df.pop("wage").astype(float)
    df = df.drop(columns=["logwage"])
    ordered = {c: sorted(df[c].dropna().unique()) for c in ["education", "health"]}
    return _categorize(df, ["maritl", "race", "region", "jobclass", "health_ins"], ordered), y
