"""Plan checks (SPEC §6, the Xi'an plan pack): exits, uplinks, isolation, office subnets, probes.

Input: the audit context's network analysis and probe observations. Output: per-subject
outcomes. Placeholder until ``netaudit.network`` lands.
"""
