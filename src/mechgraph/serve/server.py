"""Listening: a socket bound before the server starts (so that ``--port 0`` can say
which port it got), and uvicorn serving an app on it until Ctrl-C or :meth:`Server.stop`.
"""

from __future__ import annotations

import socket
import threading


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host`` (an IPv4 or IPv6 address, or a name) and
    ``port`` (0: any free port). Raises OSError when the address is taken or unknown."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url(sock: socket.socket) -> str:
    """The address a browser opens for a listening socket."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


class Server:
    """uvicorn serving ``app`` on a listening socket, quietly (errors only)."""

    def __init__(self, app, sock: socket.socket):
        import uvicorn
        self.sock = sock
        self.uvicorn = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                                     timeout_graceful_shutdown=2))

    def run(self) -> None:
        """Serve until Ctrl-C (or :meth:`stop` from another thread)."""
        try:
            self.uvicorn.run(sockets=[self.sock])
        finally:
            self.sock.close()

    def start(self) -> threading.Thread:
        """Serve in a daemon thread (for tests and notebooks); returns when it answers."""
        thread = threading.Thread(target=self.run, name="mechgraph-serve", daemon=True)
        thread.start()
        while not self.uvicorn.started and thread.is_alive():
            threading.Event().wait(0.02)
        return thread

    def stop(self) -> None:
        """Ask the server to finish its requests and stop."""
        self.uvicorn.should_exit = True
