"""Binning and binarization shared by every glassbox model family."""
from ._binarizer import FeatureBinarizer
from ._binner import FeatureBinner
from ._conditions import Condition

__all__ = ["Condition", "FeatureBinarizer", "FeatureBinner"]
