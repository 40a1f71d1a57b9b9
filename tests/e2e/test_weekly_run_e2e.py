"""`govaudit run` as cron calls it: what the schedule asks for on the run's day, the dated layout,
run.json, mail, and the exit codes cron alerts on. A small two-department site on 127.0.0.1."""
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from docx import Document

from .govaudit_cli import cli
from .smtp_server import PASSWORD_ENV, smtp_server

pytestmark = pytest.mark.e2e


def _list(title: str, items: list[tuple[str, str, str]]) -> str:
    rows = "".join(f"<li><a href='{href}'>{text}</a><span>{day}</span></li>" for href, text, day in items)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='crumb'>当前位置：首页 &gt; {title}</div><ul class='list'>{rows}</ul></body></html>")


def _article(title: str, day: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><p>{title}</p><p>发布时间：{day}</p></body></html>"


PAGES = {
    # 教育局: 通知公告 last updated May 10 (stale: window 6 months); 工作动态 Nov 8 (goes stale Nov 23)
    "/jyj/index.html": "<html><head><meta charset='utf-8'><title>教育局</title></head><body>"
                       "<a href='/jyj/tzgg/index.html'>通知公告</a><a href='/jyj/gzdt/index.html'>工作动态</a></body></html>",
    "/jyj/tzgg/index.html": _list("通知公告", [("/jyj/tzgg/1.html", "关于暑期安全的通知", "2026-05-10")]),
    "/jyj/tzgg/1.html": _article("关于暑期安全的通知", "2026-05-10"),
    "/jyj/gzdt/index.html": _list("工作动态", [("/jyj/gzdt/1.html", "教育局召开工作会议", "2026-11-08")]),
    "/jyj/gzdt/1.html": _article("教育局召开工作会议", "2026-11-08"),
    # 民政局: 通知公告 last updated April 1 (stale)
    "/mzj/index.html": "<html><head><meta charset='utf-8'><title>民政局</title></head><body>"
                       "<a href='/mzj/tzgg/index.html'>通知公告</a></body></html>",
    "/mzj/tzgg/index.html": _list("通知公告", [("/mzj/tzgg/1.html", "关于低保复核的通知", "2026-04-01")]),
    "/mzj/tzgg/1.html": _article("关于低保复核的通知", "2026-04-01"),
}


class _Site(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = PAGES.get(self.path, "not found").encode()
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _config(tmp_path, base: str, **extra) -> dict:
    data = {
        "organization": "青溪区人民政府办公室", "store": "sqlite:///weekly.db",
        "departments": [{"id": "jyj", "name": "青溪区教育局", "email": "jyj@qingxi.example"},
                        {"id": "mzj", "name": "青溪区民政局"}],                       # no e-mail: cannot be mailed
        "sites": [{"id": s, "name": f"{name}网站", "department": s, "start_urls": [f"{base}/{s}/index.html"],
                   "scope": [f"/{s}/"]} for s, name in (("jyj", "青溪区教育局"), ("mzj", "青溪区民政局"))],
        "politeness": {"delay": 0, "autothrottle": False, "robots_txt": False},
        "schedule": {"monthly_day": "last", "reminder_days": 7, "send_notices": True, "out_dir": "out"},
        **extra,
    }
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_schedule_decides_what_each_run_produces(tmp_path, site):
    with smtp_server("plain", tmp_path) as smtp:
        config = _config(tmp_path, site, mail={k: v for k, v in smtp.mail.items()})
        first = cli("run", config, "--as-of", "2026-11-20", "--no-progress", check=False)
        after_first = (len(smtp.received), sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "out").rglob("*")))
        second = cli("run", config, "--as-of", "2026-11-27", "--no-progress", check=False)
    out = tmp_path / "out"

    # Nov 20: not the month's last weekly run (Nov 27 is): the 临期提醒 only
    assert first.returncode == 0, first.stderr
    reminder = out / "2026-11" / "2026-11-20" / "临期提醒" / "青溪区教育局-临期提醒-2026-11-20.txt"
    assert first.stdout.split() == [str(reminder)]
    assert "「工作动态」" in reminder.read_text(encoding="utf-8-sig") and "2026年11月23日起视为未更新" in \
        reminder.read_text(encoding="utf-8-sig")
    record = json.loads((out / "2026-11" / "2026-11-20" / "run.json").read_text(encoding="utf-8"))
    assert (record["plan"]["month"], record["bulletin"], record["notices"], record["exit"]) == (None, [], [], 0)
    opened = record["ledger"]["new"]
    assert set(record["ledger"]) == {"new"}
    assert after_first == (0, ["out/2026-11", "out/2026-11/2026-11-20", "out/2026-11/2026-11-20/run.json",
                               "out/2026-11/2026-11-20/临期提醒", f"out/{reminder.relative_to(out)}"])

    # Nov 27: the month's last run: bulletin and notices for November, notices mailed
    assert second.returncode == 3, second.stderr         # 民政局 has no e-mail address: cron must hear of it
    record = json.loads((out / "2026-11" / "2026-11-27" / "run.json").read_text(encoding="utf-8"))
    assert record["plan"]["month"] == "2026-11" and record["exit"] == 3
    # the same pages a week later: every problem persists, and 工作动态 has gone stale (due Nov 23)
    assert record["ledger"] == {"new": 1, "persisting": opened}
    notices = sorted(p.name for p in (out / "2026-11" / "整改通知书").glob("*.docx"))
    assert notices == ["青溪区教育局-整改通知书-2026-11.docx", "青溪区民政局-整改通知书-2026-11.docx"]
    assert record["bulletin"] and all(p.startswith(str(out / "2026-11")) for p in record["bulletin"])
    assert {d["department_id"]: d["status"] for d in record["deliveries"]} == {"jyj": "sent", "mzj": "skipped"}
    assert [a.rcpt_tos for a in smtp.received] == [["jyj@qingxi.example"]]
    (attachment,) = smtp.received[0].message.iter_attachments()
    assert attachment.get_filename() == "青溪区教育局-整改通知书-2026-11.docx"
    text = "\n".join(c.text for t in Document(io.BytesIO(attachment.get_content())).tables for r in t.rows for c in r.cells)
    assert "栏目「工作动态」" in text and "栏目「通知公告」" in text and "民政局" not in text
    for path in (*record["bulletin"], *record["notices"], *record["reminders"]):
        assert path in second.stdout
    assert record["reminders"] == []                      # 工作动态 is stale now; nothing else goes stale soon
    runs = json.loads(cli("runs", "--config", config, "--format", "json").stdout)
    assert [r["status"] for r in runs] == ["complete", "complete"]


def test_mail_that_cannot_work_fails_before_crawling(tmp_path, site, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    mail = {"host": "127.0.0.1", "port": 9, "security": "starttls", "from": "gkb@qingxi.example", "user": "gkb",
            "password_env": PASSWORD_ENV}
    config = _config(tmp_path, site, mail=mail)
    result = cli("run", config, "--as-of", "2026-11-27", "--no-progress", check=False)
    assert result.returncode == 1 and PASSWORD_ENV in result.stderr
    assert not (tmp_path / "weekly.db").exists() and not (tmp_path / "out").exists()


def test_a_bad_schedule_is_a_config_error(tmp_path, site):
    config = _config(tmp_path, site)                        # send_notices without `mail:`
    result = cli("run", config, "--no-progress", check=False)
    assert result.returncode == 2
    assert "schedule.send_notices" in result.stderr and "mail" in result.stderr
