"""个人信息未去标识化: one finding per (document, section), counts per kind, only masked values shown."""
from datetime import date

import pandas as pd

from crawler.extract.privacy import find_personal_data, mask
from rules import facts as facts_module
from rules import privacy
from rules.facts import RunFacts
from rules.registry import all_rules

AS_OF = date(2026, 11, 20)
CONFIG = {"update_classes": {}, "rules": {},
          "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]},
                    {"id": "mzj", "name": "青溪区民政局", "department": "mzj", "scope": ["/mzj/"]}]}
FIELDS = ["doc_url", "doc_kind", "kind", "masked", "position", "context"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(n):
    body = f"330102199001{n % 28 + 1:02d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def rows_of(doc_url, doc_kind, text):
    """What the crawler stores for one document: masked hits only."""
    return [{"doc_url": doc_url, "doc_kind": doc_kind, "kind": h.kind, "masked": h.masked,
             "position": h.start, "context": h.context} for h in find_personal_data(text)]


def facts(hits, page_sites=(), links=(), pages=()):
    return RunFacts(
        run_id=1, config=CONFIG, pii_hits=pd.DataFrame(hits, columns=FIELDS),
        page_sites=pd.DataFrame(list(page_sites), columns=["page_url", "site_id", "how"]),
        links=pd.DataFrame(list(links), columns=["page_url", "url", "text", "hidden", "context", "block", "internal"]),
        pages=pd.DataFrame(list(pages), columns=["url", "final_url", "title", "column_name"]))


def check(f):
    return privacy.check(f, AS_OF, privacy.META.settings({}))


ATT = "http://x/mzj/202611/P020261101_名单.xlsx"
ATT_TEXT = "序号\t姓名\t身份证号\t联系电话\n" + "".join(
    f"{i}\t姓名{i}\t{make_id(i)}\t{'138001380%02d' % i if i <= 3 else '139****0000'}\n" for i in range(1, 13))


def test_counts_per_kind_for_an_attachment_attributed_through_its_linking_page():
    hits = rows_of(ATT, "attachment", ATT_TEXT)
    found = check(facts(hits, page_sites=[("http://x/mzj/a.html", "mzj", "scope")],
                        links=[("http://x/mzj/a.html", ATT, "2026年低保对象名单.xlsx", False, "a", "b", True)],
                        pages=[("http://x/mzj/a.html", None, "关于低保对象的公示", "公示公告")]))
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.category, f.severity, f.site_id, f.department_id, f.url, f.column) == \
        ("privacy", "privacy", "deduct", "mzj", "mzj", ATT, "公示公告")
    assert f.detail == "附件「2026年低保对象名单.xlsx」含身份证号12处、手机号3处，未去标识化"
    assert f.data["counts"] == {"id_card": 12, "mobile": 3} and f.data["total"] == 15
    assert f.data["linked_from"] == ["http://x/mzj/a.html"] and f.data["doc_kind"] == "attachment"
    assert f.evidence == f"身份证号：{mask(make_id(1), 'id_card')}；手机号：138****8001；身份证号：{mask(make_id(2), 'id_card')}"


def test_nothing_raw_in_a_finding():
    hits = rows_of(ATT, "attachment", ATT_TEXT)
    hits.append(dict(hits[0], masked=make_id(40)))          # an upstream bug stored a raw value
    [f] = check(facts(hits, page_sites=[("http://x/mzj/a.html", "mzj", "scope")],
                      links=[("http://x/mzj/a.html", ATT, "名单", False, "a", "b", True)]))
    shown = f"{f.evidence} {f.detail} {f.data}"
    for i in range(1, 41):
        assert make_id(i) not in shown
    assert "13800138001" not in shown and "138****8001" in shown
    assert "姓名" not in shown                                  # contexts (names) stay in pii_hits


def test_page_hits_are_attributed_through_page_sites():
    page = "http://x/jyj/t20261101_1.html"
    text = f"关于2026年教师资格认定的公示：张三，身份证号{make_id(5)}，联系电话13900139000，银行卡号6222021234567890128。"
    hits = rows_of(page, "page", text)
    assert [h["kind"] for h in hits] == ["id_card", "mobile", "bank_card"]
    [f] = check(facts(hits, page_sites=[(page, "jyj", "scope")], pages=[(page, page, "教师资格认定公示", "通知公告")]))
    assert (f.site_id, f.department_id, f.column) == ("jyj", "jyj", "通知公告")
    assert f.detail == "页面「教师资格认定公示」含身份证号1处、手机号1处、银行卡号1处，未去标识化"
    assert f.evidence == f"身份证号：{mask(make_id(5), 'id_card')}；手机号：139****9000；银行卡号：6222***********0128"
    assert "linked_from" not in f.data


def test_attachment_linked_from_two_sections_is_reported_in_each():
    hits = rows_of(ATT, "attachment", ATT_TEXT)
    found = check(facts(hits, page_sites=[("http://x/mzj/a.html", "mzj", "scope"), ("http://x/jyj/b.html", "jyj", "link"),
                                          ("http://x/jyj/c.html", "jyj", "scope")],
                        links=[("http://x/mzj/a.html", ATT, "名单", False, "a", "b", True),
                               ("http://x/jyj/b.html", ATT, "", False, "a", "b", True),
                               ("http://x/jyj/c.html", ATT, "名单", False, "a", "b", True)]))
    assert sorted((f.site_id, tuple(f.data["linked_from"])) for f in found) == [
        ("jyj", ("http://x/jyj/b.html", "http://x/jyj/c.html")), ("mzj", ("http://x/mzj/a.html",))]
    assert {f.detail for f in found} == {"附件「名单」含身份证号12处、手机号3处，未去标识化"}


def test_unattributed_document_is_still_reported_and_named_from_its_url():
    [f] = check(facts(rows_of(ATT, "attachment", ATT_TEXT)))
    assert f.site_id is None and f.department_id is None
    assert f.detail.startswith("附件「P020261101_名单.xlsx」含身份证号12处")


def test_only_masked_values_give_no_finding():
    text = "1\t张*明\t330102********1234\t138****1234\n2\t李*\t110105********123X\t139****0000\n统一社会信用代码：91330102MA2ABCDE1X"
    hits = rows_of("http://x/jyj/p.html", "page", text)
    assert hits == []
    assert check(facts(hits, page_sites=[("http://x/jyj/p.html", "jyj", "scope")])) == []


def test_settings_choose_kinds_and_minimum():
    hits = rows_of(ATT, "attachment", ATT_TEXT)
    f = facts(hits, page_sites=[("http://x/mzj/a.html", "mzj", "scope")],
              links=[("http://x/mzj/a.html", ATT, "名单", False, "a", "b", True)])
    [only_mobiles] = privacy.check(f, AS_OF, privacy.META.settings({"kinds": ["mobile"]}))
    assert only_mobiles.data["counts"] == {"mobile": 3} and only_mobiles.evidence.count("手机号") == 3
    assert privacy.check(f, AS_OF, privacy.META.settings({"min_hits": 16})) == []


def test_no_hits_no_findings():
    assert check(RunFacts(run_id=1, config=CONFIG)) == []


def test_registered_with_metadata():
    module = next(m for m in all_rules() if m.META.id == "privacy")
    assert module.META.category == "privacy" and module.META.confidence == "C"
    assert module.META.indicator == "个人信息保护/去标识化" and "第二十八条" in module.META.source
    assert facts_module.FIELDS["pii_hits"] == FIELDS
