"""The ledger: fingerprints from the rules' identity, and the status machine over hand-built audited runs."""
from dataclasses import asdict
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from govaudit import ledger
from govaudit.store import Store, StoreError, ledger_history, ledger_marks
from govaudit.workdays import add_working_days
from ledger_runs import audited_run, dead, finding, stale
from rules import column_stale, expression, section_missing, stale_count
from rules.base import DEFAULT_IDENTITY
from rules.facts import RunFacts
from rules.registry import all_rules

# National Day 2025: 10月1日–8日 off, Sunday 9月28日 and Saturday 10月11日 are make-up working days (调休).
FIRST = date(2025, 9, 26)           # a Friday
DEADLINE = date(2025, 10, 16)       # the 10th working day after it, counting both make-up days


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'ledger.db'}")


def fp(row: dict) -> str:
    return ledger.fingerprint(row)


def as_row(f) -> dict:
    return asdict(f)


# --------------------------------------------------------------------------- fingerprints

COLUMNS_CONFIG = {"update_classes": {"通知公告": "半年", "动态要闻": "两周"}, "rules": {},
                  "sites": [{"id": "s", "name": "青溪区教育局", "department": "jyj"}]}


def column(name, url, latest, update_class="通知公告", site="s"):
    return {"site_id": site, "department_id": "jyj", "name": name, "url": url, "update_class": update_class,
            "window": "6个月", "latest_date": latest, "latest_source": "list", "item_count": 4, "undated_count": 0,
            "placeholder": False, "fetched": True, "shape": "html_list"}


def stale_findings(rows, as_of=date(2026, 11, 20)):
    facts = RunFacts(run_id=1, config=COLUMNS_CONFIG, columns=pd.DataFrame(rows))
    return column_stale.check(facts, as_of, column_stale.META.settings({}))


def test_a_stale_column_keeps_its_fingerprint_when_its_latest_date_changes():
    before = stale_findings([column("通知公告", "http://x/tzgg/", date(2026, 3, 1))])
    after = stale_findings([column("通知公告", "http://x/tzgg/", date(2026, 4, 2))], as_of=date(2026, 12, 4))
    assert before[0].evidence != after[0].evidence and before[0].data != after[0].data
    assert fp(as_row(before[0])) == fp(as_row(after[0]))
    # decoys: another column of the same site, the same URL on another site
    other = stale_findings([column("通知公告", "http://x/gsgg/", date(2026, 3, 1)),
                            column("通知公告", "http://x/tzgg/", date(2026, 3, 1), site="t")])
    assert len({fp(as_row(f)) for f in before + other}) == 3


def test_two_expression_errors_on_one_page_are_two_problems():
    page = {"url": "http://x/a.html", "title": "转发国务园办公厅关于加强管理的通知",
            "text": "各学校：现将中华人民共合国有关规定转发给你们。"}
    facts = RunFacts(run_id=1, config={"update_classes": {}, "rules": {}, "sites": []},
                     pages=pd.DataFrame([page]),
                     page_sites=pd.DataFrame([("http://x/a.html", "s", "scope")],
                                             columns=["page_url", "site_id", "how"]))
    found = expression.check(facts, date(2026, 11, 20), expression.META.settings({}))
    assert len(found) == 2
    assert len({fp(as_row(f)) for f in found}) == 2
    # the same error with other words around it (its evidence) is the same problem
    moved = dict(as_row(found[0]), evidence="……" + found[0].evidence[3:])
    assert fp(moved) == fp(as_row(found[0]))


def test_site_level_counts_keep_their_fingerprint_per_scope_whatever_the_count():
    old = date(2024, 1, 1)
    five = [column(f"动态{i}", f"http://x/{i}/", old, "动态要闻") for i in range(6)]
    facts = RunFacts(run_id=1, config=COLUMNS_CONFIG, columns=pd.DataFrame(five))
    found = stale_count.check(facts, date(2026, 11, 20), stale_count.META.settings({}))
    assert {f.data["scope"] for f in found} == {"key", "all"}
    fewer = RunFacts(run_id=1, config=COLUMNS_CONFIG, columns=pd.DataFrame(five[:3]))
    warned = stale_count.check(fewer, date(2026, 11, 20), stale_count.META.settings({}))
    assert [(f.data["scope"], f.severity) for f in warned] == [("key", "advisory")]
    by_scope = {f.data["scope"]: fp(as_row(f)) for f in found}
    assert by_scope["key"] != by_scope["all"]
    assert fp(as_row(warned[0])) == by_scope["key"]       # 6 → 3 columns, veto → warning: the same verdict


def test_missing_items_of_a_section_are_one_problem_each():
    found = section_missing.check(RunFacts(run_id=1, config=COLUMNS_CONFIG), date(2026, 11, 20),
                                  section_missing.META.settings({}))
    assert len(found) == 4 and len({fp(as_row(f)) for f in found}) == 4


