"""``python -m cleaner`` is the ``cleaner`` command."""
from cleaner.cli import entry_point

entry_point()
