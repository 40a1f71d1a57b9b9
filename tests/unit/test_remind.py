"""临期提醒 computation and text over a hand-built stored run (real SQLite, no crawl)."""
from datetime import date, datetime, timezone

import pytest

from govaudit.store import Store
from reports.notices import Addressbook
from reports.remind import reminder_frame, reminder_mail, write_reminders

AS_OF = date(2026, 11, 20)
SNAPSHOT = {
    "organization": "江州市青溪区人民政府办公室",
    "contact": {"office": "青溪区政务公开办", "phone": "0571-86000000"},
    "departments": [{"id": "jyj", "name": "青溪区教育局", "email": "jyj@qingxi.gov.cn"},
                    {"id": "mzj", "name": "青溪区民政局", "email": None}],
    "sites": [{"id": "jyj", "name": "青溪区教育局网站", "department": "jyj"},
              {"id": "mzj", "name": "青溪区民政局网站", "department": "mzj"}],
    "update_classes": {"动态要闻": "两周", "通知公告": "半年", "基础信息": "每年"}, "rules": {},
}


def column(site, name, cls, window, latest, **extra):
    return {"site_id": site, "department_id": site, "name": name, "url": f"http://{site}.qingxi.gov.cn/{name}/",
            "update_class": cls, "window": window, "latest_date": latest, "item_count": 10, "undated_count": 0,
            "placeholder": False, "fetched": True, **extra}


COLUMNS = [
    # 14 days: the window starts Nov 6 on Nov 20; Nov 8 is before the start from Nov 23 on (3 days left)
    column("jyj", "工作动态", "动态要闻", "14天", date(2026, 11, 8)),
    # 6 months: May 21 is before Nov 22 − 6 months (May 22): due Nov 22 (2 days left)
    column("jyj", "通知公告", "通知公告", "6个月", date(2026, 5, 21)),
    # decoys: due in 4 days, already stale, undated, blank, a placeholder, not fetched
    column("mzj", "民政动态", "动态要闻", "14天", date(2026, 11, 9)),
    column("mzj", "通知公告", "通知公告", "6个月", date(2026, 5, 1)),
    column("mzj", "政策解读", "基础信息", "1年", None, undated_count=10),
    column("mzj", "机构职能", "基础信息", "1年", date(2025, 11, 21), item_count=0),
    column("jyj", "人事信息", "基础信息", "1年", date(2025, 11, 21), placeholder=True),
    column("jyj", "规划计划", "基础信息", "1年", date(2025, 11, 21), fetched=False),
]


@pytest.fixture
def run(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    run_id = store.new_run(None, None, SNAPSHOT)
    with store.tx() as conn:
        store.replace_derived(conn, run_id, {"columns": [{"run_id": run_id, **c} for c in COLUMNS]})
        store.finish_run(conn, run_id, "complete")
        conn.exec_driver_sql("UPDATE runs SET started_at = ? WHERE id = ?",
                             (datetime(2026, 11, 18, 17, 0, tzinfo=timezone.utc).isoformat(sep=" "), run_id))
    return store, run_id


BOOK = Addressbook.from_snapshot(SNAPSHOT)


def test_columns_due_within_the_days_with_the_day_each_goes_stale(run):
    store, run_id = run
    frame = reminder_frame(store, run_id, AS_OF, 3, BOOK)
    assert [(r.department, r.site, r.column, r.due_date, r.days_left) for r in frame.itertuples()] == [
        ("青溪区教育局", "青溪区教育局网站", "通知公告", date(2026, 11, 22), 2),
        ("青溪区教育局", "青溪区教育局网站", "工作动态", date(2026, 11, 23), 3)]
    wider = reminder_frame(store, run_id, AS_OF, 4, BOOK)
    assert list(wider["column"]) == ["通知公告", "工作动态", "民政动态"]
    assert list(wider["due_date"])[-1] == date(2026, 11, 24)


def test_one_text_per_department_that_has_due_columns(run, tmp_path):
    store, run_id = run
    frame = reminder_frame(store, run_id, AS_OF, 3, BOOK)
    (reminder,) = write_reminders(store, run_id, frame, tmp_path / "out", AS_OF, BOOK)
    assert reminder.path.name == "青溪区教育局-临期提醒-2026-11-20.txt"
    assert reminder.path.read_bytes().startswith(b"\xef\xbb\xbf")          # UTF-8 BOM: Notepad reads it right
    text = reminder.path.read_text(encoding="utf-8-sig")
    assert text == reminder.text
    assert "根据2026年11月19日采集的网站数据，截至2026年11月20日，你单位以下2个栏目即将超过更新时限" in text  # 01:00 Beijing
    assert ("1. 青溪区教育局网站「通知公告」（通知公告类，更新时限6个月）\n"
            "   最近更新：2026年5月21日；2026年11月22日起视为未更新（还有2天）\n"
            "   http://jyj.qingxi.gov.cn/通知公告/") in text
    assert "2026年11月23日起视为未更新（还有3天）" in text
    assert "联系人：青溪区政务公开办，电话：0571-86000000" in text
    assert "民政局" not in text and "民政动态" not in text and "人事信息" not in text


def test_a_crawl_on_the_day_itself_is_not_dated_twice(run, tmp_path):
    store, run_id = run
    frame = reminder_frame(store, run_id, date(2026, 11, 19), 3, BOOK)
    (reminder,) = write_reminders(store, run_id, frame, tmp_path, date(2026, 11, 19), BOOK)
    assert "经检查，截至2026年11月19日" in reminder.text and "采集" not in reminder.text


def test_reminder_mail_is_the_text_itself(run, tmp_path):
    store, run_id = run
    (reminder,) = write_reminders(store, run_id, reminder_frame(store, run_id, AS_OF, 3, BOOK), tmp_path, AS_OF, BOOK)
    mail = reminder_mail(BOOK, reminder, AS_OF, "{department}：{count}个栏目临期（{date}）")
    assert (mail.to, mail.subject, mail.body, mail.attachments) == (
        ["jyj@qingxi.gov.cn"], "青溪区教育局：2个栏目临期（2026年11月20日）", reminder.text, [])


def test_a_run_without_dated_columns_reminds_nobody(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'blank.db'}")
    run_id = store.new_run(None, None, SNAPSHOT)
    with store.tx() as conn:
        store.replace_derived(conn, run_id, {"columns": [{"run_id": run_id, **c} for c in COLUMNS[4:6]]})
        store.finish_run(conn, run_id, "complete")
    frame = reminder_frame(store, run_id, AS_OF, 30, BOOK)
    assert frame.empty and list(frame.columns)[:3] == ["department_id", "department", "site_id"]
    assert write_reminders(store, run_id, frame, tmp_path / "out", AS_OF, BOOK) == []
    assert not (tmp_path / "out").exists()
