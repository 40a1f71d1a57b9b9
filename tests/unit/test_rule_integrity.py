"""暗链与篡改 on hand-made facts: every true case sits next to a decoy that must stay silent."""
from datetime import date
from importlib import resources

import pandas as pd
import pytest

from rules import integrity
from rules.facts import RunFacts
from rules.registry import all_rules

AS_OF = date(2026, 11, 20)
CONFIG = {
    "update_classes": {"动态要闻": "两周"},
    "departments": [{"id": "jyj", "name": "青溪区教育局"}, {"id": "gaj", "name": "青溪区公安分局"},
                    {"id": "zf", "name": "青溪区人民政府"}],
    "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]},
              {"id": "gaj", "name": "青溪区公安分局", "department": "gaj", "scope": ["/gaj/"]},
              {"id": "portal", "name": "青溪区人民政府门户网站", "department": "zf", "scope": ["/"]}],
    "rules": {},
}
HOST = "http://www.qingxi.gov.cn"


def page(path, title="", text=""):
    return {"url": f"{HOST}{path}", "final_url": f"{HOST}{path}", "status": 200, "kind": "article",
            "title": title, "text": text}


def link(path, url, text="", hidden=False, context="a", internal=None):
    if internal is None:
        internal = url.startswith(HOST)
    return {"page_url": f"{HOST}{path}", "url": url, "text": text, "hidden": hidden, "context": context,
            "block": "", "internal": internal}


def facts(pages=(), links=(), sites=None):
    pages = list(pages)
    if sites is None:   # every page belongs to the section its path starts with
        sites = [(p["url"], p["url"][len(HOST):].split("/")[1]) for p in pages]
    return RunFacts(run_id=1, config=CONFIG,
                    pages=pd.DataFrame(pages, columns=["url", "final_url", "status", "kind", "title", "text"]),
                    links=pd.DataFrame(list(links), columns=["page_url", "url", "text", "hidden", "context",
                                                             "block", "internal"]),
                    page_sites=pd.DataFrame([(u, s, "scope") for u, s in sites],
                                            columns=["page_url", "site_id", "how"]))


def run(f, **overrides):
    return integrity.check(f, AS_OF, integrity.META.settings(overrides))


def summary(findings):
    return sorted((f.url[len(HOST):] if f.url else None, f.site_id, f.evidence, f.detail) for f in findings)


# ---------------------------------------------------------------- hidden links

def test_hidden_spam_link_vs_hidden_harmless_links():
    pages = [page("/jyj/a1.html", "工作动态", "正文"), page("/jyj/a2.html", "工作动态", "正文")]
    links = [
        link("/jyj/a1.html", "http://www.xpj888.com/", "澳门新葡京", hidden=True),
        # decoys on a2: hidden but harmless, and a commented-out internal link
        link("/jyj/a2.html", f"{HOST}/jyj/a2.html#top", "返回顶部", hidden=True),
        link("/jyj/a2.html", f"{HOST}/jyj/a2.html#main", "跳转到主要内容", hidden=True),
        link("/jyj/a2.html", f"{HOST}/jyj/old/index.html", "旧版栏目", context="comment", hidden=True),
        link("/jyj/a2.html", "https://www.gov.cn/", "中国政府网", context="script"),
    ]
    found = run(facts(pages, links))
    assert summary(found) == [
        ("/jyj/a1.html", "jyj", "澳门新葡京→www.xpj888.com",
         "页面存在隐藏链接「澳门新葡京」指向 www.xpj888.com，疑似被植入暗链")]
    finding = found[0]
    assert (finding.rule, finding.category, finding.severity, finding.department_id) == (
        "integrity", "integrity", "veto", "jyj")
    hit = finding.data["hits"][0]
    assert (hit["where"], hit["term"], hit["category"], hit["score"]) == ("hidden_link", "澳门新葡京", "博彩", 5)
    assert "域名含「xpj」" in hit["signals"] and hit["target"] == "http://www.xpj888.com/"


def test_comment_and_script_links_count_as_hidden():
    pages = [page("/jyj/c.html", "通知", "正文"), page("/jyj/s.html", "通知", "正文")]
    links = [link("/jyj/c.html", "http://www.bet365.com/zh-chs", "", context="comment", hidden=True),
             link("/jyj/s.html", "http://www.bjl-vip.cc/", "真人百家乐官网", context="script")]
    assert summary(run(facts(pages, links))) == [
        ("/jyj/c.html", "jyj", "www.bet365.com", "页面源代码注释中存在链接指向违规域名 www.bet365.com，疑似被植入暗链"),
        ("/jyj/s.html", "jyj", "真人百家乐→www.bjl-vip.cc",
         "页面存在由脚本写入的链接「真人百家乐官网」指向 www.bjl-vip.cc，疑似被植入暗链"),
    ]


