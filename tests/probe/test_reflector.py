"""The reflector over loopback: it echoes the source it saw, remembers nonces, never amplifies.

No root needed: a real reflector on 127.0.0.1 and real UDP/TCP sockets (loopback only).
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from netaudit.probe import wire
from netaudit.probe.reflector import ListenAddress, Reflector
from netaudit.probe.report import Protocol


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", 0))
        port = int(u.getsockname()[1])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
        t.bind(("127.0.0.1", port))  # free for TCP as well
    return port


@pytest.fixture
def reflector() -> Iterator[tuple[str, int]]:
    """A reflector on a wildcard-free loopback address, served by a background event loop."""
    port = _free_port()
    loop = asyncio.new_event_loop()
    server = Reflector([ListenAddress(IPv4Address("127.0.0.1"), port)])
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)

        async def main() -> None:
            await server.start()
            started.set()
            await server.wait()
            server.close()

        loop.run_until_complete(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield "127.0.0.1", port
    loop.call_soon_threadsafe(server.stop)
    thread.join(10)
    loop.close()


def _udp(addr: tuple[str, int], payload: bytes) -> tuple[bytes | None, int]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(1.0)
        s.sendto(payload, addr)
        try:
            return s.recv(2048), int(s.getsockname()[1])
        except TimeoutError:
            return None, int(s.getsockname()[1])


def _tcp(addr: tuple[str, int], payload: bytes) -> list[bytes]:
    with socket.create_connection(addr, timeout=2) as c:
        c.sendall(payload)
        c.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := c.recv(4096):
            data += chunk
    return data.splitlines()


def test_udp_reply_names_nonce_source_and_port(reflector: tuple[str, int]) -> None:
    nonce = wire.new_nonce()
    reply, my_port = _udp(reflector, wire.encode_request(nonce))
    assert reply is not None
    s = wire.parse_reply(reply)
    assert s == wire.Sighting(nonce, Protocol.UDP, IPv4Address("127.0.0.1"), my_port)
    assert len(reply) < wire.REQUEST_SIZE  # never larger than the request: no amplification


def test_short_or_malformed_udp_requests_get_no_answer(reflector: tuple[str, int]) -> None:
    nonce = wire.new_nonce()
    short = f"NETAUDIT-PROBE/1 {nonce}\n".encode()
    assert _udp(reflector, short)[0] is None
    assert _udp(reflector, b"GET / HTTP/1.0\r\n".ljust(200))[0] is None


def test_tcp_reply_and_the_memory_of_seen_nonces(reflector: tuple[str, int]) -> None:
    seen = wire.new_nonce()
    lines = _tcp(reflector, wire.encode_request(seen))
    first = wire.parse_reply(lines[0])
    assert first is not None and first.nonce == seen and first.protocol is Protocol.TCP
    udp_seen = wire.new_nonce()
    assert _udp(reflector, wire.encode_request(udp_seen))[0] is not None
    never = wire.new_nonce()
    answer = _tcp(reflector, wire.encode_query([seen, never, udp_seen]))
    assert answer[-1] == b"END"
    found = {s.nonce: s for s in map(wire.parse_reply, answer[:-1]) if s is not None}
    assert set(found) == {seen, udp_seen}  # the unknown nonce is not reported
    assert found[udp_seen].protocol is Protocol.UDP


def test_reflector_command_rejects_a_bad_listen_address() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netaudit", "reflector", "--listen", "nowhere"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "--listen 'nowhere': expected ADDRESS:PORT" in proc.stderr


def test_wire_round_trip_and_rejects() -> None:
    nonce = wire.new_nonce()
    req = wire.encode_request(nonce)
    assert len(req) == wire.REQUEST_SIZE and wire.parse_request(req) == nonce
    assert wire.parse_request(req.replace(nonce.encode(), b"x" * 16)) is None
    s = wire.Sighting(nonce, Protocol.TCP, IPv4Address("203.0.113.2"), 40000)
    assert wire.parse_reply(wire.encode_reply(s)) == s
    assert wire.parse_reply(wire.encode_reply(s, "SEEN")) == s
    assert wire.parse_reply(b"NETAUDIT-REFLECT/1 zz tcp 1.2.3.4 5") is None
    assert wire.parse_query(wire.encode_query([nonce, nonce])) == [nonce, nonce]


def test_systemd_unit_command_serves_and_stops_on_sigterm() -> None:
    unit = (
        Path(__file__).resolve().parents[2] / "deploy" / "netaudit-reflector.service"
    ).read_text()
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    args = exec_start.removeprefix("ExecStart=").split()
    assert args[0].endswith("/netaudit") and args[1] == "reflector"
    # The unit's own options, on a loopback port instead of the public wildcard.
    port = _free_port()
    options = [f"127.0.0.1:{port}" if a.startswith("0.0.0.0:") else a for a in args[2:]]
    proc = subprocess.Popen(
        [sys.executable, "-m", "netaudit", "reflector", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert "listening on 127.0.0.1:" in proc.stdout.readline()
        nonce = wire.new_nonce()
        reply, _ = _udp(("127.0.0.1", port), wire.encode_request(nonce))
        assert reply is not None and nonce.encode() in reply
        assert nonce in proc.stdout.readline()  # --log: one line per probe
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
