"""The whole exception tree of netaudit.

Everything a user can cause (a bad inventory, an unreadable config, a wrong option) raises a
subclass of ``NetauditError``; the CLI prints its message and exits 2. Anything else is a bug
and exits 70. Third-party exceptions are translated at the one module that imports the library
(``raise OurError(...) from exc``).

    NetauditError                  user-facing; message says what, where and what to do
    ├── InventoryError             the inventory cannot be loaded (validation problems listed)
    ├── ConfigError                a device config cannot be read or parsed at all
    │   └── PlatformDetectError    --platform auto could not tell the platform
    ├── PolicyError                a rule pack is malformed or names an unknown check
    ├── CollectError               live collection of one device failed (carries a status)
    ├── ProbeError                 a probe cannot run (not root, target not allowed, ...)
    ├── StoreError                 the database is not a netaudit store, is corrupt or too new
    └── UsageError                 an option or argument makes no sense
"""

from __future__ import annotations


class NetauditError(Exception):
    """Root of every error a user can cause; the message is shown as is."""


class InventoryError(NetauditError):
    """The inventory has problems; ``problems`` holds them all."""

    def __init__(self, message: str, problems: list[object] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ConfigError(NetauditError):
    """A device configuration cannot be read or parsed."""


class PlatformDetectError(ConfigError):
    """The platform of a configuration could not be detected."""


class PolicyError(NetauditError):
    """A rule pack is malformed."""


class CollectError(NetauditError):
    """Collecting one device failed; ``status`` is the per-device status code."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status


class ProbeError(NetauditError):
    """A probe cannot run as asked."""


class StoreError(NetauditError):
    """The store cannot be used safely."""


class UsageError(NetauditError):
    """A command-line option or argument is invalid."""
