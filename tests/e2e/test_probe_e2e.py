"""Availability probes end to end: `govaudit probe` against real local servers (a healthy
homepage, one answering 503, one trickling its body past a short --timeout, one redirecting,
a closed port), then a crawl (whose own homepage fetches are probes too) and an audit.
Real HTTP on 127.0.0.1, real SQLite, the real CLI. The crawl's hub entries and badges are
checked on the way (homepage_stale, identity's badge field)."""
import json
import sqlite3
import threading
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .govaudit_cli import cli
from .local_http import unused_port

pytestmark = pytest.mark.e2e
AS_OF = date(2026, 11, 20)          # fixed, like the demo's: probes are judged by the run's end, not by this
TRICKLE_CHUNKS, TRICKLE_PAUSE = 20, 0.1     # the slow homepage takes 2 s to arrive, a byte run at a time
PROBE_TIMEOUT = 0.5
ROUNDS = 3
BADGE = ('<span id="_ideConac"></span>'
         '<script type="text/javascript" src="https://dcs.conac.cn/js/33/000/0000/60429971/CA3300000006042997.js"></script>')


def homepage(days_old: int, badge: str = "") -> bytes:
    def box(title, folder, offset):
        rows = "".join(f"<li><a href='/{folder}/{i}.html'>{title}第{i}条信息的标题</a>"
                       f"<span>{AS_OF - timedelta(days=days_old + offset + i)}</span></li>" for i in range(4))
        return (f"<div class='box'><div class='box-hd'><span class='tit'>{title}</span>"
                f"<a class='more' href='/{folder}/'>更多</a></div><ul>{rows}</ul></div>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>青溪区人民政府</title></head><body>"
            f"<div class='row'>{box('要闻动态', 'ywdt', 0)}{box('通知公告', 'tzgg', 3)}</div>"
            f"<div class='footer'><p>党政机关网站 网站标识码：3301020001</p>{badge}</div></body></html>").encode()


