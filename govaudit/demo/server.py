"""HTTP servers of the demo: the portal host and the 发改局 site, on 127.0.0.1.

``DemoPortal`` binds two ``ThreadingHTTPServer``s (ports may be 0 = pick a free one), renders
every page of the current week for the actual base URLs and serves them from memory in daemon
threads. ``set_week(2)`` swaps in week 2's pages on the same ports (every week-1 URL stays the
same). Every answer carries Content-Type, Content-Length and a fixed ``Date`` header (the
week's day, 10:00 Beijing time), because the crawler uses the response date as "now" for
3天前-style dates. Dynamic resources: Hanweb's ``/module/web/jpage/dataproxy.jsp`` (GET and
POST), and the flaky homepages of :data:`govaudit.demo.content.FLAKY`, which answer 503 to some
of their GETs (counted per homepage since the demo started, across weeks).

Usage::

    with DemoPortal() as demo:
        urllib.request.urlopen(demo.portal_url + "/index.html")
        demo.set_week(2)

or ``python -m govaudit.demo serve --port 8000 [--week 2]`` (portal on 8000, site on 8001).
"""
from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .content import FLAKY, Flaky, build_portal
from .model import WEEKS, Portal
from .render import Resource, build_routes, dataproxy_xml, not_found_page

HOST = "127.0.0.1"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def http_date(week: int) -> str:
    """The HTTP Date every response of ``week`` carries: its day at 10:00 Beijing time (02:00 GMT)."""
    day = WEEKS[week]
    return format_datetime(datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone(timedelta(hours=8)))
                           .astimezone(timezone.utc), usegmt=True)


_UNAVAILABLE = Resource("<h1>503 Service Unavailable</h1>".encode("utf-8"), "text/html; charset=utf-8", 503)

_EMPTY_DATASTORE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>0</totalrecord>\n'
                    b"<totalpage>0</totalpage>\n<recordset>\n</recordset>\n</datastore>\n")


class _Server(ThreadingHTTPServer):
    """One host of the demo; ``role`` is "portal" or "site"."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], role: str):
        super().__init__(address, _Handler)
        self.role = role
        self.routes: dict[str, Resource] = {}
        self.portal: Portal | None = None
        self.http_date = http_date(1)
        self.flaky: dict[str, Flaky] = {}         # homepage path -> its failure pattern
        self.gets: dict[str, int] = {}            # homepage path -> GETs answered so far
        self.lock = threading.Lock()

    def flaky_answer(self, path: str) -> Resource | None:
        """The 503 a flaky homepage gives to this GET, if it is one of its failing requests."""
        flaky = self.flaky.get(path)
        if flaky is None:
            return None
        with self.lock:
            self.gets[path] = n = self.gets.get(path, 0) + 1
        return _UNAVAILABLE if flaky.fails(n) else None

    def handle_error(self, request, client_address) -> None:
        """Stay quiet when a client drops the connection; report anything else as usual."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Serves pre-rendered resources; answers dataproxy.jsp; 404 otherwise. Never logs."""
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 30
    server: _Server

    def version_string(self) -> str:
        return "Apache"

    def date_time_string(self, timestamp: float | None = None) -> str:
        return self.server.http_date

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        """Silence per-request logging."""

    # -- methods -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        failure = self.server.flaky_answer(path + "index.html" if path.endswith("/") else path)
        self._send(failure or self._resolve())

    def do_HEAD(self) -> None:
        self._send(self._resolve(), head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        split = urlsplit(self.path)
        if self.server.role == "portal" and split.path == DATAPROXY:
            params = _params(split.query)
            params.update(_params(body.decode("utf-8", "replace")))
            self._send(self._dataproxy(params))
            return
        page = self._resolve()
        if page.status == 404:
            self._send(page)
        else:
            self._send(Resource("<h1>405 Method Not Allowed</h1>".encode("utf-8"), "text/html; charset=utf-8", 405),
                       extra={"Allow": "GET, HEAD"})

    # -- helpers -------------------------------------------------------------------------------
    def _resolve(self) -> Resource:
        split = urlsplit(self.path)
        path = unquote(split.path) or "/"
        if self.server.role == "portal" and path == DATAPROXY:
            return self._dataproxy(_params(split.query))
        routes = self.server.routes
        if split.query and f"{path}?{split.query}" in routes:
            return routes[f"{path}?{split.query}"]
        if path.endswith("/"):
            path += "index.html"
        return routes.get(path) or not_found_page()

    def _dataproxy(self, params: dict[str, str]) -> Resource:
        """Hanweb jpage continuation: records startrecord..endrecord of a column as XML."""
        portal = self.server.portal
        try:
            column = None
            if params.get("columnid"):
                column = portal.hanweb(int(params["columnid"]))
            if column is None and params.get("unitid"):
                column = portal.hanweb_by_unit(int(params["unitid"]))
            perpage = int(params.get("perpage") or (column.per_page if column else 15))
            start = int(params.get("startrecord") or 1)
            end = int(params.get("endrecord") or start + perpage - 1)
        except ValueError:
            return Resource("参数错误".encode("utf-8"), "text/plain; charset=utf-8", 400)
        if column is None:
            return Resource(_EMPTY_DATASTORE, "text/xml; charset=UTF-8")
        return Resource(dataproxy_xml(column, start, end, perpage), "text/xml; charset=UTF-8")

    def _send(self, res: Resource, head: bool = False, extra: dict[str, str] | None = None) -> None:
        self.send_response(res.status)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(res.body)))
        for key, value in [*res.headers, *(extra or {}).items()]:
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(res.body)


