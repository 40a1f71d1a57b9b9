"""Link checking end to end: a local portal (the configured host) links to broken and working
internal pages and to a second local server that is *not* in allowed_hosts (an external host),
plus a closed port. Real HTTP on 127.0.0.1 only, real SQLite, the real CLI."""
import json
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .local_http import unused_port

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "govaudit"
TIMEOUT = 2          # politeness.timeout of the crawl
SLOW = 5             # the external slow endpoint answers after this (beyond the timeout)

PAGE = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{body}"
        "<div class='footer'>{footer}</div></body></html>")
CHALLENGE = (b"<html><head><meta charset='utf-8'></head><body><script type='text/javascript'>"
             b"var wzwschallenge='RANDOMCHALLENGE';var wzwschallengex='STRRANDOM';var template=5;"
             b"function HASH(s){var h=0;for(var i=0;i<s.length;i++){h=(h*31+s.charCodeAt(i))|0}return h}"
             b"document.cookie='wzwstemplate='+HASH(template.toString())+'; path=/';"
             b"document.cookie='wzwschallenge='+HASH(wzwschallenge)+'; path=/';"
             b"window.location.reload();</script></body></html>")
WAF_412 = (b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
           b"<meta id='9DhefwqGPrzGxEp9hPaoag' content='abc' r='m'></head><body>"
           b"<script type='text/javascript' r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;"
           b"$_ts.cd='qEcrrpAlEaGqlqlq';</script><script src='/4QbVtADbnLVIc/c.FxJzG50F.js' r='m'></script>"
           b"</body></html>")


