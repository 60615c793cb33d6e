"""``netaudit reflector --listen ADDR:PORT``: the service probes ask which source they came from.

Input: listen addresses (repeatable). Output: a long-running UDP + TCP service
(``netaudit.probe.reflector``) that answers each probe request with the source address and port
it saw and the request's nonce; one log line per answered probe with ``--log``. Runs until
SIGTERM / SIGINT (systemd unit: ``deploy/netaudit-reflector.service``). Needs no root for ports
above 1023.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from netaudit.probe.reflector import REPLIES_PER_SECOND, ListenAddress, Reflector


def reflector(
    listen: Annotated[
        list[str] | None,
        typer.Option("--listen", help="ADDRESS:PORT to serve on, UDP and TCP (repeatable)."),
    ] = None,
    rate: Annotated[
        float, typer.Option("--rate", help="Replies per second at most (all clients).")
    ] = REPLIES_PER_SECOND,
    log: Annotated[bool, typer.Option("--log", help="Print one line per probe seen.")] = False,
) -> None:
    """Answer probes with the source address and port they arrived from."""
    addresses = [ListenAddress.parse(t) for t in listen or ["0.0.0.0:33434"]]
    asyncio.run(_serve(Reflector(addresses, rate=rate, log=log)))


async def _serve(server: Reflector) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, server.stop)
    await server.start()
    typer.echo("reflector listening on " + ", ".join(map(str, server.listen)) + " (udp, tcp)")
    try:
        await server.wait()
    finally:
        server.close()
