"""Small real data sets shipped with glassbox, loaded offline.

Each loader returns ``(X, y)``: a pandas DataFrame of features with proper dtypes
(categorical columns as ``category``, missing values as NaN) and the target as a
Series. Nothing here touches the network; the files ship compressed inside the
package.

Sources and licences
--------------------
* Adult (``load_adult``): UCI Machine Learning Repository, "Adult" (Becker and
  Kohavi, 1996; extracted from the 1994 US Census database). CC BY 4.0.
* COMPAS (``load_compas``): ProPublica, "How We Analyzed the COMPAS Recidivism
  Algorithm" (Larson, Mattu, Kirchner, Angwin, 2016), file
  ``compas-scores-two-years.csv``, published by ProPublica for analysis.
* German credit (``load_german_credit``): UCI Machine Learning Repository,
  "Statlog (German Credit Data)" (Hofmann, 1994). CC BY 4.0.
* Default (``load_default``), Bikeshare (``load_bikeshare``), Wage (``load_wage``):
  the copies distributed with ISLP (James, Witten, Hastie, Tibshirani, Taylor,
  "An Introduction to Statistical Learning with Applications in Python", 2023).
  Default and Wage: BSD-2-Clause (ISLP); Bikeshare: UCI "Bike Sharing"
  (Fanaee-T and Gama, 2013), CC BY 4.0.
"""
from ._loaders import (
    load_adult,
    load_bikeshare,
    load_compas,
    load_default,
    load_german_credit,
    load_wage,
)

__all__ = [
    "load_adult",
    "load_bikeshare",
    "load_compas",
    "load_default",
    "load_german_credit",
    "load_wage",
]
