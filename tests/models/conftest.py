"""Fixtures for the models suite (logged models, registry, datasets) with the real mlflow client.

The server fixture, target selection (TRACKER_URI / TRACKER_CMD / TRACKER_TARGET=mlflow) and failure
reports come from tests/compat/conftest.py, loaded here under its own module name so both suites can
run in one pytest process or separately.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

COMPAT_DIR = Path(__file__).resolve().parents[1] / "compat"
sys.path.insert(0, str(COMPAT_DIR))  # the compat conftest imports its `helpers` module

_spec = importlib.util.spec_from_file_location("compat_conftest", COMPAT_DIR / "conftest.py")
_compat = importlib.util.module_from_spec(_spec)
sys.modules["compat_conftest"] = _compat
_spec.loader.exec_module(_compat)



def _is_fixture(obj) -> bool:
    # pytest >= 8.4 wraps fixtures in FixtureFunctionDefinition; older ones mark the function.
    return type(obj).__name__ == "FixtureFunctionDefinition" or hasattr(obj, "_pytestfixturefunction")


# Every fixture and hook of the compat conftest, re-exported so pytest collects them for this directory
# (by name, so fixtures the compat suite adds or renames later come along).
for _name in dir(_compat):
    _obj = getattr(_compat, _name)
    if _name.startswith("pytest_") or _is_fixture(_obj):
        globals()[_name] = _obj
