"""MAC vendor prefixes (OUI) for the rogue-gateway report, as data.

Stage: probe (reporting). Input: a MAC address. Output: the vendor registered for its first three
bytes when this small excerpt of the IEEE registry knows it, else None. The table favours what
turns up on office LANs: consumer routers and 4G hotspots (the usual rogue gateways), the
sanctioned network vendors, printers, virtual machines. Extend it here; nothing else changes.
"""

from __future__ import annotations

OUI_VENDORS: dict[str, str] = {
    # Sanctioned network vendors (SPEC: Huawei, H3C, Cisco, Ruijie)
    "00:e0:fc": "Huawei",
    "00:25:9e": "Huawei",
    "28:6e:d4": "Huawei",
    "00:0f:e2": "H3C",
    "00:00:0c": "Cisco",
    "00:74:9c": "Ruijie",
    "58:69:6c": "Ruijie",
    # Consumer routers and hotspots: the usual rogue gateways
    "14:cf:92": "TP-Link",
    "50:c7:bf": "TP-Link",
    "c0:4a:00": "TP-Link",
    "ec:08:6b": "TP-Link",
    "f4:f2:6d": "TP-Link",
    "c8:3a:35": "Tenda",
    "00:14:6c": "Netgear",
    "00:09:5b": "Netgear",
    "00:05:5d": "D-Link",
    "1c:7e:e5": "D-Link",
    "64:09:80": "Xiaomi",
    "28:6c:07": "Xiaomi",
    # Printers
    "00:00:85": "Canon",
    "00:80:77": "Brother",
    "00:00:48": "Seiko Epson",
    # Small computers and virtual machines
    "b8:27:eb": "Raspberry Pi",
    "dc:a6:32": "Raspberry Pi",
    "e4:5f:01": "Raspberry Pi",
    "00:50:56": "VMware",
    "00:0c:29": "VMware",
    "08:00:27": "VirtualBox",
    "52:54:00": "QEMU/KVM",
    # Virtual router MACs: a first-hop redundancy group's shared address
    "00:00:5e": "IANA (e.g. VRRP virtual router)",
}


def normalize_mac(mac: str) -> str:
    """``AA-BB-CC-DD-EE-FF`` / ``aabb.ccdd.eeff`` → ``aa:bb:cc:dd:ee:ff``."""
    digits = "".join(c for c in mac.lower() if c in "0123456789abcdef")
    if len(digits) != 12:
        raise ValueError(f"{mac!r} is not a MAC address")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def vendor_of(mac: str) -> str | None:
    """The vendor of ``mac``'s OUI; "locally administered" for random / virtual MACs."""
    norm = normalize_mac(mac)
    known = OUI_VENDORS.get(norm[:8])
    if known is not None:
        return known
    if int(norm[:2], 16) & 0x02:
        # Bit 1 of the first byte: not a registered vendor prefix (phones' private addresses,
        # veth pairs, some hotspots).
        return "locally administered"
    return None
