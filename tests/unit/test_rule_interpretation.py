"""interpretation: 政策文件 ↔ 政策解读 linked both ways, on hand-built columns, items, pages and links."""
from datetime import date

import pandas as pd

from rules import interpretation
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)
CONFIG = {"update_classes": {"政策文件": "半年", "基础信息": "每年"},
          "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]}], "rules": {}}
B = "http://x/jyj"
ZCWJ, ZCWJ_2, ZCJD, TZGG = f"{B}/zcwj/index.html", f"{B}/zcwj/index_1.html", f"{B}/zcjd/index.html", f"{B}/tzgg/"

# Policy column items: (url, title)
D_OK_TEXT = (f"{B}/zcwj/d1.html", "青溪区教育局关于印发《青溪区中小学课后服务管理办法》的通知")
D_ONE_WAY = (f"{B}/zcwj/d2.html", "青溪区教育局关于进一步加强中小学生心理健康工作的实施意见")
D_NOTICE = (f"{B}/zcwj/d3.html", "青溪区教育局关于做好2026年春节期间有关工作的通知")
D_PRAISE = (f"{B}/zcwj/d4.html", "关于表彰2025年度优秀教师的决定")
D_UNFETCHED = (f"{B}/zcwj/d5.html", "青溪区学前教育发展行动方案")
D_PAGE2 = (f"{B}/zcwj/d6.html", "青溪区校外培训机构监督管理办法")
D_NAV_ONLY = (f"{B}/zcwj/d7.html", "青溪区中小学校园安全管理规定")
D_OK_TARGET = (f"{B}/zcwj/d8.html", "青溪区民办学校办学行为规范实施细则")
# Interpretation column items
I_BACK = (f"{B}/zcjd/i1.html", "一图读懂：关于进一步加强中小学生心理健康工作的实施意见")
I_SOURCE = (f"{B}/zcjd/i2.html", "《青溪区2026年教育工作要点》解读")
I_NONE = (f"{B}/zcjd/i3.html", "《青溪区民办学校办学行为规范实施细则》政策解读")
I_NOT_ARTICLE = (f"{B}/zcjd/i4.html", "关于调整学前教育保育教育费标准的政策解读")
OTHER_ARTICLE = f"{B}/gzyd/2026.html"    # a fetched article outside the policy column
NAV = "nav-block"


def column(name, url, update_class):
    return {"site_id": "jyj", "department_id": "jyj", "name": name, "url": url, "update_class": update_class,
            "window": "6个月", "latest_date": None, "latest_source": None, "item_count": 1, "undated_count": 0,
            "placeholder": False, "fetched": True, "shape": "html_list"}


def link(page, url, text, context="a", block="b", hidden=False):
    return {"page_url": page, "url": url, "text": text, "hidden": hidden, "context": context, "block": block,
            "internal": True}


def build(extra_links=(), drop_links=(), **frames):
    policy = [D_OK_TEXT, D_ONE_WAY, D_NOTICE, D_PRAISE, D_UNFETCHED, D_NAV_ONLY, D_OK_TARGET]
    interp = [I_BACK, I_SOURCE, I_NONE, I_NOT_ARTICLE]
    items = ([{"page_url": ZCWJ, "position": i, "title": t, "url": u} for i, (u, t) in enumerate(policy)]
             + [{"page_url": ZCWJ_2, "position": 0, "title": D_PAGE2[1], "url": D_PAGE2[0]}]
             + [{"page_url": ZCJD, "position": i, "title": t, "url": u} for i, (u, t) in enumerate(interp)]
             + [{"page_url": TZGG, "position": 0, "title": "关于印发某某管理办法的通知", "url": f"{B}/tzgg/n1.html"}])
    fetched = [u for u, _ in policy + interp + [D_PAGE2] if u != D_UNFETCHED[0]] + [OTHER_ARTICLE, f"{B}/tzgg/n1.html"]
    pages = ([{"url": u, "status": 200, "kind": "article", "title": ""} for u in fetched]
             + [{"url": u, "status": 200, "kind": "list", "title": ""} for u in (ZCWJ, ZCWJ_2, ZCJD, TZGG)])
    links = [
        link(ZCWJ, ZCWJ_2, "", context="next"),
        link(D_OK_TEXT[0], f"{B}/jd/elsewhere.html", "《青溪区中小学课后服务管理办法》政策解读"),
        link(D_ONE_WAY[0], f"{B}/index.html", "返回首页"),
        link(D_OK_TARGET[0], I_NONE[0], "点击查看"),                       # to an interpretation item
        link(D_NAV_ONLY[0], ZCJD, "政策解读", block=NAV),                     # site navigation: does not count
        link(D_NAV_ONLY[0], f"{B}/zcjd/latest.html", "政策解读专区", block=NAV),
        link(D_PAGE2[0], ZCJD, "政策解读"),                                   # the column list itself
        link(I_BACK[0], D_ONE_WAY[0], "青溪区教育局关于进一步加强中小学生心理健康工作的实施意见"),
        link(I_SOURCE[0], OTHER_ARTICLE, "政策原文"),
        link(I_NONE[0], ZCWJ, "政策文件"),                                   # only the column: no
        link(I_NOT_ARTICLE[0], TZGG, "相关文件"),                             # 文件, but a list page
        link(f"{B}/tzgg/n1.html", f"{B}/index.html", "首页"),
    ]
    links = [l for l in links if (l["page_url"], l["url"]) not in drop_links] + list(extra_links)
    columns = [column("政策文件", ZCWJ, "政策文件"), column("政策解读", ZCJD, "基础信息"),
               column("通知公告", TZGG, "通知公告")]
    defaults = dict(columns=pd.DataFrame(columns), list_items=pd.DataFrame(items), pages=pd.DataFrame(pages),
                    links=pd.DataFrame(links), template_blocks=pd.DataFrame({"block": [NAV]}))
    return RunFacts(run_id=1, config=CONFIG, **{**defaults, **frames})


def run(facts, **overrides):
    return interpretation.check(facts, AS_OF, interpretation.META.settings(overrides))


def flagged(findings):
    return sorted(f.url for f in findings)


def test_documents_and_interpretations_without_the_other_way_link():
    found = run(build())
    assert flagged(found) == sorted([D_ONE_WAY[0], D_PAGE2[0], D_NAV_ONLY[0], I_NONE[0], I_NOT_ARTICLE[0]])
    by_url = {f.url: f for f in found}
    one_way = by_url[D_ONE_WAY[0]]
    assert one_way.detail == (f"政策文件「{D_ONE_WAY[1]}」页面未链接政策解读，政策文件与解读未双向关联"
                              f"（已有解读「{I_BACK[1]}」链接至该文件，但文件页面未链接解读）")
    assert one_way.data["interpreted_by"] == [I_BACK[0]] and one_way.column == "政策文件"
    assert by_url[D_NAV_ONLY[0]].detail.endswith("（未找到链接至该文件的解读）")
    back = by_url[I_NONE[0]]
    assert back.detail == f"政策解读「{I_NONE[1]}」页面未链接政策原文，政策文件与解读未双向关联"
    assert back.column == "政策解读" and back.data["kind"] == "interpretation"
    assert {f.category for f in found} == {"interpretation"} and {f.severity for f in found} == {"deduct"}
    assert all(f.data["points_each"] == 0.5 and f.data["points_note"] == "本地默认值，国家未明确分值" for f in found)


def test_adding_the_missing_links_clears_the_findings():
    extra = [link(D_ONE_WAY[0], I_BACK[0], "一图读懂"), link(D_PAGE2[0], f"{B}/x.html", "相关解读"),
             link(D_NAV_ONLY[0], I_SOURCE[0], "图文解读"), link(I_NONE[0], D_OK_TARGET[0], "细则"),
             link(I_NOT_ARTICLE[0], OTHER_ARTICLE, "原文链接")]
    assert run(build(extra)) == []


def test_notices_and_non_policy_titles_need_no_interpretation():
    urls = flagged(run(build()))
    assert D_NOTICE[0] not in urls and D_PRAISE[0] not in urls
    # The 通知公告 column is not a policy column even when a title looks like a policy.
    assert f"{B}/tzgg/n1.html" not in urls


def test_extra_title_keywords_make_more_titles_policies():
    found = run(build(), extra_title_keywords=["春节期间有关工作"])
    assert D_NOTICE[0] in flagged(found)


def test_unfetched_documents_are_not_judged():
    assert D_UNFETCHED[0] not in flagged(run(build()))


def test_items_of_later_pages_follow_the_pagination_links():
    facts = build(drop_links=[(ZCWJ, ZCWJ_2)])
    assert D_PAGE2[0] not in flagged(run(facts))          # page 2 unreachable: its items are not judged
    assert D_PAGE2[0] in flagged(run(build()))


def test_hidden_links_do_not_count():
    facts = build(extra_links=[link(D_ONE_WAY[0], I_BACK[0], "解读", hidden=True)])
    assert D_ONE_WAY[0] in flagged(run(facts))


def test_column_named_with_wenjian_and_class_policy_are_policy_columns():
    cols = pd.DataFrame([column("规范性文件", ZCWJ, "基础信息"), column("政策文件解读", ZCJD, "政策文件")])
    found = run(build(columns=cols))
    # 「政策文件解读」 is an interpretation column despite its class and its 文件.
    assert flagged(found) == sorted([D_ONE_WAY[0], D_PAGE2[0], D_NAV_ONLY[0], I_NONE[0], I_NOT_ARTICLE[0]])
    assert {f.column for f in found} == {"规范性文件", "政策文件解读"}


def test_no_columns_no_findings():
    assert run(RunFacts(run_id=1, config=CONFIG)) == []


def test_policy_title_filter():
    settings = interpretation.META.settings({})
    assert interpretation.looks_like_policy("关于印发《某某管理办法》的通知", settings)
    assert not interpretation.looks_like_policy("关于拟任职干部的公示", settings)
    assert not interpretation.looks_like_policy("关于召开全区教育工作会议的通知", settings)
    assert not interpretation.looks_like_policy("关于公开征求《某某管理办法（征求意见稿）》意见的公告", settings)
    assert not interpretation.looks_like_policy(None, settings)
