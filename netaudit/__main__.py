"""``python -m netaudit``: same as the console script."""

from netaudit.cli.main import entry

entry()
