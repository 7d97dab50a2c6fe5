"""Make the leaf-model oracle in tests/explain importable from the plot tests."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "explain"))
