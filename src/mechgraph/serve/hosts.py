"""The Host-header check that keeps other web sites away from the local server.

A page on another site can make a browser send requests to 127.0.0.1 through a name
it controls that resolves to the loopback address (DNS rebinding); such a request
carries that name in its Host header. The server answers only requests whose Host is
a loopback name (``127.0.0.1``, ``localhost``, ``[::1]``) or the address it was told
to listen on, with or without a port, and refuses every other with 421.

>>> allowed = allowed_hosts("127.0.0.1")
>>> [host_allowed(h, allowed) for h in ("127.0.0.1:8765", "LOCALHOST", "evil.example:8765", "")]
[True, True, False, False]
"""

from __future__ import annotations

import re

#: names that always mean this machine
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: a Host header: a name or bracketed IPv6 address, then an optional port
_HOST = re.compile(r"(\[[0-9a-fA-F:.]+\]|[^\s:\[\]/@]+)(?::(\d{1,5}))?\Z")


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a server listening on ``host`` answers (lower case, IPv6 in brackets)."""
    name = host.strip().lower()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return frozenset((*LOOPBACK_NAMES, name))


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Whether a Host header names one of ``allowed`` (any port)."""
    match = _HOST.match(header.strip())
    return match is not None and match.group(1).lower() in allowed


class HostCheck:
    """ASGI middleware: pass on requests whose Host header is allowed; answer any other
    with ``421 Misdirected Request`` (400 when there is no Host header)."""

    def __init__(self, app, allowed: frozenset[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = [value for key, value in scope.get("headers", ()) if key == b"host"]
        if len(headers) == 1 and host_allowed(headers[0].decode("latin-1"), self.allowed):
            return await self.app(scope, receive, send)
        status = 400 if not headers else 421
        body = b"this server answers only requests addressed to it by a local name\n"
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