ARTICLE = "<html><head><meta charset='utf-8'><title>文章</title></head><body><p>正文</p></body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def trickle(self, body):
        """The whole body, a bit every TRICKLE_PAUSE: every read returns quickly, the page never
        arrives within PROBE_TIMEOUT. A client that gave up makes a write fail."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        step = -(-len(body) // TRICKLE_CHUNKS)
        try:
            for at in range(0, len(body), step):
                self.wfile.write(body[at:at + step])
                self.wfile.flush()
                time.sleep(TRICKLE_PAUSE)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        role, path = self.server.role, self.path
        if role == "down":
            return self.send(503, "<html>服务暂不可用</html>".encode())
        if role == "moved" and path == "/":
            return self.send(301, headers=[("Location", "/home.html")])
        if path in ("/", "/index.html", "/home.html"):
            if role == "slow":
                return self.trickle(homepage(40))
            return self.send(200, homepage(0, BADGE))
        if path.endswith(".html"):
            return self.send(200, ARTICLE)
        return self.send(404, b"<html>404</html>")


def serve(role):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.role = role
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def portals():
    servers = {role: serve(role) for role in ("ok", "down", "slow", "moved")}
    urls = {role: url for role, (_server, url) in servers.items()}
    urls["gone"] = f"http://127.0.0.1:{unused_port()}"
    yield urls
    for server, _url in servers.values():
        server.shutdown()


def write_config(path, urls):
    start = {"ok": "/index.html", "down": "/index.html", "slow": "/index.html", "moved": "/", "gone": "/index.html"}
    path.write_text(json.dumps({
        "store": "sqlite:///probes.db",
        "as_of": AS_OF.isoformat(),
        "departments": [{"id": "zfb", "name": "区政府办公室"}],
        "sites": [{"id": role, "name": f"{role}网站", "department": "zfb", "start_urls": [urls[role] + start[role]]}
                  for role in start],
        "politeness": {"delay": 0, "autothrottle": False, "robots_txt": False, "timeout": 10, "max_pages_per_site": 5},
        "rules": {"availability": {"min_probes": ROUNDS + 1}, "identity": {"domain_suffixes": ["127.0.0.1"]}},
    }, ensure_ascii=False), encoding="utf-8")
    return path


def rows(db, query):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(query)]


def test_probe_crawl_and_availability(tmp_path, portals):
    config = write_config(tmp_path / "sites.yaml", portals)
    db = tmp_path / "probes.db"
    out = cli("probe", config, "--timeout", PROBE_TIMEOUT, "--repeat", ROUNDS, "--every", 0).stdout
    assert len(out.splitlines()) == 5 * ROUNDS, out

    probes = rows(db, "SELECT * FROM probes ORDER BY at")
    assert len(probes) == 5 * ROUNDS and {p["source"] for p in probes} == {"probe"}
    by_site = {}
    for p in probes:
        by_site.setdefault(p["site_id"], []).append(p)
    assert all(p["ok"] and p["status"] == 200 for p in by_site["ok"] + by_site["moved"]), out
    assert {p["url"] for p in by_site["moved"]} == {portals["moved"] + "/"}       # the redirect was followed
    assert all(not p["ok"] and p["status"] == 503 and p["error"] == "http: HTTP 503" for p in by_site["down"])
    assert all(not p["ok"] and p["error"].startswith("refused: ") for p in by_site["gone"])
    # the slow page sends a byte run every 0.1 s (a per-read timeout never fires), yet fails at the deadline
    for p in by_site["slow"]:
        assert not p["ok"] and p["status"] == 200 and p["error"].startswith("timeout: ")
        assert PROBE_TIMEOUT * 1000 <= p["response_ms"] < TRICKLE_CHUNKS * TRICKLE_PAUSE * 1000 - 500
    # the sites of a round are probed at once, not one after another (the slow one would hold the rest back)
    starts = [datetime.fromisoformat(p["at"]) for p in probes]
    for r in range(ROUNDS):
        round_starts = starts[5 * r:5 * r + 5]
        assert (max(round_starts) - min(round_starts)).total_seconds() < PROBE_TIMEOUT / 2

    run = int(cli("crawl", config, "--no-progress").stdout.strip())
    crawl = {p["site_id"]: p for p in rows(db, "SELECT * FROM probes WHERE source = 'crawl'")}
    assert sorted(crawl) == ["down", "gone", "moved", "ok", "slow"] and {p["run_id"] for p in crawl.values()} == {run}
    assert {s for s, p in crawl.items() if p["ok"]} == {"ok", "slow", "moved"}   # the crawl waits longer than 1 s
    assert crawl["down"]["error"] == "http: HTTP 503" and crawl["gone"]["error"].startswith("refused: ")
    assert crawl["moved"]["url"] == portals["moved"] + "/"

    # what the crawl stored of the homepages: dated entries per block, and the badge
    hub = rows(db, f"SELECT page_url, block, block_title, date FROM hub_items WHERE run_id = {run}")
    ok_home = portals["ok"] + "/index.html"
    assert {(h["block"], h["block_title"]) for h in hub if h["page_url"] == ok_home} == {(0, "要闻动态"), (1, "通知公告")}
    assert max(h["date"] for h in hub if h["page_url"] == ok_home) == AS_OF.isoformat()
    badges = {p["url"]: p["badge"] for p in rows(db, f"SELECT url, badge FROM pages WHERE run_id = {run}")}
    assert badges[ok_home] == 1 and badges[portals["slow"] + "/index.html"] == 0

    cli("audit", "--run", run, "--as-of", AS_OF.isoformat(), "--db", db)
    findings = json.loads(cli("findings", "--run", run, "--db", db, "--format", "json").stdout)
    availability = {f["site"]: f for f in findings if f["rule"] == "availability"}
    assert sorted(availability) == ["down", "gone", "slow"]                    # ok and moved: nothing failed
    assert {f["severity"] for f in availability.values()} == {"veto"}
    assert availability["slow"]["detail"].startswith(f"近7日首页监测{ROUNDS + 1}次，失败{ROUNDS}次（75.0%；超时{ROUNDS}次）")
    assert availability["down"]["detail"].startswith(f"近7日首页监测{ROUNDS + 1}次，失败{ROUNDS + 1}次（100.0%；HTTP 503错误")
    assert "拒绝连接" in availability["gone"]["detail"]
    # homepage freshness: the slow homepage's newest entry is 40 days old; the healthy one is fresh;
    # homepages that did not load are availability's, not homepage_stale's
    stale = {f["site"]: f for f in findings if f["rule"] == "homepage_stale"}
    assert sorted(stale) == ["slow"] and stale["slow"]["severity"] == "veto"
    assert "「要闻动态」板块" in stale["slow"]["detail"] and "已40天未更新" in stale["slow"]["detail"]
