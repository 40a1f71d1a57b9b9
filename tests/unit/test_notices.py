"""整改通知书 content over hand-built audited runs (real SQLite, no crawl): which problems are
open as of the month's last run, their deadlines, and what the Word notice says."""
from datetime import date

import pytest
from docx import Document

from govaudit import ledger
from govaudit.store import Store
from ledger_runs import RULES, audited_run, dead, finding, stale
from reports.notices import Addressbook, month_run, notice_mail, open_problems, write_notices

RUN_RULES = (*RULES, "stale_count")
OCT30, NOV13, NOV27, DEC04, DEC11 = (date(2026, 10, 30), date(2026, 11, 13), date(2026, 11, 27), date(2026, 12, 4),
                                     date(2026, 12, 11))
# 10 working days (official calendar; no holiday in November 2026): Oct 30 (Fri) -> Nov 13, Nov 13 -> Nov 27.
STALE_DEADLINE, LEAK_DEADLINE = NOV13, NOV27
LEAK = finding("privacy", "jyj", "http://jyj.qingxi.gov.cn/gs/2026/11/roster.xlsx", "身份证号：330102********1234",
               "附件「低保名单」公开了未去标识化的个人信息（身份证号1处）", category="privacy", severity="veto")
VETO = finding("stale_count", "jyj", None, "5个", "青溪区教育局网站共有5个栏目不更新，达到单项否决标准（5个）",
               category="column_stale", severity="veto")
BOOK = Addressbook.from_snapshot({
    "organization": "江州市青溪区人民政府办公室",
    "contact": {"office": "青溪区政务公开办", "name": "王五", "phone": "0571-86000000", "email": "gkb@qingxi.gov.cn"},
    "departments": [{"id": "jyj", "name": "青溪区教育局", "email": "jyj@qingxi.gov.cn", "contact": "李四",
                     "phone": "0571-86000001"},
                    {"id": "mzj", "name": "青溪区民政局", "email": "mzj@qingxi.gov.cn"}],
    "sites": [{"id": "jyj", "name": "青溪区教育局网站"}, {"id": "mzj", "name": "青溪区民政局网站"}]})


@pytest.fixture
def store(tmp_path):
    """Oct 30: jyj stale 通知公告 + dead link, mzj stale 工作动态. Nov 13: jyj's link fixed, a
    privacy leak appears; mzj fixed. Nov 27: mzj gets a dead link, marked false-positive; jyj's
    site-level veto. Dec 4: the stale column fixed; Dec 11: it is stale again (reopened)."""
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    notices_stale = stale("jyj", "通知公告", "2026-04-01")
    audited_run(store, OCT30, [notices_stale, dead("jyj", "http://jyj.qingxi.gov.cn/old.html"),
                               stale("mzj", "工作动态", "2026-10-01")], rules=RUN_RULES)
    audited_run(store, NOV13, [notices_stale, LEAK], rules=RUN_RULES)
    marked = dead("mzj", "http://mzj.qingxi.gov.cn/gone.html")
    audited_run(store, NOV27, [notices_stale, LEAK, VETO, marked], rules=RUN_RULES)
    ledger.set_mark(store, ledger.fingerprint(marked)[:10], "false-positive", "链接实际可访问", "王五")
    audited_run(store, DEC04, [LEAK], rules=RUN_RULES)
    audited_run(store, DEC11, [notices_stale, LEAK], rules=RUN_RULES)
    return store


def test_open_problems_are_those_open_as_of_the_months_last_run(store):
    november = month_run(store, "2026-11")
    assert store.audit_of(november)["as_of"] == NOV27
    rows = open_problems(store, november)
    got = sorted((r["department_id"], r["rule"], r["status"], r["first_seen"], r["deadline"])
                 for r in rows.to_dict("records"))
    assert got == [("jyj", "column_stale", "overdue", OCT30, STALE_DEADLINE),     # reopened Dec 11: November's deadline
                   ("jyj", "privacy", "persisting", NOV13, LEAK_DEADLINE),
                   ("jyj", "stale_count", "new", NOV27, date(2026, 12, 11))]
    # the marked link, the rectified link and mzj's rectified column are not open
    assert set(rows["department_id"]) == {"jyj"}
    assert all(len(n) == 10 for n in rows["number"])