def test_identity_fields_and_the_default():
    assert DEFAULT_IDENTITY == ("site_id", "url")
    rows = {"rule": "dead_link", "site_id": "s", "url": "http://x/gone.html", "evidence": "HTTP 404"}
    assert fp(rows) == fp({**rows, "evidence": "HTTP 410", "data": '{"count": 9}'})
    assert fp(rows) != fp({**rows, "rule": "unverifiable_link"})
    assert fp({"rule": "no_such_rule", "site_id": "s", "url": None}) == ledger.fingerprint(
        {"rule": "no_such_rule", "site_id": "s", "url": None, "evidence": "x"})
    for module in all_rules():
        assert module.META.identity, module.META.id
    with pytest.raises(AssertionError):
        stale_count.META.__class__(**{**stale_count.META.as_dict(), "identity": ("detail",)})


# --------------------------------------------------------------------------- the status machine

def entries(store) -> dict[str, dict]:
    frame = ledger.ledger_frame(store)
    return {row["fingerprint"]: row for row in frame.astype(object).where(frame.notna(), None).to_dict("records")}


def history(store, fingerprint) -> list[tuple[int, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(ledger_history.c.run_id, ledger_history.c.status)
                            .where(ledger_history.c.fingerprint == fingerprint).order_by(ledger_history.c.run_id))
        return [tuple(r) for r in rows]


A = stale("jyj", "通知公告", "2025-03-01")
B = dead("jyj", "http://jyj.qingxi.gov.cn/gone.html")
C = dead("mzj", "http://mzj.qingxi.gov.cn/old.html")


def test_deadline_counts_official_working_days_with_make_up_days():
    assert add_working_days(FIRST, 10) == DEADLINE
    assert add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 11)      # a make-up Saturday
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)         # over the holiday
    assert add_working_days(FIRST, 0) == FIRST
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)          # no calendar data: Mon–Fri


def test_new_persisting_rectified_reopened_and_overdue(store):
    a, b, c = fp(A), fp(B), fp(C)
    r1 = audited_run(store, FIRST, [A, B, C])
    e = entries(store)
    assert {e[x]["status"] for x in (a, b, c)} == {"new"}
    assert e[a]["first_seen"] == FIRST and e[a]["deadline"] == DEADLINE and e[a]["first_run"] == r1
    assert e[a]["open"] and e[a]["state_title"] == "新发现"

    # run 2 on the deadline day: A is still within its deadline; B is gone (复查 of a crawled site);
    # C is gone too, but its site was down: not re-checked, not rectified
    r2 = audited_run(store, DEADLINE, [stale("jyj", "通知公告", "2025-03-05")], crawled=("jyj",))
    e = entries(store)
    assert e[a]["status"] == "persisting" and e[a]["first_seen"] == FIRST and e[a]["last_run"] == r2
    assert e[a]["evidence"] == "最新信息日期：2025-03-05"            # the latest finding's evidence
    assert (e[b]["status"], e[b]["rectified_run"], e[b]["rectified_on"]) == ("rectified", r2, DEADLINE)
    assert not e[b]["open"]
    assert e[c]["status"] == "new" and e[c]["rectified_run"] is None

    # run 3, the next working day: A overdue; B back (reopened, new deadline); C re-checked and gone
    r3 = audited_run(store, date(2025, 10, 17), [A, B])
    e = entries(store)
    assert e[a]["status"] == "overdue" and e[a]["state_title"] == "逾期未整改" and e[a]["open"]
    assert e[b]["status"] == "reopened" and e[b]["rectified_run"] is None
    assert e[b]["first_seen"] == FIRST and e[b]["deadline"] == add_working_days(date(2025, 10, 17), 10)
    assert (e[c]["status"], e[c]["rectified_run"]) == ("rectified", r3)

    # run 4: B present again after its reopening → persisting; A absent, but column_stale did not run
    r4 = audited_run(store, date(2025, 10, 20), [B], rules=("dead_link",))
    e = entries(store)
    assert e[a]["status"] == "overdue" and e[a]["last_run"] == r3
    assert e[b]["status"] == "persisting"
    assert history(store, a) == [(r1, "new"), (r2, "persisting"), (r3, "overdue")]
    assert history(store, b) == [(r1, "new"), (r2, "rectified"), (r3, "reopened"), (r4, "persisting")]
    assert history(store, c) == [(r1, "new"), (r3, "rectified")]
    assert ledger.run_changes(store, r3) == {"overdue": 1, "rectified": 1, "reopened": 1}


