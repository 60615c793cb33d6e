"""Vendor CLI facts as data: commands, prompts, paging and error markers per platform.

Stage: live collection (and the simulator that stands in for devices). Input: nothing (constants
only). Output: ``CLI[platform]`` — one ``CliFacts`` per platform, read by the SSH collector
(``collect/ssh.py``: which commands to send, which prompt ends an answer, how to log out) and by
the simulator (``simulate/``: which commands to answer, in which words). Keeping both sides on the
same table means a simulated device speaks exactly what the collector expects and a real one does.

The values are what the devices print: VRP 5.x/8.x, Comware 5/7, IOS 15 / IOS-XE 16, RGOS 11.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netaudit.model import Platform


@dataclass(frozen=True, slots=True)
class CliFacts:
    platform: Platform
    device_type: str  # netmiko device_type
    config_command: str
    version_command: str
    route_command: str
    paging_off: tuple[str, ...]  # what netmiko sends in session preparation
    logout_command: str
    needs_enable: bool  # IOS/RGOS: `show running-config` needs privileged EXEC
    user_prompt: str  # format string with {name}
    enable_prompt: str | None
    error_marker: str  # the line printed under the caret for an unknown command
    more_marker: str  # what the device prints at the end of a page
    # Lines the device prints before the configuration itself (IOS/RGOS), dropped on collection.
    config_preamble: tuple[re.Pattern[str], ...] = ()

    def prompt(self, name: str, enabled: bool = False) -> str:
        if enabled and self.enable_prompt is not None:
            return self.enable_prompt.format(name=name)
        return self.user_prompt.format(name=name)

    def prompt_regex(self, name: str, enabled: bool = False) -> re.Pattern[str]:
        """The prompt anchored at a line start and at the end of the buffer.

        Anchoring matters: the bare name also occurs in the `sysname`/`hostname` line of the
        configuration (NOTES-integration.md, netmiko 4.8), and an unanchored match truncates it.
        """
        return re.compile(r"(?:^|\n)" + re.escape(self.prompt(name, enabled)) + r"\s*$")


_IOS_PREAMBLE = (
    re.compile(r"^Building configuration\.\.\.\s*$"),
    re.compile(r"^Current configuration\s*:\s*\d+\s*bytes\s*$"),
)
MORE_REGEX = re.compile(r"-+ ?More ?-+\s*$")


def _vrp_family(platform: Platform, paging_off: str, error_marker: str) -> CliFacts:
    """Huawei VRP and H3C Comware: `display` commands, `<NAME>` prompt, no enable."""
    return CliFacts(
        platform=platform,
        device_type=platform.value,
        config_command="display current-configuration",
        version_command="display version",
        route_command="display ip routing-table",
        paging_off=(paging_off,),
        logout_command="quit",
        needs_enable=False,
        user_prompt="<{name}>",
        enable_prompt=None,
        error_marker=error_marker,
        more_marker="  ---- More ----",
    )


def _ios_family(platform: Platform, width: int) -> CliFacts:
    """Cisco IOS and Ruijie RGOS: `show` commands, `NAME>`/`NAME#` prompts, enable + secret."""
    return CliFacts(
        platform=platform,
        device_type=platform.value,
        config_command="show running-config",
        version_command="show version",
        route_command="show ip route",
        paging_off=(f"terminal width {width}", "terminal length 0"),
        logout_command="exit",
        needs_enable=True,
        user_prompt="{name}>",
        enable_prompt="{name}#",
        error_marker="% Invalid input detected at '^' marker.",
        more_marker=" --More-- ",
        config_preamble=_IOS_PREAMBLE,
    )


_VRP_ERROR = "Error: Unrecognized command found at '^' position."

CLI: dict[Platform, CliFacts] = {
    Platform.HUAWEI: _vrp_family(Platform.HUAWEI, "screen-length 0 temporary", _VRP_ERROR),
    Platform.HUAWEI_VRPV8: _vrp_family(
        Platform.HUAWEI_VRPV8, "screen-length 0 temporary", _VRP_ERROR
    ),
    # Comware 7 prints the same sentence as VRP but with a `%` instead of `Error:`.
    Platform.HP_COMWARE: _vrp_family(
        Platform.HP_COMWARE,
        "screen-length disable",
        "% Unrecognized command found at '^' position.",
    ),
    # netmiko's session preparation sends these widths (NOTES-integration.md).
    Platform.CISCO_IOS: _ios_family(Platform.CISCO_IOS, 511),
    Platform.RUIJIE_OS: _ios_family(Platform.RUIJIE_OS, 256),
}