def test_december_sees_the_reopened_column_with_its_new_deadline(store):
    rows = open_problems(store, month_run(store, "2026-12")).set_index("rule")
    assert rows.loc["column_stale", "status"] == "reopened"
    assert rows.loc["column_stale", "deadline"] == date(2026, 12, 25)   # Dec 11 (Fri) + 10 working days


def _text(path) -> tuple[str, list[list[str]]]:
    document = Document(str(path))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    (table,) = document.tables
    return paragraphs, [[cell.text for cell in row.cells] for row in table.rows]


def test_one_notice_per_department_with_open_problems(store, tmp_path):
    notices = write_notices(store, "2026-11", tmp_path / "out", NOV27, BOOK)
    assert [(n.department_id, n.problems, n.overdue, n.deadline) for n in notices] == [("jyj", 2, 1, LEAK_DEADLINE)]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["青溪区教育局-整改通知书-2026-11.docx"]
    text, rows = _text(notices[0].path)
    assert rows[0] == ["序号", "问题编号", "网站及栏目", "问题描述", "首次发现", "整改期限"]
    numbers = {r["rule"]: r["number"] for r in open_problems(store, month_run(store, "2026-11")).to_dict("records")}
    leak, column = rows[1], rows[2]                      # a veto before a deduction
    assert leak == ["1", numbers["privacy"], "青溪区教育局网站",
                    f"{LEAK['detail']}\n证据：身份证号：330102********1234\n网址：{LEAK['url']}", "2026-11-13",
                    "2026-11-27"]
    assert column[1:3] == [numbers["column_stale"], "青溪区教育局网站\n栏目「通知公告」"]
    assert column[3].startswith("栏目「通知公告」更新至2026-04-01") and column[4:] == ["2026-10-30", "2026-11-13\n（已逾期）"]
    assert len(rows) == 3                                # the site-level verdict is no line of its own …
    assert f"特别提示：{VETO['detail']}。" in text          # … but a 特别提示
    assert "青溪区教育局：" in text and "共有2个问题尚未整改（未整改1个、逾期未整改1个）" in text
    assert "请于2026年11月27日前完成全部问题的整改" in text and "其中1个问题已超过整改期限" in text
    assert "联系人：青溪区政务公开办 王五，电话：0571-86000000，邮箱：gkb@qingxi.gov.cn" in text
    assert "被检查单位联系人：青溪区教育局 李四，电话：0571-86000001，邮箱：jyj@qingxi.gov.cn" in text
    assert text.rstrip().endswith("江州市青溪区人民政府办公室\n2026年11月27日")
    assert "民政局" not in text and "old.html" not in text


def test_a_later_issue_date_makes_every_problem_overdue(store, tmp_path):
    (notice,) = write_notices(store, "2026-11", tmp_path, date(2026, 11, 30), BOOK)
    text, rows = _text(notice.path)
    assert notice.overdue == 2 and all(r[5].endswith("（已逾期）") for r in rows[1:])
    assert "清单所列问题均已超过整改期限，请立即整改" in text
    mail = notice_mail(BOOK, notice, "2026-11", date(2026, 11, 30), "{department}整改通知（{month}，期限{deadline}）")
    assert mail.subject == "青溪区教育局整改通知（2026年11月，期限立即）"
    assert "均已超过整改期限" in mail.body and "请于立即" not in mail.body


def test_department_filter_and_the_stored_config(store, tmp_path):
    assert write_notices(store, "2026-11", tmp_path, NOV27, BOOK, department="青溪区民政局") == []
    (notice,) = write_notices(store, "2026-11", tmp_path, NOV27, department="jyj")   # names from the run's snapshot
    text, _ = _text(notice.path)
    assert "联系人：" in text and "王五" not in text        # the stored snapshot has no contact block


def test_notice_mail_carries_the_notice(store, tmp_path):
    (notice,) = write_notices(store, "2026-11", tmp_path, NOV27, BOOK)
    mail = notice_mail(BOOK, notice, "2026-11", NOV27, "关于{department}政府网站检查问题的整改通知（{month}）")
    assert (mail.to, mail.subject, mail.attachments) == (
        ["jyj@qingxi.gov.cn"], "关于青溪区教育局政府网站检查问题的整改通知（2026年11月）", [notice.path])
    assert "发现2个问题尚未整改" in mail.body and "请于2026年11月27日前完成整改" in mail.body
