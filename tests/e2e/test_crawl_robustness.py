"""Broken and hostile pages are logged and skipped; the crawl completes; stopped crawls are
never taken for complete ones."""
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from govaudit.demo import DemoPortal, demo_config
from .local_http import QuietHandler

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "govaudit"
LIST = ("<html><head><meta charset='utf-8'><title>通知公告</title></head><body>"
        "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; 通知公告</div><ul class='list'>{}</ul></body></html>")
LINKS = ["/slow.html", "/binary.html", "/broken.html", "/error500.html", "/loop.html", "/reset.html",
         "/missing.html", "/files/a.xlsx", "/files/b.pdf", "/gbk.html"]


class Hostile(QuietHandler):

    def do_GET(self):
        path = self.path
        if path in ("/", "/index.html"):
            items = "".join(f"<li><a href='{u}'>第{i}条测试信息标题内容</a><span>2026-11-0{i % 9 + 1}</span></li>"
                            for i, u in enumerate(LINKS))
            return self.send(200, LIST.format(items).encode())
        if path == "/slow.html":
            time.sleep(4)                       # beyond the 2 s timeout
            return self.send(200, b"<html>late</html>")
        if path == "/binary.html":
            return self.send(200, bytes(range(256)) * 64)
        if path == "/broken.html":
            return self.send(200, b"<html><body><div><ul><li><a href='/x'>\xff\xfe unclosed <table><tr><td><<<>>>")
        if path == "/error500.html":
            return self.send(500, "<html>服务器错误</html>".encode())
        if path == "/loop.html":
            return self.send(302, b"", headers=[("Location", "/loop.html")])
        if path == "/reset.html":
            self.connection.shutdown(2)          # hang up without an answer
            return None
        if path == "/files/a.xlsx":
            return self.send(200, b"PK\x03\x04 truncated zip", "application/vnd.ms-excel")
        if path == "/files/b.pdf":
            return self.send(200, b"%PDF-1.4 broken", "application/pdf")
        if path == "/gbk.html":
            return self.send(200, "<html><head><title>公告</title></head><body>关于做好冬季防火工作的通知 发布时间：2026-11-03</body></html>".encode("gbk"),
                             "text/html")
        return self.send(404, "<html>页面不存在</html>".encode())


@pytest.fixture
def hostile_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def write_config(path: Path, start: str, **politeness) -> Path:
    polite = {"delay": 0, "autothrottle": False, "robots_txt": False, "timeout": 2, **politeness}
    path.write_text(json.dumps({
        "store": "sqlite:///h.db",
        "departments": [{"id": "t", "name": "测试局"}],
        "sites": [{"id": "t", "name": "测试网站", "department": "t", "start_urls": [start + "/index.html"],
                   "columns": [{"name": "通知公告", "url": start + "/index.html"}]}],
        "politeness": polite,
    }, ensure_ascii=False), encoding="utf-8")
    return path


def test_hostile_pages_are_logged_and_skipped(tmp_path, hostile_site):
    config = write_config(tmp_path / "h.yaml", hostile_site)
    result = subprocess.run([str(BIN), "crawl", str(config), "--no-progress"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "h.db")
    status = dict(db.execute("select url, coalesce(status, -1) from pages"))
    base = hostile_site
    assert status[base + "/error500.html"] == 500 and status[base + "/missing.html"] == 404
    assert status[base + "/slow.html"] == -1 and status[base + "/reset.html"] == -1   # fetch failed, recorded
    assert status[base + "/broken.html"] == 200 and status[base + "/gbk.html"] == 200
    assert db.execute("select published from pages where url = ?", (base + "/gbk.html",)).fetchone() == ("2026-11-03",)
    errors = {url for (url,) in db.execute("select url from crawl_log where level = 'ERROR'")}
    assert {base + "/slow.html", base + "/reset.html"} <= errors
    attachments = dict(db.execute("select url, error from attachments"))
    assert attachments[base + "/files/a.xlsx"] and attachments[base + "/files/b.pdf"]   # unreadable, recorded
    assert db.execute("select status from runs").fetchone() == ("complete",)
    (item_count,) = db.execute("select item_count from columns").fetchone()
    assert item_count == len(LINKS)


def wait_for_pages(db: Path, proc, timeout: float = 120) -> None:
    """Until the crawl has stored a first batch of pages (so the stop lands mid-crawl)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and sqlite3.connect(db).execute("select count(*) from pages").fetchone()[0] > 0:
                return
        except sqlite3.OperationalError:
            pass   # tables not created yet
        time.sleep(0.2)
    raise AssertionError("the crawl stored no page in time")


def test_stopped_crawl_is_interrupted_not_complete(tmp_path):
    with DemoPortal() as portal:
        config = tmp_path / "sites.yaml"
        text = demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db")
        # slow enough that the stop lands mid-crawl
        config.write_text(text.replace("delay: 0", "delay: 0.5"), encoding="utf-8")
        proc = subprocess.Popen([str(BIN), "crawl", str(config), "--no-progress"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        wait_for_pages(tmp_path / "demo.db", proc)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
    assert proc.returncode != 0
    db = sqlite3.connect(tmp_path / "demo.db")
    assert db.execute("select status from runs").fetchone() == ("interrupted",)
    assert db.execute("select count(*) from pages").fetchone()[0] > 0      # facts so far are kept
    audit = subprocess.run([str(BIN), "audit", "--run", "1", "--db", str(tmp_path / "demo.db")],
                           capture_output=True, text=True)
    assert audit.returncode == 1 and "interrupted, not complete" in audit.stderr
