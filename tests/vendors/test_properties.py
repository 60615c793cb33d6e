"""Property tests: random and mutated configs fed to every registered parser.

A parser may reject input only with ``NetauditError`` (never any other exception), must return
in bounded time, and must put every line in exactly one coverage bucket.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netaudit.errors import NetauditError
from netaudit.model import Platform
from netaudit.vendors.base import parse_bytes
from tests.vendors._platforms import hang_guard, platform_params

HERE = Path(__file__).parent
SEEDS = sorted(HERE.glob("*/*/*/input.cfg"))
SEED_BYTES = [p.read_bytes() for p in SEEDS] or [b"hostname R1\nend\n"]

TOKENS = [
    "interface", "GigabitEthernet0/0/1", "GigabitEthernet 0/1", "Gi0/1", "Vlanif10", "ip",
    "address", "10.1.1.1", "255.255.255.0", "24", "no", "undo", "shutdown", "description",
    "!", "#", "return", "end", "banner", "motd", "^C", "#", "%", "access-list", "acl", "rule",
    "permit", "deny", "tcp", "any", "host", "eq", "www", "range", "source", "destination",
    "ip route", "ip route-static", "0.0.0.0", "Null0", "NULL0", "vrf", "vpn-instance", "nat",
    "inside", "outside", "server", "static", "snmp-server", "snmp-agent", "community", "public",
    "password", "secret", "cipher", "simple", "7", "5", "9", "local-user", "username", "line",
    "vty", "0", "4", "user-interface", "authentication-mode", "aaa", "security-policy",
    "security-zone", "zone-pair", "zone", "class-map", "policy-map", "type", "inspect", "quit",
    "sysname", "hostname", "version", "priority", "192.0.2.999", "999999999999", "-1", "\t",
    "中文描述", "\u00a0", "\x1b[42D", "---- More ----", "--More--", "<R1>", "R1#",
]  # fmt: skip

line = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "\t"]),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=10),
).map(lambda t: t[0] + " ".join(t[1]))
random_config = st.lists(line, max_size=60).map(lambda ls: "\n".join(ls).encode("utf-8", "replace"))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed config with lines deleted, duplicated, swapped, re-indented, cut or garbled."""
    data = draw(st.sampled_from(SEED_BYTES))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["del", "dup", "swap", "indent", "dedent", "no", "junk", "cut"]))
        if op == "del":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = b" " * draw(st.integers(1, 4)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "no":
            lines[i] = draw(st.sampled_from([b"no ", b"undo "])) + lines[i].lstrip()
        elif op == "junk":
            lines[i] = lines[i] + b" " + draw(st.binary(max_size=16))
        else:
            cut = draw(st.integers(0, len(lines[i])))
            lines = [*lines[:i], lines[i][:cut]]
    return b"\n".join(lines)


def _check(platform: Platform, data: bytes) -> None:
    with hang_guard(60):
        try:
            device = parse_bytes(data, platform, "fuzz.cfg")
        except NetauditError:
            return
    cov = device.coverage
    assert cov.recognized + cov.unsupported + cov.unrecognized == cov.total
    assert len(cov.unrecognized_lines) == cov.unrecognized


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("platform", platform_params())
@SETTINGS
@given(data=random_config)
def test_random_configs_never_crash(platform: Platform, data: bytes) -> None:
    _check(platform, data)


@pytest.mark.parametrize("platform", platform_params())
@SETTINGS
@given(data=mutated())
def test_mutated_configs_never_crash(platform: Platform, data: bytes) -> None:
    _check(platform, data)


@pytest.mark.parametrize("platform", platform_params())
@SETTINGS
@given(data=st.binary(max_size=512))
def test_random_bytes_never_crash(platform: Platform, data: bytes) -> None:
    _check(platform, data)
