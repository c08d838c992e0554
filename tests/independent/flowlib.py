"""flowlib: what the end-to-end flows share to load each other.

The flows' files have hyphens in their names (keyboard-test.py, ...), so
they are loaded by path rather than imported.
"""

import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, filename):
    """Loads HERE/filename as a module called name."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
