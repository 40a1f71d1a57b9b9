"""Per-department output on the demo portal: 整改通知书 and 临期提醒 through the real CLI, checked
against the ledger and a later audit, and mailed through a real SMTP server (STARTTLS + AUTH)."""
import io
import json
import re
import sqlite3

import pytest
import yaml
from docx import Document

from govaudit.demo import DEMO_AS_OF, DemoPortal, demo_config
from govaudit.demo.model import WEEKS
from .govaudit_cli import cli
from .smtp_server import PASSWORD, PASSWORD_ENV, smtp_server

pytestmark = pytest.mark.e2e
MONTH, WEEK1, ISSUED = f"{DEMO_AS_OF:%Y-%m}", WEEKS[1].isoformat(), WEEKS[2].isoformat()  # notices: dated the 复查
RAW_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Week 1 crawled and audited as of its day, then week 2 (the 复查, some problems fixed)."""
    out = tmp_path_factory.mktemp("delivery")
    db = out / "demo.db"
    runs = {}
    with DemoPortal(week=1) as portal:
        config = out / "sites.yaml"
        config.write_text(demo_config(portal.portal_url, portal.site_url, "sqlite:///demo.db"), encoding="utf-8")
        for week, day in sorted(WEEKS.items()):
            portal.set_week(week)
            runs[week] = int(cli("crawl", config, "--no-progress").stdout.strip())
            cli("audit", "--run", runs[week], "--as-of", day.isoformat(), "--db", db)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    aggregate = {r["id"] for r in json.loads(cli("rules", "--format", "json").stdout) if r["aggregate"]}
    return {"out": out, "db": db, "run": runs[1], "config": config, "settings": settings, "aggregate": aggregate,
            "names": {d["id"]: d["name"] for d in settings["departments"]}, "open": open_by_department(db, aggregate)}


def copy_db(demo, tmp_path):
    """A private copy of the demo store (SQLite backup API: consistent under WAL)."""
    target = tmp_path / "copy.db"
    with sqlite3.connect(demo["db"]) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def open_by_department(db, aggregate: set[str]) -> dict[str, set[str]]:
    """Department -> numbers of its open problems (site-level verdicts aside), from `govaudit ledger`."""
    rows = json.loads(cli("ledger", "--db", db, "--status", "open", "--format", "json").stdout)
    out: dict[str, set[str]] = {}
    for row in rows:
        if row["rule"] not in aggregate:
            out.setdefault(row["department"], set()).add(row["id"])
    return out


def docx_numbers(data) -> tuple[set[str], str]:
    """(problem numbers in the notice's table, all its text)."""
    document = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    text = "\n".join([p.text for p in document.paragraphs] + ["\t".join(r) for r in cells])
    return {row[1] for row in cells[1:]}, text


def test_one_notice_per_department_with_open_problems_listing_exactly_them(demo, tmp_path):
    result = cli("notices", "--month", MONTH, "--db", demo["db"], "--out", tmp_path, "--date", ISSUED)
    expected = demo["open"]
    rectified = {r["id"] for r in json.loads(cli("ledger", "--db", demo["db"], "--status", "rectified",
                                                 "--format", "json").stdout)}
    assert expected and rectified                        # week 2 fixed some problems: the notices leave them out
    files = sorted(tmp_path.iterdir())
    assert sorted(result.stdout.split()) == sorted(str(f) for f in files)
    assert sorted(f.name for f in files) == sorted(f"{demo['names'][d]}-整改通知书-{MONTH}.docx" for d in expected)
    for dept, numbers in expected.items():
        got, text = docx_numbers(tmp_path / f"{demo['names'][dept]}-整改通知书-{MONTH}.docx")
        assert got == numbers and not got & rectified, dept
        assert f"{demo['names'][dept]}：" in text and "整改要求" in text
        assert not RAW_ID.search(text), "an unmasked 身份证号 in a notice"
        for other in set(demo["names"]) - {dept}:
            assert not (expected.get(other, set()) & got)


def test_a_problem_marked_false_positive_leaves_the_notice(demo, tmp_path):
    db = copy_db(demo, tmp_path)
    before = demo["open"]
    dept, numbers = max(before.items(), key=lambda kv: len(kv[1]))
    number = sorted(numbers)[0]
    cli("ledger", "mark", number, "--as", "false-positive", "--reason", "复核：链接可访问", "--by", "王五", "--db", db)
    cli("notices", "--month", MONTH, "--db", db, "--out", tmp_path / "n", "--date", ISSUED, "--department", dept)
    (notice,) = (tmp_path / "n").iterdir()
    got, _ = docx_numbers(notice)
    assert got == numbers - {number}


def test_reminders_name_exactly_the_columns_the_next_audit_finds_newly_stale(demo, tmp_path):
    """Columns due within 7 days as of week 1 are those an audit one week later finds stale and
    an audit now does not: a reminder never disagrees with the audit."""
    rows = json.loads(cli("remind", "--db", demo["db"], "--run", demo["run"], "--days", 7, "--as-of", WEEK1,
                          "--format", "json", "--out", tmp_path / "r").stdout)
    db = copy_db(demo, tmp_path)

    def stale(as_of):
        cli("audit", "--run", demo["run"], "--as-of", as_of, "--db", db)
        found = json.loads(cli("findings", "--run", demo["run"], "--db", db, "--format", "json").stdout)
        return {(f["site"], f["url"]) for f in found if f["rule"] == "column_stale"}

    newly = stale(ISSUED) - stale(WEEK1)
    assert newly and {(r["site_id"], r["url"]) for r in rows} == newly
    assert all(WEEK1 < r["due_date"] <= ISSUED for r in rows)
    boundary = [r for r in rows if r["latest_date"] == "2026-11-06" and r["window"] == "14天"]
    assert boundary and all((r["due_date"], r["days_left"]) == ("2026-11-21", 1) for r in boundary)
    files = {p.name for p in (tmp_path / "r").iterdir()}
    assert files == {f"{demo['names'][r['department_id']]}-临期提醒-{WEEK1}.txt" for r in rows}
    narrow = json.loads(cli("remind", "--db", demo["db"], "--run", demo["run"], "--days", 1, "--as-of", "2026-11-19",
                            "--format", "json", "--out", tmp_path / "r1").stdout)
    assert narrow and all(r["due_date"] == WEEK1 for r in narrow)


def test_notices_and_reminders_are_mailed_to_each_department(demo, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    settings = json.loads(json.dumps(demo["settings"], default=str))
    no_mail = settings["departments"][-1]
    no_mail.pop("email", None)
    emails = {d["id"]: d.get("email") for d in settings["departments"]}
    expected = demo["open"]
    assert no_mail["id"] in expected, "the decoy department must have a notice to (not) send"
    with smtp_server("starttls", tmp_path) as server:
        settings["mail"] = server.mail
        settings["contact"] = {"office": "青溪区政务公开办", "name": "王五", "phone": "0571-86000000"}
        config = tmp_path / "sites.yaml"
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        sent = cli("notices", "--month", MONTH, "--db", demo["db"], "--config", config, "--out", tmp_path / "n",
                   "--date", ISSUED, "--send", check=False)
        notices = list(server.received)
        reminded = cli("remind", "--db", demo["db"], "--config", config, "--run", demo["run"], "--days", 7,
                       "--as-of", WEEK1, "--out", tmp_path / "r", "--send", "--format", "json", check=False)
        reminders = server.received[len(notices):]
    assert sent.returncode == 3, sent.stderr              # one department could not be mailed
    log = json.loads((tmp_path / "n" / "delivery.json").read_text(encoding="utf-8"))
    assert {d["department_id"]: d["status"] for d in log} == {
        d: ("skipped" if d == no_mail["id"] else "sent") for d in expected}
    assert sorted(a.rcpt_tos[0] for a in notices) == sorted(emails[d] for d in expected if d != no_mail["id"])
    for arrived in notices:
        dept = next(d for d, e in emails.items() if e == arrived.rcpt_tos[0])
        name = demo["names"][dept]
        assert arrived.message["Subject"] == f"关于{name}政府网站检查问题的整改通知（2026年11月）"
        assert "联系人：青溪区政务公开办 王五，电话：0571-86000000" in arrived.message.get_body(("plain",)).get_content()
        (part,) = arrived.message.iter_attachments()
        assert part.get_filename() == f"{name}-整改通知书-{MONTH}.docx"
        numbers, text = docx_numbers(part.get_content())
        assert numbers == expected[dept] and "王五" in text
    rows = json.loads(reminded.stdout)
    due = {r["department_id"] for r in rows}
    assert reminded.returncode == (3 if no_mail["id"] in due else 0), reminded.stderr
    assert sorted(a.rcpt_tos[0] for a in reminders) == sorted(emails[d] for d in due if d != no_mail["id"])
    for arrived in reminders:
        dept = next(d for d, e in emails.items() if e == arrived.rcpt_tos[0])
        body = arrived.message.get_body(("plain",)).get_content()
        assert list(arrived.message.iter_attachments()) == []
        assert {r["column"] for r in rows if r["department_id"] == dept} <= set(re.findall(r"「(.+?)」", body))
        assert arrived.message["Subject"] == f"{demo['names'][dept]}政府网站栏目更新临期提醒（2026年11月20日）"


def test_send_without_a_password_stops_before_writing(demo, tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    settings = json.loads(json.dumps(demo["settings"], default=str))
    settings["mail"] = {"host": "127.0.0.1", "port": 9, "from": "gkb@qingxi.example", "user": "gkb",
                        "password_env": PASSWORD_ENV}
    config = tmp_path / "sites.yaml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = cli("notices", "--month", MONTH, "--db", demo["db"], "--config", config, "--out", tmp_path / "n",
                 "--send", check=False)
    assert result.returncode == 1 and PASSWORD_ENV in result.stderr
    assert not (tmp_path / "n").exists()
