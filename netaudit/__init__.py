"""netaudit: compliance auditing of e-government networks.

The pipeline (see SPEC §3): inventory → collect → vendors (parse) → model → network →
policy → store → report. Each stage lives in its own subpackage.
"""

# First: compiled modules that no longer match their sources must not be imported (_native).
from netaudit import _native as _native

_native.guard()

__version__ = "0.1.0"
