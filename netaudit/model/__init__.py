"""The normalized device model (SPEC §5); see ``device.py`` and ``serialize.py``."""

from netaudit.model.device import *  # noqa: F403
from netaudit.model.device import __all__ as __all__
