"""The audit pipeline: inventory → parse → network → checks → ``AuditRun`` (see run.py)."""
