"""The optional compiled parts (``setup.py`` builds them; each has a Python twin that is the
reference and the fallback, and gives the same results).

| module | Python twin |
|---|---|
| ``cleaner._walk`` | ``cleaner.segment.python_blocks_of`` |
| ``cleaner._text`` | ``cleaner.text.python_tokens``, ``cleaner.document.python_derived_fields`` |
| ``cleaner._features`` | ``cleaner.features.python_block_facts``, ``cleaner.lexicon.python_lexical_stats`` |
| ``cleaner._trees`` | scikit-learn's tree predictor (``cleaner.trees.BoostedTrees``) |

``CLEANER_PURE_PYTHON=1`` runs every twin instead (to compare or debug them).
"""
from __future__ import annotations

import importlib
import os
import types
import warnings

COMPILED_MODULES = ("_walk", "_text", "_features", "_trees")


def compiled_module(name: str) -> types.ModuleType | None:
    """``cleaner.<name>`` where it was built and CLEANER_PURE_PYTHON is not set, else None."""
    if os.environ.get("CLEANER_PURE_PYTHON"):
        return None
    try:
        return importlib.import_module(f"cleaner.{name}")
    except ImportError:  # not built (no C compiler at install time): the twin gives the same results
        return None
    except Exception as error:  # noqa: BLE001 - built against another lxml or numpy whose C API differs
        warnings.warn(f"cleaner: the compiled {name} does not load ({error}); using its Python twin "
                      "(reinstall cleaner to rebuild it)", RuntimeWarning, stacklevel=2)
        return None


def compiled_parts() -> tuple[str, ...]:
    """Which compiled parts load (``cleaner --version`` lists them)."""
    return tuple(name for name in COMPILED_MODULES if compiled_module(name) is not None)