def test_generic_word_needs_more_than_one_sign():
    pages = [page("/jyj/g.html", "办事指南", "正文"), page("/jyj/h.html", "办事指南", "正文")]
    links = [
        # hidden dropdown menus of ordinary government services: generic words, government targets
        link("/jyj/g.html", "https://etax.chinatax.gov.cn/daikai", "代开发票", hidden=True, internal=False),
        link("/jyj/g.html", "https://www.shdf.gov.cn/", "打击网络赌博专项行动", hidden=True, internal=False),
        # a hidden generic word pointing at a non-government host is two signs: counts
        link("/jyj/h.html", "http://www.dubo-88.com/", "网络赌博", hidden=True, internal=False),
    ]
    found = run(facts(pages, links))
    assert summary(found) == [("/jyj/h.html", "jyj", "赌博→www.dubo-88.com",
                               "页面存在隐藏链接「网络赌博」指向 www.dubo-88.com，疑似被植入暗链")]
    assert found[0].data["hits"][0]["score"] == 3


def test_host_terms_match_whole_pieces_only():
    pages = [page("/jyj/d.html", "通知", "正文")]
    links = [link("/jyj/d.html", "http://www.alphabet365.com/", "", context="comment", hidden=True),   # decoy
             link("/jyj/d.html", "http://xpj888.net/", "", context="comment", hidden=True)]
    found = run(facts(pages, links))
    assert summary(found) == [("/jyj/d.html", "jyj", "xpj888.net",
                               "页面源代码注释中存在链接指向 xpj888.net（域名含「xpj」），疑似被植入暗链")]


# ---------------------------------------------------------------- titles and text

ANTI_GAMBLING = (
    "近日，区公安分局开展打击网络赌博专项行动，依法查处一批涉赌案件。\n"
    "经查，犯罪嫌疑人通过“澳门新葡京”“bet365”等境外赌博网站组织他人参赌，涉案金额50余万元。\n"
    + "办案民警连续作战，摸清了团伙的组织结构和资金流向。" * 3 + "\n"
    "现场收缴六合彩资料200余份，百家乐赌具一批。\n"
    "警方提醒：广大群众要远离赌博，切勿参与网络赌博。"
)


def test_injected_title_vs_anti_gambling_article():
    pages = [
        page("/jyj/nb.html", "澳门新葡京-青溪区教育局2025年政府信息公开工作年度报告", "一、总体情况……"),
        page("/gaj/n1.html", "青溪区公安分局破获一起利用“澳门新葡京”网站组织网络赌博案", ANTI_GAMBLING),
        page("/gaj/n2.html", "警惕！这些“百家乐”“六合彩”都是赌博陷阱", "扫黄打非、反诈宣传进社区。"),
    ]
    found = run(facts(pages))
    assert summary(found) == [
        ("/jyj/nb.html", "jyj", "澳门新葡京", "页面标题含博彩类词语「澳门新葡京」，疑似被篡改")]
    hit = found[0].data["hits"][0]
    assert (hit["where"], hit["score"], hit["signals"]) == ("title", 4, ["标题与单位名称相连"])
    assert found[0].data["title"] == "澳门新葡京-青溪区教育局2025年政府信息公开工作年度报告"


def test_seo_string_injected_into_a_page_body_even_an_anti_gambling_one():
    injected = "bet365体育投注官网 www.b365x.cc 注册送38元 真人百家乐 QQ群 123456789"
    pages = [page("/jyj/n3.html", "关于做好2026年春节期间安全工作的通知", "各学校：\n" + injected),
             page("/gaj/n4.html", "青溪区开展打击网络赌博专项行动", ANTI_GAMBLING + "\n" + injected),
             page("/jyj/n5.html", "关于做好2026年春节期间安全工作的通知", "各学校：请做好寒假安全教育。")]
    found = run(facts(pages))
    assert summary(found) == [
        ("/gaj/n4.html", "gaj", "bet365、体育投注官网、真人百家乐", "页面正文含博彩类词语「bet365」，疑似被篡改（共3处）"),
        ("/jyj/n3.html", "jyj", "bet365、体育投注官网、真人百家乐", "页面正文含博彩类词语「bet365」，疑似被篡改（共3处）"),
    ]
    assert {h["term"] for h in found[1].data["hits"]} == {"bet365", "体育投注官网", "真人百家乐"}
    assert all(injected not in str(f.data) for f in found)   # no page text in the finding


def test_ordinary_government_text_with_generic_words_is_silent():
    pages = [page("/jyj/t1.html", "代开发票办理指南-青溪区教育局", "纳税人可通过电子税务局平台申请代开发票，咨询电话12366。"),
             page("/jyj/t2.html", "体育彩票公益金使用情况", "青溪区体育彩票投注站开展公益宣传。"),
             page("/jyj/t3.html", "文化市场监管", "加强对歌舞娱乐场所、游艺娱乐场所的监管，电子游艺设备须经审批。"),
             page("/jyj/t4.html", "赌博-青溪区教育局", "")]     # a generic word glued to the unit: one sign only
    assert run(facts(pages)) == []


def test_full_width_and_case_variants_are_normalised():
    pages = [page("/jyj/w.html", "通知", "ＢＥＴ３６５官网，注册即送"),
             page("/jyj/x.html", "通知", "alphabet365 是一家公司")]     # decoy: bet365 inside a longer word
    assert summary(run(facts(pages))) == [
        ("/jyj/w.html", "jyj", "bet365", "页面正文含博彩类词语「bet365」，疑似被篡改")]


