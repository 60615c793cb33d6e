"""Egress probes (SPEC §3, the probe stage): what leaves a unit's LAN, seen from inside.

Input: the inventory and a probe host's own network. Output: ``report.ProbeReport``. The modules
in pipeline order: ``plan`` (what may be sent; allow-list, bounds, ``--dry-run``), ``safety``
(the guard every packet passes), ``engine`` (the only importer of scapy: ARP scan, traces,
sweep), ``client`` (kernel-socket talk with reflectors), ``analysis`` (egress hops, exits,
gateways), ``run`` (one run, start to end), ``report`` (the typed result, JSON both ways),
``wire`` and ``reflector`` (the far end's protocol and service), ``oui`` (MAC vendors, as data).
"""
