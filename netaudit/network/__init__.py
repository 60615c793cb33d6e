"""The network model and path tracing (SPEC §3 "network model" and "analysis" stages).

Input: parsed ``Device`` objects (``netaudit.model``), explicit links and the city's internal
space. Output: what the plan checks ask about the network. One module per concern:

- ``prefixes``: longest-prefix-match tables (the index everything else uses);
- ``topology``: address owners, link subnets, inferred and explicit L3 links;
- ``planes``: which plane (intranet, extranet, office, private, platform, internet) an address is;
- ``fib``: per-device, per-VRF forwarding tables from connected + static routes or a saved RIB;
- ``exits``: internet exits with the config lines that prove them, grouped per ISP line;
- ``flow``, ``filters``, ``nat``: the packet, ACL / zone-policy evaluation, NAT on one hop;
- ``trace``: hop-by-hop path tracing with Batfish's dispositions.
"""