def _params(query: str) -> dict[str, str]:
    """First value of every parameter of a query string / form body."""
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


class DemoPortal:
    """The running demo: the portal host and the 区发改局 site, both on 127.0.0.1.

    ``DemoPortal(portal_port=0, site_port=0, week=1)``; ports 0 pick free ports. Use as a
    context manager or call :meth:`start` / :meth:`stop`; :meth:`set_week` switches the week.
    """

    def __init__(self, portal_port: int = 0, site_port: int = 0, week: int = 1):
        assert week in WEEKS, week
        self._ports = (portal_port, site_port)
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self.week = week

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def _url(self, index: int) -> str:
        if not self._servers:
            raise RuntimeError("DemoPortal is not started")
        host, port = self._servers[index].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def portal_url(self) -> str:
        """Base URL of the portal host, e.g. ``http://127.0.0.1:43121`` (no trailing slash)."""
        return self._url(0)

    @property
    def site_url(self) -> str:
        """Base URL of the 区发改局 site."""
        return self._url(1)

    def start(self) -> "DemoPortal":
        """Bind both servers, render the pages for their URLs and serve in daemon threads."""
        if self._servers:
            return self
        servers: list[_Server] = []
        try:
            for role, port in zip(("portal", "site"), self._ports):
                servers.append(_Server((HOST, port), role))
        except OSError:
            for srv in servers:
                srv.server_close()
            raise
        self._servers = servers
        self.set_week(self.week)
        portal = build_portal(self.week)
        for srv in servers:
            srv.flaky = {s.index_path: f for f in FLAKY for s in portal.sites
                         if s.id == f.site and s.host == srv.role}
            thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"govaudit-demo-{srv.role}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def set_week(self, week: int) -> None:
        """Serve ``week``'s pages (and its Date header) from now on, on the same ports."""
        assert week in WEEKS, week
        self.week = week
        if not self._servers:
            return
        portal = build_portal(week)
        routes = build_routes(portal, self.portal_url, self.site_url)
        for srv in self._servers:
            srv.routes, srv.portal, srv.http_date = routes[srv.role], portal, http_date(week)

    def stop(self) -> None:
        """Stop serving and close the sockets (idempotent)."""
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> "DemoPortal":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(port: int = 8000, week: int = 1) -> None:
    """Run the demo in the foreground: portal on ``port``, 区发改局 site on ``port + 1``; Ctrl-C stops."""
    demo = DemoPortal(port, port + 1, week).start()
    print(f"week {week} ({WEEKS[week]})")
    print(f"青溪区人民政府门户网站 (portal): {demo.portal_url}/index.html")
    print(f"青溪区发展和改革局 (site):        {demo.site_url}/index.html")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        demo.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``govaudit demo serve``-style callers: ``main(["--port", "8000"])``."""
    import argparse

    parser = argparse.ArgumentParser(description="Serve the govaudit demo portal (portal on PORT, site on PORT+1).")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--week", type=int, choices=sorted(WEEKS), default=1)
    args = parser.parse_args(argv)
    serve_forever(args.port, args.week)
    return 0
