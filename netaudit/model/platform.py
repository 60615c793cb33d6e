"""The platforms netaudit parses (``Platform``), apart from the device model.

``device.py`` is compiled with mypyc (``netaudit._native``), which replaces a class's
docstring; the inventory's JSON schema shows this one to the people who write inventories.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """Platforms, named by netmiko ``device_type``."""

    HUAWEI = "huawei"
    HUAWEI_VRPV8 = "huawei_vrpv8"
    HP_COMWARE = "hp_comware"
    CISCO_IOS = "cisco_ios"
    RUIJIE_OS = "ruijie_os"
