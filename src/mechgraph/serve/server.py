"""Listening: a socket bound before the server starts (so that ``--port 0`` can say
which port it got), and uvicorn serving an app on it until Ctrl-C or :meth:`Server.stop`.
"""

from __future__ import annotations

import socket
import threading


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket.

    Parameters
    ----------
    host : str
        An IPv4 or IPv6 address, or a name.
    port : int
        The port; 0 takes any free port.

    Returns
    -------
    socket.socket
        Bound, listening and inheritable.

    Raises
    ------
    OSError
        When the address is taken or unknown.

    Examples
    --------
    >>> from mechgraph.serve import listen, url
    >>> sock = listen("127.0.0.1", 0)
    >>> url(sock).startswith("http://127.0.0.1:")
    True
    >>> sock.close()
    """
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
    """The address a browser opens for a listening socket.

    Parameters
    ----------
    sock : socket.socket
        A listening socket (:func:`listen`).

    Returns
    -------
    str
        ``http://HOST:PORT/``, an IPv6 host in brackets.

    Examples
    --------
    >>> from mechgraph.serve import listen, url
    >>> sock = listen("127.0.0.1", 0)
    >>> url(sock) == f"http://127.0.0.1:{sock.getsockname()[1]}/"
    True
    >>> sock.close()
    """
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


class Server:
    """uvicorn serving ``app`` on a listening socket, quietly (errors only).

    Parameters
    ----------
    app : Starlette
        The application (:func:`~mechgraph.serve.app.create_app`).
    sock : socket.socket
        A listening socket (:func:`listen`); closed when the server stops.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.serve import LiveGraph, Server, create_app, listen
    >>> live = LiveGraph("tests/data/example-graph", MechGraph.load("tests/data/example-graph"))
    >>> server = Server(create_app(live), listen("127.0.0.1", 0))
    >>> thread = server.start()  # doctest: +SKIP
    >>> server.stop()  # doctest: +SKIP
    >>> server.sock.close()
    """

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
