"""A portal of misbehaving endpoints for the hostile-site suite (tests/e2e/test_hostile_sites.py).

One threaded HTTP server on 127.0.0.1 answers two host names: ``127.0.0.1`` (the hostile site and a
healthy column next to it) and ``localhost`` (a host that asks for back-off with 503/429 +
Retry-After). Every request is logged with its arrival time and Host header; the endpoints that
stream (the 50 MB page, the trickle) record how many bytes they managed to send and when the
client hung up. Where http.server cannot misbehave enough the handler uses the raw socket
(RST with SO_LINGER 0, non-HTTP bytes).
"""
from __future__ import annotations

import gzip
import io
import socket
import struct
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .local_http import QuietHandler

HUGE_BYTES = 50_000_000
BOMB_BYTES = 100_000_000          # declared uncompressed size of each zip-bomb member
ITEMS = 5                         # entries of the healthy column
LIST = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; {title}</div><ul class='list'>{items}</ul></body></html>")
#: Endpoints linked from the hostile site's homepage (the healthy column is a configured column).
HOSTILE = ["/cal?month=2026-06", "/grow?s=ab", "/loop/a/", "/redirect-loop", "/redirect-chain?n=1",
           "/huge.html", "/gzip-bomb.html", "/trickle.html", "/malformed.html", "/wrong-charset.html",
           "/no-charset.html", "/binary.html", "/files/bomb.xlsx", "/files/bomb.docx", "/files/broken.pdf",
           "/files/loop.pdf", "/module/web/jpage/dataproxy.jsp?columnid=9&unitid=1", "/private/secret.html",
           "/xxe.html", "/refresh.html", "/reset.html", "/reset-mid.html", "/garbage.html"]


def list_page(title: str, links: list[str], day0: int = 1) -> bytes:
    items = "".join(f"<li><a href='{u}'>第{i + 1}条{title}测试信息标题</a><span>2026-11-{(i + day0) % 28 + 1:02d}</span></li>"
                    for i, u in enumerate(links))
    return LIST.format(title=title, items=items).encode()