# ---------------------------------------------------------------- spam domains

def test_link_to_listed_spam_domain_vs_government_link():
    pages = [page("/jyj/links.html", "友情链接", "中国政府网 青溪体育协会")]
    links = [link("/jyj/links.html", "https://www.gov.cn/", "中国政府网", internal=False),
             link("/jyj/links.html", "http://m.bet365.com/", "青溪体育协会", internal=False),
             link("/jyj/links.html", f"{HOST}/jyj/index.html", "首页")]
    found = run(facts(pages, links))
    assert summary(found) == [("/jyj/links.html", "jyj", "m.bet365.com",
                               "页面链接「青溪体育协会」指向违规域名 m.bet365.com，疑似链接违规内容")]
    hit = found[0].data["hits"][0]
    assert (hit["where"], hit["listed_domain"], hit["hidden"]) == ("link_domain", "bet365.com", False)


# ---------------------------------------------------------------- attribution and configuration

def test_one_finding_per_site_of_the_page_and_unattributed_pages():
    pages = [page("/jyj/shared.html", "澳门新葡京官网", ""), page("/orphan.html", "澳门新葡京官网", "")]
    sites = [(f"{HOST}/jyj/shared.html", "jyj"), (f"{HOST}/jyj/shared.html", "portal")]
    found = run(facts(pages, sites=sites))
    assert sorted((f.url[len(HOST):], f.site_id, f.department_id) for f in found) == [
        ("/jyj/shared.html", "jyj", "jyj"), ("/jyj/shared.html", "portal", "zf"), ("/orphan.html", None, None)]


def test_extra_terms_domains_and_lexicon_files(tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# 本地补充\n[博彩]\n鸿运国际娱乐\n", encoding="utf-8")
    domains = tmp_path / "domains.txt"
    domains.write_text("evil-example.net  # 上级通报点名\n", encoding="utf-8")
    pages = [page("/jyj/e1.html", "通知", "鸿运国际娱乐"), page("/jyj/e2.html", "通知", "幸运大转盘"),
             page("/jyj/e3.html", "链接", "")]
    links = [link("/jyj/e3.html", "https://old.evil-example.net/a", "青溪论坛", internal=False),
             link("/jyj/e3.html", "https://www.example.org/", "示例", internal=False)]
    assert run(facts(pages, links)) == []     # nothing shipped matches these
    found = run(facts(pages, links), lexicon_paths={"terms": str(terms), "domains": [str(domains)]},
                extra_terms={"色情": ["幸运大转盘"]})
    assert summary(found) == [
        ("/jyj/e1.html", "jyj", "鸿运国际娱乐", "页面正文含博彩类词语「鸿运国际娱乐」，疑似被篡改"),
        ("/jyj/e2.html", "jyj", "幸运大转盘", "页面正文含色情类词语「幸运大转盘」，疑似被篡改"),
        ("/jyj/e3.html", "jyj", "old.evil-example.net",
         "页面链接「青溪论坛」指向违规域名 old.evil-example.net，疑似链接违规内容"),
    ]
    found = run(facts(pages, links), extra_domains=["https://www.example.org/path"], extra_terms=["幸运大转盘"])
    assert summary(found) == [
        ("/jyj/e2.html", "jyj", "幸运大转盘", "页面正文含违规类词语「幸运大转盘」，疑似被篡改"),
        ("/jyj/e3.html", "jyj", "www.example.org", "页面链接「示例」指向违规域名 www.example.org，疑似链接违规内容"),
    ]


def test_missing_lexicon_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        run(facts([page("/jyj/a.html", "t", "x")]), lexicon_paths={"domains": str(tmp_path / "nope.txt")})
    with pytest.raises(ValueError, match="unknown lexicon"):
        run(facts([page("/jyj/a.html", "t", "x")]), lexicon_paths={"words": "x.txt"})


def test_shipped_lexicons_load_as_package_data():
    data = resources.files("rules.data")
    for name in ("spam_terms.txt", "spam_generic.txt", "spam_signals.txt", "condemnation_context.txt",
                 "spam_domains.txt"):
        assert data.joinpath(name).is_file(), name
    lex = integrity.Lexicon.from_settings(integrity.META.settings({}))
    assert lex.terms["澳门新葡京"] == (3, "博彩") and lex.terms["赌博"] == (1, "博彩")
    assert "bet365.com" in lex.domains and "打击" in lex.condemnation and "官网" in lex.signals
    assert not any(t.startswith("#") or t.startswith("[") for t in lex.terms)
    # ordinary government phrases never count as strong terms
    for phrase in ("娱乐场所", "代开发票", "办证", "黄色预警", "无码人员", "体育彩票投注站", "补办毕业证书"):
        assert not any(t in phrase for t, (w, _) in lex.terms.items() if w == 3), phrase


def test_registered_as_veto_rule():
    meta = next(m.META for m in all_rules() if m.META.id == "integrity")
    assert (meta.category, meta.severity, meta.source, meta.confidence) == (
        "integrity", "veto", "国办秘函〔2019〕19号", "C")