class Recorder:
    """Requests a test server saw, and how many it was answering at once. A request whose client
    has hung up (a timed-out check) is over: when the next one arrives, the open connections are
    peeked first, so the server thread's own wake-up latency is not counted as overlap."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str]] = []
        self.cut: list[str] = []          # answers the client stopped reading
        self.active: set = set()
        self.max_active = 0

    @staticmethod
    def hung_up(conn) -> bool:
        try:
            readable, _, _ = select.select([conn], [], [], 0)
            return bool(readable) and not conn.recv(1, socket.MSG_PEEK)
        except (OSError, ValueError):
            return True

    def enter(self, method, path, conn):
        with self.lock:
            self.seen.append((method, path))
            self.active = {c for c in self.active if not self.hung_up(c)} | {conn}
            self.max_active = max(self.max_active, len(self.active))

    def leave(self, conn):
        with self.lock:
            self.active.discard(conn)


def make_handler(recorder: Recorder, routes):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=(), head=False):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def send_slowly(self, chunk, times, ctype="text/html; charset=utf-8"):
            """A long body written bit by bit: a client that stops reading makes a write fail."""
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(chunk) * times))
            self.end_headers()
            for _ in range(times):
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(0.002)

        def wait_or_hangup(self, seconds):
            """Sleep, but stop the moment the client hangs up (a timed-out client no longer waits for
            this answer: the request is over for the concurrency count too)."""
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                readable, _, _ = select.select([self.connection], [], [], left)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return False
            return True

        def handle_any(self, method):
            recorder.enter(method, self.path, self.connection)
            try:
                routes(self, method, self.path)
            except (BrokenPipeError, ConnectionResetError):
                recorder.cut.append(self.path)
            finally:
                recorder.leave(self.connection)

        def do_GET(self):
            self.handle_any("GET")

        def do_HEAD(self):
            self.handle_any("HEAD")

    return Handler


def serve(recorder, routes):
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(recorder, routes))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def external_routes(h, method, path):
    head = method == "HEAD"
    if path == "/ok.html":
        # links on an external page must never be followed
        body = "<html><body><a href='/trap-followed.html'>陷阱</a><a href='{}/trap-internal.html'>站内陷阱</a></body></html>"
        return h.send(200, body.format(h.server.portal).encode(), head=head)
    if path == "/missing.html":
        return h.send(404, "<html>页面不存在</html>".encode(), head=head)
    if path == "/gone.html":
        return h.send(410, "<html>已删除</html>".encode(), head=head)
    if path == "/waf.html":
        return h.send(412, WAF_412, head=head)
    if path == "/challenge.html":
        return h.send(200, CHALLENGE, head=head)
    if path == "/slow.html":
        if h.wait_or_hangup(SLOW):
            h.send(200, b"<html>late</html>", head=head)
        return None
    if path == "/files/report.pdf":
        return h.send(200, b"%PDF-1.4 " + b"x" * 200_000, "application/pdf", head=head)
    if path == "/files/nohead.pdf":
        if head:
            return h.send(405, b"", head=True)
        return h.send_slowly(b"%PDF-1.4 " + b"y" * 65_536, 50, "application/pdf")
    if path == "/moved.html":
        return h.send(301, b"", headers=[("Location", "/new.html")], head=head)
    if path == "/refresh.html":    # a page that refreshes itself: answered, not a loop
        body = "<html><head><meta http-equiv='refresh' content='0;url=/refresh.html'></head><body>{}</body></html>"
        return h.send(200, body.format("<p>栏目首页内容</p>" * 200).encode(), head=head)
    if path == "/big.html":        # 3 MB: a check reads only the first max_link_check_bytes
        if head:
            return h.send(200, b"", head=True)
        return h.send_slowly("<p>很长的页面内容</p>".encode() * 3000, 50)
    if path == "/new.html":
        return h.send(200, "<html><body><p>新地址</p></body></html>".encode(), head=head)
    if path == "/robots.txt":
        return h.send(200, b"User-agent: *\nDisallow: /\n", "text/plain", head=head)
    return h.send(404, b"<html>404</html>", head=head)


def portal_routes(ext: str, dead_host: str):
    footer = " ".join(f"<a href='{url}'>{text}</a>" for url, text in [
        ("/missing.html", "机构设置"), ("/error500.html", "办事指南"), ("/files/gone.zip", "资料下载"),
        (ext + "/ok.html", "中国政府网"), (ext + "/missing.html", "省政府网站"), (ext + "/gone.html", "旧版网站"),
        (ext + "/waf.html", "政务服务网"), (ext + "/challenge.html", "信用中国"), (ext + "/slow.html", "统计局"),
        (dead_host + "/index.html", "停用网站"), (ext + "/files/report.pdf", "年度报告"),
        (ext + "/files/nohead.pdf", "统计公报"), (ext + "/moved.html", "新闻中心"),
        (ext + "/refresh.html", "专题专栏"), (ext + "/big.html", "数据发布"),
        ("mailto:office@example.gov.cn", "联系我们"), ("javascript:void(0)", "收藏本站"), ("tel:0571-12345678", "电话"),
    ]) + f"<a href='{ext}/hidden.html' style='display:none'>隐藏</a>"
    articles = [f"/art{i}.html" for i in range(1, 4)]

    def routes(h, method, path):
        head = method == "HEAD"
        if path in ("/", "/index.html"):
            items = "".join(f"<li><a href='{u}'>第{i}条工作动态信息标题</a><span>2026-11-0{i}</span></li>"
                            for i, u in enumerate(articles + ["/ok.html"], 1))
            body = f"<ul class='list'>{items}</ul><a href='/files/list.xlsx'>名单.xlsx</a>"
            return h.send(200, PAGE.format(title="工作动态", body=body, footer=footer).encode(), head=head)
        if path in articles or path == "/ok.html":
            body = "<div class='TRS_Editor'><p>发布时间：2026-11-03</p><p>正文内容。</p></div>"
            return h.send(200, PAGE.format(title="文章", body=body, footer=footer).encode(), head=head)
        if path == "/error500.html":
            return h.send(500, "<html>服务器错误</html>".encode(), head=head)
        return h.send(404, "<html>页面不存在</html>".encode(), head=head)

    return routes


@pytest.fixture
def sites():
    ext_rec, portal_rec = Recorder(), Recorder()
    ext_server, ext = serve(ext_rec, external_routes)
    dead_host = f"http://127.0.0.1:{unused_port()}"
    holder = {}
    portal_server, portal = serve(portal_rec, lambda h, m, p: holder["routes"](h, m, p))
    holder["routes"] = portal_routes(ext, dead_host)
    ext_server.portal = portal
    yield {"portal": portal, "ext": ext, "dead": dead_host, "ext_rec": ext_rec, "portal_rec": portal_rec}
    ext_server.shutdown()
    portal_server.shutdown()


def cli(*args):
    result = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def write_config(path: Path, portal: str, **politeness) -> Path:
    polite = {"delay": 0, "autothrottle": False, "robots_txt": True, "timeout": TIMEOUT,
              "check_external_links": True, "external_delay": 0.2, **politeness}
    path.write_text(json.dumps({
        "store": "sqlite:///links.db",
        "as_of": "2026-11-20",
        "departments": [{"id": "zfb", "name": "区政府办公室"}],
        "sites": [{"id": "portal", "name": "门户网站", "department": "zfb", "start_urls": [portal + "/index.html"]}],
        "politeness": polite,
    }, ensure_ascii=False), encoding="utf-8")
    return path


def test_dead_and_unverifiable_links(tmp_path, sites):
    portal, ext, dead = sites["portal"], sites["ext"], sites["dead"]
    config = write_config(tmp_path / "sites.yaml", portal)
    run = cli("crawl", config, "--no-progress").strip()
    cli("audit", "--config", config, "--run", run)
    findings = json.loads(cli("findings", "--config", config, "--format", "json"))
    got = {(f["rule"], f["url"]): f for f in findings if f["rule"] in ("dead_link", "unverifiable_link")}
    assert sorted(got) == sorted([
        ("dead_link", portal + "/missing.html"), ("dead_link", portal + "/error500.html"),
        ("dead_link", portal + "/files/gone.zip"), ("dead_link", portal + "/files/list.xlsx"),
        ("dead_link", ext + "/missing.html"), ("dead_link", ext + "/gone.html"),
        ("dead_link", ext + "/slow.html"), ("dead_link", dead + "/index.html"),
        ("unverifiable_link", ext + "/waf.html"), ("unverifiable_link", ext + "/challenge.html"),
    ])
    evidence = {url: f["evidence"] for (_rule, url), f in got.items()}
    assert evidence[portal + "/missing.html"] == "HTTP 404" and evidence[portal + "/error500.html"] == "HTTP 500"
    assert evidence[ext + "/gone.html"] == "HTTP 410" and evidence[ext + "/slow.html"] == "连接超时"
    assert evidence[dead + "/index.html"] == "连接被拒绝"
    assert evidence[ext + "/waf.html"].startswith("HTTP 412")
    assert "JavaScript" in evidence[ext + "/challenge.html"]
    for f in got.values():
        assert (f["severity"], f["site"], f["department"]) == (
            "deduct" if f["rule"] == "dead_link" else "advisory", "portal", "zfb")
    # a footer link broken on every page is one finding listing the pages (index, 3 articles, ok.html)
    footer = got[("dead_link", ext + "/missing.html")]
    assert footer["detail"].startswith("链接「省政府网站」无法访问（HTTP 404），共5个页面引用，如：")
    db = sqlite3.connect(tmp_path / "links.db")
    (data,) = db.execute("select data from findings where rule = 'dead_link' and url = ?",
                         (ext + "/missing.html",)).fetchone()
    assert sorted(json.loads(data)["linked_from"]) == sorted(
        [portal + "/index.html", portal + "/ok.html"] + [portal + f"/art{i}.html" for i in range(1, 4)])

    # facts: one link_checks row per checked target, with its verdict
    checks = {url: (status, verdict, final) for url, status, verdict, final in db.execute(
        "select url, status, verdict, final_url from link_checks")}
    assert checks[ext + "/ok.html"][:2] == (200, "ok")
    assert checks[ext + "/moved.html"] == (200, "ok", ext + "/new.html")
    assert checks[ext + "/files/nohead.pdf"][:2] == (200, "ok")
    assert checks[ext + "/files/report.pdf"][:2] == (200, "ok")
    assert checks[ext + "/slow.html"][:2] == (None, "dead")
    assert checks[portal + "/files/gone.zip"][:2] == (404, "dead")
    assert checks[ext + "/refresh.html"][:2] == (200, "ok") and checks[ext + "/big.html"][:2] == (200, "ok")
    assert len(checks) == db.execute("select count(*) from link_checks").fetchone()[0]   # once per URL
    # checks are not pages and are not attributed
    pages = {url for (url,) in db.execute("select url from pages")}
    assert not any(url.startswith((ext, dead)) for url in pages)
    assert not any(url.startswith((ext, dead)) for (url,) in db.execute("select page_url from page_sites"))

    # the external host: each URL at most once per method, nothing followed, no robots.txt, serially
    seen = Counter(sites["ext_rec"].seen)
    assert max(seen.values()) == 1, seen
    paths = {path for _method, path in seen}
    assert paths == {"/ok.html", "/missing.html", "/gone.html", "/waf.html", "/challenge.html", "/slow.html",
                     "/files/report.pdf", "/files/nohead.pdf", "/moved.html", "/new.html", "/refresh.html",
                     "/big.html"}
    assert {m for m, p in seen if p == "/files/nohead.pdf"} == {"HEAD", "GET"}   # HEAD refused → GET
    assert {m for m, p in seen if p == "/files/report.pdf"} == {"HEAD"}          # a file: HEAD only
    assert sites["ext_rec"].max_active == 1
    assert {"/big.html", "/files/nohead.pdf"} <= set(sites["ext_rec"].cut)   # bodies not downloaded
    assert not any("trap" in path for _m, path in sites["portal_rec"].seen)


def test_external_checks_are_opt_in_and_capped(tmp_path, sites):
    portal = sites["portal"]
    config = write_config(tmp_path / "sites.yaml", portal, check_external_links=False)
    cli("crawl", config, "--no-progress")
    assert sites["ext_rec"].seen == []            # off: no request leaves the configured host
    db = sqlite3.connect(tmp_path / "links.db")
    assert {url for (url,) in db.execute("select url from link_checks")} == {portal + "/files/gone.zip"}

    config = write_config(tmp_path / "sites.yaml", portal, max_link_checks=3)
    cli("crawl", config, "--no-progress")
    verdicts = Counter(v for (v,) in db.execute("select verdict from link_checks where run_id = 2"))
    assert sum(n for v, n in verdicts.items() if v != "skipped") == 3 and verdicts["skipped"] >= 5
    assert len(sites["ext_rec"].seen) <= 4       # 3 checks, at most one of them a HEAD → GET
