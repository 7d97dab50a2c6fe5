"""Shared test configuration: hypothesis profiles and the optional ../shared data."""
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data():
    """Path of ../shared/data (real data kept outside the package); skip when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (it exists beside the checkout in CI only)")
    return SHARED_DATA


def pytest_collection_modifyitems(config, items):
    if os.environ.get("GLASSBOX_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow test: set GLASSBOX_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
