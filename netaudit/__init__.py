"""netaudit: compliance auditing of e-government networks.

The pipeline (see SPEC §3): inventory → collect → vendors (parse) → model → network →
policy → store → report. Each stage lives in its own subpackage.
"""

__version__ = "0.1.0"