def test_deadline_workdays_come_from_the_run_that_opened_the_problem(store):
    audited_run(store, FIRST, [A], deadline_workdays=3)
    assert entries(store)[fp(A)]["deadline"] == date(2025, 9, 30)      # 28 (make-up Sunday), 29, 30
    audited_run(store, date(2025, 10, 9), [A], deadline_workdays=30)
    entry = entries(store)[fp(A)]
    assert entry["status"] == "overdue" and entry["deadline"] == date(2025, 9, 30)


def test_a_problem_without_a_site_is_rechecked_by_any_run_of_its_rule(store):
    loose = finding("privacy", None, "http://elsewhere.example/list.xls", "身份证号：330102********1234")
    audited_run(store, FIRST, [loose])
    audited_run(store, DEADLINE, [], crawled=(), rules=("column_stale",))
    assert entries(store)[fp(loose)]["status"] == "new"
    audited_run(store, date(2025, 10, 17), [], crawled=())
    assert entries(store)[fp(loose)]["status"] == "rectified"


def test_reauditing_a_run_gives_the_same_ledger(store):
    r1 = audited_run(store, FIRST, [A, B, C])
    r2 = audited_run(store, DEADLINE, [A], crawled=("jyj",))
    r3 = audited_run(store, date(2025, 10, 17), [A, B])
    ignore = ["finding", "marked_at"]
    before = ledger.ledger_frame(store).drop(columns=ignore)
    with store.engine.connect() as conn:
        hist_before = conn.execute(select(ledger_history.c.fingerprint, ledger_history.c.run_id,
                                          ledger_history.c.status).order_by(ledger_history.c.fingerprint,
                                                                            ledger_history.c.run_id)).all()
    audited_run(store, DEADLINE, [A], run_id=r2)
    audited_run(store, FIRST, [A, B, C], run_id=r1)
    pd.testing.assert_frame_equal(ledger.ledger_frame(store).drop(columns=ignore), before)
    with store.engine.connect() as conn:
        hist_after = conn.execute(select(ledger_history.c.fingerprint, ledger_history.c.run_id,
                                         ledger_history.c.status).order_by(ledger_history.c.fingerprint,
                                                                           ledger_history.c.run_id)).all()
    assert hist_after == hist_before
    ledger.rebuild(store)          # a full rebuild writes what the audits wrote run by run
    with store.engine.connect() as conn:
        assert conn.execute(select(ledger_history.c.fingerprint, ledger_history.c.run_id, ledger_history.c.status)
                            .order_by(ledger_history.c.fingerprint, ledger_history.c.run_id)).all() == hist_before
    # re-auditing an earlier run with different findings changes what follows from it
    audited_run(store, DEADLINE, [A, B], run_id=r2)
    assert history(store, fp(B)) == [(r1, "new"), (r2, "persisting"), (r3, "overdue")]


def test_marks_survive_rebuilds_and_are_not_open(store):
    audited_run(store, FIRST, [A, B])
    b = fp(B)
    ledger.set_mark(store, b[:6], "false-positive", "该链接为外部系统维护页面，人工核实可访问", "alice")
    e = entries(store)[b]
    assert (e["mark"], e["state"], e["state_title"], e["open"]) == ("false-positive", "false-positive", "误报", False)
    audited_run(store, DEADLINE, [A, B])
    e = entries(store)[b]
    assert (e["status"], e["mark"], e["marked_by"], e["open"]) == ("persisting", "false-positive", "alice", False)
    assert ledger.ledger_frame(store, status="open")["fingerprint"].tolist() == [fp(A)]
    assert ledger.ledger_frame(store, status="false-positive")["fingerprint"].tolist() == [b]

    finding_id = int(e["finding"])
    ledger.set_mark(store, str(finding_id), None, "复核后确认为死链", "bob")
    audited_run(store, date(2025, 10, 17), [A, B])
    e = entries(store)[b]
    assert e["mark"] is None and e["state"] == "overdue" and e["open"]
    with store.engine.connect() as conn:
        marks = conn.execute(select(ledger_marks.c.action, ledger_marks.c.mark, ledger_marks.c.by,
                                    ledger_marks.c.finding_id).order_by(ledger_marks.c.id)).all()
    assert [tuple(m) for m in marks] == [("mark", "false-positive", "alice", None), ("unmark", None, "bob", finding_id)]


def test_marking_needs_a_known_id_a_reason_and_something_to_unmark(store):
    audited_run(store, FIRST, [A])
    with pytest.raises(StoreError, match="no ledger entry or finding"):
        ledger.set_mark(store, "ffffffff", "accepted-risk", "x", "alice")
    with pytest.raises(StoreError, match="reason"):
        ledger.set_mark(store, fp(A)[:8], "accepted-risk", " ", "alice")
    with pytest.raises(StoreError, match="not marked"):
        ledger.set_mark(store, fp(A)[:8], None, "撤销", "alice")
    with pytest.raises(StoreError, match="unknown mark"):
        ledger.set_mark(store, fp(A)[:8], "ignored", "x", "alice")
