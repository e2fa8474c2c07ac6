"""Test setup: the tests folder's builders importable as plain modules; Hypothesis profiles."""

import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).parent.parent / "tools"))  # the developer tools (make_templates)

# CI runs the property tests derandomized: the same examples every run, so a red CI run is
# reproducible and never a fluke of the draw; on a developer's machine they keep exploring.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_collection_modifyitems(config, items):
    """Marks for `make test-snel`, which leaves out what takes most of the suite's time:
    the browser tests, the benchmark, and everything that needs LibreOffice (``slow``)."""
    import pytest

    for item in items:
        module = item.path.name if hasattr(item, "path") else ""
        if module == "test_notebooks_browser.py":
            item.add_marker(pytest.mark.browser)
        elif module == "test_bench.py":
            item.add_marker(pytest.mark.bench)
        if any("LibreOffice" in str(mark.kwargs.get("reason", "")) for mark in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.slow)
