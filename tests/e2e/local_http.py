"""Helpers for the end-to-end tests' own local servers."""
from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler


def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released): one to start a
    server on, or one that stands for a host refusing connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers in one call (`send`)."""

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=()) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
