"""The oracle's routing tables parse to exactly what they say (issue 10, deliverable 1).

Batfish's RIB for the example network exists twice in the oracle: as JSON rows
(``batfish-snapshot/refs/routes.ref``, Batfish's own answer) and rendered in IOS `show ip route`
layout (``rib-from-routes-ref/``). Parsing the rendering must give back every router row of the
JSON — same node, prefix, protocol, distance and next hop (309 rows). The real routers' captures
(``routes/``) have no JSON twin; there every next-hop line must become one next hop, and the
routes the README's hand traces quote must read as quoted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from ipaddress import IPv4Address
from typing import cast

from netaudit.collect.routes import parse_routing_table
from netaudit.model import RibRoute

from .oracle_helpers import require_oracle

# Batfish protocol names → netaudit's (aggregate: the BGP `aggregate-address` Null0 route).
_PROTOCOL = {
    "connected": "connected",
    "local": "local",
    "static": "static",
    "ospf": "ospf",
    "ospfE2": "ospf",
    "bgp": "bgp",
    "ibgp": "bgp",
    "aggregate": "bgp",
}
Row = tuple[str, str, str, int, str, str]


def _parsed(folder: str) -> dict[str, list[RibRoute]]:
    oracle = require_oracle()
    return {
        f.stem: parse_routing_table(f.read_text(), "cisco_ios", f.name)
        for f in sorted((oracle / folder).glob("*.txt"))
    }


def _rows(tables: dict[str, list[RibRoute]]) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    for node, routes in tables.items():
        for r in routes:
            for h in r.next_hops:
                nh = "" if h.next_hop is None else str(h.next_hop)
                rows[
                    (
                        node,
                        r.prefix.with_prefixlen,
                        r.protocol,
                        r.preference or 0,
                        nh,
                        h.interface or "",
                    )
                ] += 1
    return rows


def test_batfish_rib_rendering_parses_back_to_every_routes_ref_row() -> None:
    oracle = require_oracle()
    answer = json.loads((oracle / "batfish-snapshot/refs/routes.ref").read_text())
    expected: Counter[Row] = Counter()
    for row in cast(list[dict[str, object]], answer[0]["rows"]):
        node = cast(dict[str, str], row["Node"])["name"]
        if node.startswith("host"):
            continue  # hosts are not routers (the README leaves their 6 rows out)
        hop = cast(dict[str, str], row["Next_Hop"])
        interface = "Null0" if hop["type"] == "discard" else hop.get("interface", "")
        expected[
            (
                node,
                str(row["Network"]),
                _PROTOCOL[str(row["Protocol"])],
                cast(int, row["Admin_Distance"]),
                hop.get("ip", ""),
                interface,
            )
        ] += 1
    got = _rows(_parsed("batfish-snapshot/rib-from-routes-ref"))
    assert sum(expected.values()) == 309
    assert got == expected


_NEXT_HOP_LINE = re.compile(r"\bvia\b|is directly connected")


def test_captured_ribs_every_next_hop_line_is_one_next_hop() -> None:
    oracle = require_oracle()
    tables = _parsed("routes")
    assert len(tables) == 13
    for node, routes in tables.items():
        text = (oracle / "routes" / f"{node}.txt").read_text()
        lines = sum(1 for line in text.splitlines() if _NEXT_HOP_LINE.search(line))
        assert sum(len(r.next_hops) for r in routes) == lines, node


def test_captured_routes_read_as_the_readme_quotes_them() -> None:
    tables = {n: {r.prefix.with_prefixlen: r for r in rs} for n, rs in _parsed("routes").items()}

    def hops(node: str, prefix: str) -> list[tuple[str | None, str | None]]:
        route = tables[node][prefix]
        return [(str(h.next_hop) if h.next_hop else None, h.interface) for h in route.next_hops]

    # `2.0.0.0/16 is subnetted` then `B 2.128.0.0 [200/50] via 10.12.11.2` (recursive).
    core = tables["as1core1"]["2.128.0.0/16"]
    assert (core.protocol, core.preference) == ("bgp", 200)
    assert hops("as1core1", "2.128.0.0/16") == [("10.12.11.2", None)]
    assert hops("as1core1", "10.12.11.0/24") == [("1.0.1.1", "GigabitEthernet1/0")]  # O E2
    # eBGP ECMP at as2dept1 (continuation line).
    assert hops("as2dept1", "1.0.1.0/24") == [("2.34.201.3", None), ("2.34.101.3", None)]
    # The aggregate-address summary: `B 2.128.0.0/16 [200/0] via 0.0.0.0, ..., Null0`.
    assert tables["as2border1"]["2.128.0.0/16"].null
    # One iBGP path only on the real routers (no iBGP multipath).
    assert hops("as2border1", "2.128.0.0/24") == [("2.34.101.4", None)]
    # as3core1 Gi3/0 is shut: one connected route, Gi2/0 only.
    assert hops("as3core1", "90.90.90.0/24") == [(None, "GigabitEthernet2/0")]
    # as2core2 learned no BGP route (filter-bogons on its iBGP peer-group).
    assert not [r for r in tables["as2core2"].values() if r.protocol == "bgp"]
    assert tables["as2dept1"]["2.1.1.2/32"].next_hops[0].interface == "Loopback0"
    assert IPv4Address("2.128.0.101") in tables["as2dept1"]["2.128.0.0/24"].prefix