def zip_bomb(kind: str) -> bytes:
    """An xlsx or docx whose one big member declares BOMB_BYTES (zeros compress ~1000:1)."""
    member = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
    marker = "xl/workbook.xml" if kind == "xlsx" else "word/styles.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(marker, "<x/>")
        with archive.open(member, "w", force_zip64=True) as stream:
            chunk = b"\0" * 1_000_000
            for _ in range(BOMB_BYTES // len(chunk)):
                stream.write(chunk)
    return out.getvalue()


def gzip_bomb() -> bytes:
    """BOMB_BYTES of zeros, gzip-compressed chunk by chunk (never held inflated)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as stream:
        chunk = b"\0" * 1_000_000
        for _ in range(BOMB_BYTES // len(chunk)):
            stream.write(chunk)
    return out.getvalue()


LOOP_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[2 0 R 3 0 R]/Count 2>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length 999999/Filter/FlateDecode>>stream\nxx\nendstream endobj\n"
            b"trailer<</Root 1 0 R/Size 5>>\n%%EOF")


def doctype(root: str, secret_path: str) -> str:
    """An XML prolog and DOCTYPE declaring an external entity (XXE) and a billion-laughs expansion."""
    laughs = "".join(f"<!ENTITY lol{i} '{('&lol%d;' % (i - 1)) * 10}'>" for i in range(1, 10))
    return ("<?xml version='1.0' encoding='utf-8'?>\n"
            f"<!DOCTYPE {root} [<!ENTITY xxe SYSTEM 'file://{secret_path}'><!ENTITY lol0 'lol'>{laughs}]>\n")


def datastore(secret_path: str) -> bytes:
    """A Hanweb dataproxy.jsp answer carrying the hostile DOCTYPE, its entities used in records."""
    return (doctype("datastore", secret_path) + "<datastore><nextgroup><![CDATA[]]></nextgroup><recordset>"
            "<record><![CDATA[<li><a href='/art/ds1.html'>数据库正常条目</a><span>2026-11-02</span></li>]]></record>"
            "<record><li><a href='/art/ds2.html'>外部实体&xxe;条目</a><span>2026-11-03</span></li></record>"
            "<record><![CDATA[<li><a href='/art/ds3.html'>&lol9;膨胀条目</a><span>2026-11-04</span></li>]]></record>"
            "</recordset><totalrecord>3</totalrecord></datastore>").encode()


@dataclass
class Hit:
    at: float
    host: str
    path: str


@dataclass
class PortalState:
    secret_path: str
    hits: list[Hit] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)       # streamed bytes per endpoint
    hung_up: dict[str, float] = field(default_factory=dict)  # seconds from first byte to the client's hang-up
    counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    bombs: dict[str, bytes] = field(default_factory=dict)

    def count(self, key: str) -> int:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


class Handler(QuietHandler):
    state: PortalState
    protocol_version = "HTTP/1.0"     # a body without Content-Length ends with the connection

    def reset(self) -> None:
        """Hang up with a TCP RST (SO_LINGER 0) instead of a FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def stream(self, key: str, chunk: bytes, pause: float, limit: int) -> None:
        """Send `chunk` every `pause` seconds up to `limit` bytes or until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        started, sent = time.monotonic(), 0
        try:
            while sent < limit:
                self.wfile.write(chunk)
                sent += len(chunk)
                self.state.sent[key] = sent
                if pause:
                    time.sleep(pause)
        except OSError:
            self.state.hung_up[key] = time.monotonic() - started
        self.close_connection = True

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        self.state.hits.append(Hit(time.monotonic(), host, self.path))
        if host == "localhost":
            return self.backoff_host()
        return self.hostile_host()

    def backoff_host(self):
        path = urlsplit(self.path).path
        if path == "/robots.txt":
            return self.send(404, b"")
        if path == "/b/index.html":
            if self.state.count(path) == 1:      # first visit: come back in an hour (capped by the crawler)
                return self.send(503, "<html>系统维护</html>".encode(), headers=[("Retry-After", "3600")])
            return self.send(200, "<html><head><title>限流网站</title></head><body><a href='/b/list.html'>工作动态</a></body></html>".encode())
        if path == "/b/list.html":
            return self.send(200, list_page("工作动态", ["/b/1.html", "/b/busy.html"]))
        if path == "/b/busy.html":
            return self.send(429, b"<html>too many</html>", headers=[("Retry-After", "1")])
        return self.send(200, "<html><head><title>动态正文</title></head><body>正文</body></html>".encode())

    def hostile_host(self):  # noqa: C901 - one branch per endpoint reads best as a table
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path in ("/", "/index.html"):
            return self.send(200, list_page("首页", HOSTILE + ["/list/healthy.html"]))
        if path == "/list/healthy.html":
            return self.send(200, list_page("通知公告", [f"/art/{i}.html" for i in range(1, ITEMS + 1)], 3))
        if path.startswith("/art/"):
            return self.send(200, "<html><head><title>正文</title></head><body>发布时间：2026-11-03 正文</body></html>".encode())
        if path == "/cal":               # an infinite calendar: every month links to the next and the previous
            year, month = map(int, query["month"][0].split("-"))
            prev, nxt = ((year, month - 1) if month > 1 else (year - 1, 12)), ((year, month + 1) if month < 12 else (year + 1, 1))
            links = "".join(f"<a href='/cal?month={y}-{m:02d}'>{y}年{m}月</a> " for y, m in (prev, nxt))
            return self.send(200, f"<html><head><title>活动日历</title></head><body><div class='cal'>{links}</div></body></html>".encode())
        if path == "/grow":              # every page links to a longer query string
            grown = query["s"][0] * 4
            return self.send(200, f"<html><body><a href='/grow?s={grown}'>更多</a></body></html>".encode())
        if path.startswith("/loop/"):    # a relative link that nests forever: /loop/a/a/a/…
            return self.send(200, "<html><body><a href='a/'>下级目录</a></body></html>".encode())
        if path == "/redirect-loop":
            return self.send(302, b"", headers=[("Location", "/redirect-loop")])
        if path == "/redirect-chain":
            return self.send(302, b"", headers=[("Location", f"/redirect-chain?n={int(query['n'][0]) + 1}")])
        if path == "/huge.html":         # 50 MB generated lazily, no Content-Length
            return self.stream(path, b"<p>" + "大".encode() * 21_000 + b"</p>", 0, HUGE_BYTES)
        if path == "/gzip-bomb.html":
            return self.send(200, self.state.bombs["gzip"], headers=[("Content-Encoding", "gzip")])
        if path == "/trickle.html":      # one byte every 0.2 s: never done within the timeout
            return self.stream(path, b" ", 0.2, 10_000)
        if path == "/malformed.html":
            return self.send(200, "<html><head><title>残缺页面</title><body><div><ul><li><a href='/art/m.html'>残缺链接"
                                  "<table><tr><td><<<>>> 发布时间：2026-11-05</div></div></span>".encode() + b"\xff\xfe")
        if path == "/wrong-charset.html":    # says UTF-8, is GBK
            return self.send(200, "<html><head><title>冬季防火通知</title></head><body>发布时间：2026-11-06</body></html>".encode("gbk"))
        if path == "/no-charset.html":       # no charset in header or markup, GBK bytes
            return self.send(200, "<html><head><title>秋季招聘公告</title></head><body>发布时间：2026-11-07</body></html>".encode("gbk"),
                             "text/html")
        if path == "/binary.html":
            return self.send(200, bytes(range(256)) * 256)
        if path in ("/files/bomb.xlsx", "/files/bomb.docx"):
            return self.send(200, self.state.bombs[path.rsplit(".", 1)[1]], "application/octet-stream")
        if path == "/files/broken.pdf":
            return self.send(200, b"%PDF-1.4\n1 0 obj<</Type/Catalog", "application/pdf")
        if path == "/files/loop.pdf":
            return self.send(200, LOOP_PDF, "application/pdf")
        if path.endswith("dataproxy.jsp"):
            return self.send(200, datastore(self.state.secret_path), "text/xml; charset=utf-8")
        if path == "/xxe.html":          # the same payload in an HTML page
            return self.send(200, (doctype("html", self.state.secret_path) + "<html><head><title>实体&xxe;页面</title>"
                                   "</head><body><p>&lol9; 发布时间：2026-11-08</p></body></html>").encode())
        if path == "/refresh.html":      # reloads itself every minute, as portal homepages do
            return self.send(200, "<html><head><meta http-equiv='refresh' content='60'><title>自动刷新页面</title>"
                                  "</head><body>发布时间：2026-11-09</body></html>".encode())
        if path.startswith("/private/"):
            return self.send(200, "<html><head><title>内部页面</title></head><body>不应抓取</body></html>".encode())
        if path == "/reset.html":
            return self.reset()
        if path == "/reset-mid.html":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"x" * 1000)
            self.wfile.flush()
            return self.reset()
        if path == "/garbage.html":      # not HTTP at all
            self.connection.sendall(b"\x00\x01garbage\r\nnot: http\r\n\r\n" * 10)
            self.close_connection = True
            return None
        return self.send(404, "<html>页面不存在</html>".encode())


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client hanging up (the crawler's own resets and cancels) is expected here."""


class HostilePortal:
    """The portal as a context manager: ``with HostilePortal(secret) as portal: portal.port``."""

    def __init__(self, secret_path: str):
        self.state = PortalState(secret_path)
        self.state.bombs = {"xlsx": zip_bomb("xlsx"), "docx": zip_bomb("docx"),
                            "gzip": gzip_bomb()}
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def backoff_base(self) -> str:
        return f"http://localhost:{self.port}"

    def hits(self, host: str | None = None, prefix: str = "") -> list[Hit]:
        return [h for h in list(self.state.hits) if (host is None or h.host == host) and h.path.startswith(prefix)]

    def __enter__(self) -> HostilePortal:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
