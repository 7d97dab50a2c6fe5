"""glassbox: glass-box models for tabular data."""
from ._version import __version__

__all__ = ["__version__"]
