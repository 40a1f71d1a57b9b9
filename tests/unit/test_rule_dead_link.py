"""dead_link / unverifiable_link on hand-built facts, and the crawler's answer classifier."""
from datetime import date, datetime, timezone

import pandas as pd

from crawler.linkcheck import challenge_marker, check_method, classify
from rules import dead_link, unverifiable_link
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)
P = "http://www.qx.gov.cn"
E = "http://www.other.gov.cn"
CONFIG = {"update_classes": {}, "rules": {},
          "sites": [{"id": "portal", "name": "门户网站", "department": "zfb"},
                    {"id": "jyj", "name": "教育局", "department": "jyj"}]}
T0 = datetime(2026, 11, 19, tzinfo=timezone.utc)


def page(url, status=200, error=None, kind="article"):
    return {"url": url, "final_url": url, "status": status, "kind": kind, "error": error}


def link(page_url, url, text="", hidden=False, context="a", internal=None):
    return {"page_url": page_url, "url": url, "text": text, "hidden": hidden, "context": context, "block": "",
            "internal": url.startswith(P) if internal is None else internal}


def check(url, status, verdict, error=None, final_url=None):
    return {"url": url, "final_url": final_url or url, "status": status, "verdict": verdict, "error": error,
            "response_ms": 5, "checked_at": T0}


def site(page_url, site_id="portal", how="link"):
    return {"page_url": page_url, "site_id": site_id, "how": how}


def facts(pages=(), links=(), checks=(), sites=(), attachments=(), items=()):
    frames = {"pages": pd.DataFrame(list(pages), columns=["url", "final_url", "status", "kind", "error"]),
              "links": pd.DataFrame(list(links)),
              "link_checks": pd.DataFrame(list(checks)),
              "page_sites": pd.DataFrame(list(sites), columns=["page_url", "site_id", "how"])}
    if attachments:
        frames["attachments"] = pd.DataFrame(list(attachments))
    if items:
        frames["list_items"] = pd.DataFrame(list(items))
    return RunFacts(run_id=1, config=CONFIG, **frames)


def dead(f):
    return dead_link.check(f, AS_OF, dead_link.META.settings({}))


def unverifiable(f):
    return unverifiable_link.check(f, AS_OF, unverifiable_link.META.settings({}))


def test_meta():
    assert (dead_link.META.category, dead_link.META.severity, dead_link.META.indicator) == (
        "dead_link", "deduct", "链接可用性")
    assert (dead_link.META.source, dead_link.META.confidence) == ("国办秘函〔2019〕19号", "C")
    assert "本地默认值" in dead_link.META.threshold["note"]          # points: U, labelled
    assert (unverifiable_link.META.category, unverifiable_link.META.severity) == ("unverifiable_link", "advisory")


def test_internal_404_is_dead_and_the_200_decoy_is_not():
    f = facts(pages=[page(P + "/a.html"), page(P + "/gone.html", 404, kind="error"), page(P + "/ok.html")],
              links=[link(P + "/a.html", P + "/gone.html", "机构设置"), link(P + "/a.html", P + "/ok.html", "首页")],
              sites=[site(P + "/a.html")])
    found = dead(f)
    assert [(x.url, x.evidence, x.site_id, x.department_id) for x in found] == [
        (P + "/gone.html", "HTTP 404", "portal", "zfb")]
    assert found[0].detail == f"链接「机构设置」无法访问（HTTP 404），共1个页面引用，如：{P}/a.html"
    assert found[0].data["internal"] is True and found[0].data["source"] == "page"
    assert unverifiable(f) == []


def test_footer_link_broken_on_fifty_pages_is_one_finding():
    pages = [P + f"/art{i:02d}.html" for i in range(50)]
    f = facts(pages=[page(u) for u in pages],
              links=[link(u, E + "/old.html", "省政府网站") for u in pages]
              + [link(u, E + "/fine.html", "国务院") for u in pages],
              checks=[check(E + "/old.html", 404, "dead"), check(E + "/fine.html", 200, "ok")],
              sites=[site(u) for u in pages])
    found = dead(f)
    assert len(found) == 1
    finding = found[0]
    assert (finding.url, finding.evidence) == (E + "/old.html", "HTTP 404")
    examples = "、".join(pages[:5])
    assert finding.detail == f"链接「省政府网站」无法访问（HTTP 404），共50个页面引用，如：{examples}等"
    assert finding.data["count"] == 50 and finding.data["linked_from"] == pages
    assert finding.data["examples"] == pages[:5] and finding.data["internal"] is False
    assert finding.data["points"] == 0.1 and finding.data["sites"] == ["portal"]


def test_412_is_unverifiable_not_dead():
    f = facts(pages=[page(P + "/a.html"), page(P + "/waf.html", 412, kind="error")],
              links=[link(P + "/a.html", E + "/x.html", "政务服务网"), link(P + "/a.html", P + "/waf.html", "信箱")],
              checks=[check(E + "/x.html", 412, "unverifiable", "HTTP 412: WAF challenge")],
              sites=[site(P + "/a.html")])
    assert dead(f) == []
    found = unverifiable(f)
    assert sorted((x.url, x.evidence, x.severity) for x in found) == [
        (E + "/x.html", "HTTP 412（防火墙拦截）", "advisory"), (P + "/waf.html", "HTTP 412（防火墙拦截）", "advisory")]
    assert all("无法自动核验" in x.detail for x in found)


def test_javascript_challenge_is_unverifiable():
    f = facts(pages=[page(P + "/a.html")], links=[link(P + "/a.html", E + "/c.html", "信用中国")],
              checks=[check(E + "/c.html", 200, "unverifiable", "JavaScript cookie challenge (wzwschallenge)")],
              sites=[site(P + "/a.html")])
    assert dead(f) == []
    [found] = unverifiable(f)
    assert found.evidence.startswith("HTTP 200，JavaScript") and found.data["status"] == 200


def test_timeouts_refusals_and_fetch_errors_are_dead():
    f = facts(pages=[page(P + "/a.html"), page(P + "/slow.html", None, "DownloadTimeoutError: took longer", "error"),
                     page(P + "/big.html", None, "DownloadCancelledError: larger than download max size", "error")],
              links=[link(P + "/a.html", u, t) for u, t in [
                  (E + "/slow.html", "统计局"), (E + "/down.html", "旧网站"), (E + "/nx.html", "外网"),
                  (P + "/slow.html", "慢页面"), (P + "/big.html", "大页面")]],
              checks=[check(E + "/slow.html", None, "dead", "DownloadTimeoutError: Getting … took longer than 2.0 seconds."),
                      check(E + "/down.html", None, "dead", "DownloadConnectionRefusedError: Connection was refused"),
                      check(E + "/nx.html", None, "dead", "CannotResolveHostError: no such host")],
              sites=[site(P + "/a.html")])
    found = {x.url: x.evidence for x in dead(f)}
    assert found == {E + "/slow.html": "连接超时", E + "/down.html": "连接被拒绝", E + "/nx.html": "域名无法解析",
                     P + "/slow.html": "连接超时"}           # our own size cap is not the site's fault


def test_a_target_linked_from_two_sites_is_one_finding_per_site():
    f = facts(pages=[page(P + "/index.html"), page(P + "/jyj/a.html"), page(P + "/jyj/b.html")],
              attachments=[{"url": P + "/files/x.xlsx", "status": 404, "ext": "xlsx", "bytes": 10, "text": None,
                            "error": None}],
              links=[link(P + "/index.html", P + "/files/x.xlsx", "名单.xlsx"),
                     link(P + "/jyj/a.html", P + "/files/x.xlsx", "附件"),
                     link(P + "/jyj/b.html", P + "/files/x.xlsx", "附件")],
              sites=[site(P + "/index.html", "portal", "start"), site(P + "/jyj/a.html", "jyj"),
                     site(P + "/jyj/b.html", "jyj")])
    found = sorted(dead(f), key=lambda x: x.site_id)
    assert [(x.site_id, x.department_id, x.data["count"]) for x in found] == [("jyj", "jyj", 2), ("portal", "zfb", 1)]
    assert found[0].data["linked_from"] == [P + "/jyj/a.html", P + "/jyj/b.html"] and "「附件」" in found[0].detail
    assert found[1].data["sites"] == ["jyj", "portal"] and found[1].data["source"] == "attachment"
    assert found[1].data["linked_from_homepage"] is True and found[1].data["points"] == 1.0


def test_hidden_only_ok_and_skipped_targets_yield_nothing():
    f = facts(pages=[page(P + "/a.html")],
              links=[link(P + "/a.html", E + "/spam.html", "澳门", hidden=True),
                     link(P + "/a.html", E + "/c.html", "", context="comment"),
                     link(P + "/a.html", E + "/ok.html", "好"), link(P + "/a.html", E + "/later.html", "后")],
              checks=[check(E + "/spam.html", 404, "dead"), check(E + "/c.html", 404, "dead"),
                      check(E + "/ok.html", 200, "ok"), check(E + "/later.html", None, "skipped", "max_link_checks")],
              sites=[site(P + "/a.html")])
    assert dead(f) == [] and unverifiable(f) == []


def test_list_entries_refer_and_unclaimed_pages_still_report():
    f = facts(pages=[page(P + "/col/list.html", kind="list"), page(P + "/art/1.html", 404, kind="error")],
              links=[], items=[{"page_url": P + "/col/list.html", "position": 0, "title": "关于开展工作的通知",
                                "url": P + "/art/1.html", "date": None, "date_source": None}])
    [found] = dead(f)
    assert (found.site_id, found.department_id) == (None, None)
    assert found.detail.startswith("链接「关于开展工作的通知」无法访问（HTTP 404），共1个页面引用")


def test_a_check_answer_overrides_the_page_status():
    # an internal page answered 503, but the answer was a firewall's JavaScript challenge
    f = facts(pages=[page(P + "/a.html"), page(P + "/b.html", 503, kind="error")],
              links=[link(P + "/a.html", P + "/b.html", "办事")],
              checks=[check(P + "/b.html", 503, "unverifiable", "JavaScript cookie challenge (document.cookie)")],
              sites=[site(P + "/a.html")])
    assert dead(f) == [] and [x.url for x in unverifiable(f)] == [P + "/b.html"]


# --- the crawler's classifier (crawler.linkcheck) -------------------------------------------
WZWS = (b"<html><body><script>var wzwschallenge='X';var wzwschallengex='Y';"
        b"document.cookie='wzwschallenge='+Y+'; path=/';window.location.reload();</script></body></html>")
GENERIC = (b"<html><head><script>document.cookie='acw=1; path=/';"
           b"location.href=location.pathname+location.search;</script></head><body></body></html>")
ARTICLE = ("<html><body><p>" + "青溪区人民政府关于做好冬季防火工作的通知。" * 40 + "</p>"
           "<script>document.cookie='visited=1';location.href='#top';</script></body></html>").encode()


def test_classify_answers():
    assert classify(404, b"") == ("dead", None) and classify(410) == ("dead", None)
    assert classify(500, b"<html>Internal Server Error</html>") == ("dead", None)
    assert classify(200, b"<html><body>" + "正文".encode() * 500 + b"</body></html>") == ("ok", None)
    assert classify(301) == ("ok", None)
    assert classify(412, b"") == ("unverifiable", "HTTP 412: WAF challenge")
    assert classify(200, WZWS)[0] == "unverifiable" and challenge_marker(WZWS) == "wzwschallenge"
    assert classify(200, GENERIC) == ("unverifiable", "JavaScript cookie challenge (document.cookie)")
    assert classify(200, ARTICLE) == ("ok", None)        # a real page that happens to set a cookie
    assert classify(403, "<html><title>网站防火墙</title>您的访问被拦截</html>".encode())[1].startswith("WAF block page")
    assert classify(403, b"<html>Forbidden</html>") == ("unverifiable", "HTTP 403: request refused")


def test_check_method():
    assert check_method("http://x.gov.cn/a/b.html") == "GET" and check_method("http://x.gov.cn/") == "GET"
    assert check_method("http://x.gov.cn/f/a.pdf") == "HEAD" and check_method("http://x.gov.cn/f/a.zip") == "HEAD"
    assert check_method("http://x.gov.cn/down.jsp?file=a.xlsx") == "HEAD"


def _checker(**politeness):
    from crawler.linkcheck import LinkChecker
    from crawler.scope import Scope
    from govaudit.config import parse_config

    config = parse_config({"departments": [{"id": "zfb", "name": "区政府办公室"}],
                           "sites": [{"id": "portal", "name": "门户", "department": "zfb", "start_urls": [P + "/"]}],
                           "politeness": politeness})
    return LinkChecker(Scope.from_config(config), config.politeness, callback=print, errback=print)


def test_what_the_crawler_checks():
    checker = _checker(check_external_links=True)
    assert checker.wanted(E + "/a.html") and checker.wanted(P + "/files/a.zip") and checker.wanted(P + "/img/b.jpg")
    assert not checker.wanted(P + "/col/a.html")          # an internal page: the crawl fetches it, or chose not to
    assert not checker.wanted(P + "/files/a.xlsx")        # a downloaded attachment has its own row
    for url in ("mailto:a@qx.gov.cn", "javascript:void(0)", "tel:12345"):
        assert not checker.wanted(url)
    assert not _checker().wanted(E + "/a.html")            # external checks are opt-in


def test_each_target_is_checked_once_and_the_cap_is_kept():
    from crawler.items import LinkCheckItem

    checker = _checker(check_external_links=True, max_link_checks=2)
    first = list(checker.requests_for([(E + "/a.html", "甲"), (E + "/a.html", "甲"), (E + "/f.pdf", "乙")]))
    assert [(r.url, r.method) for r in first] == [(E + "/a.html", "GET"), (E + "/f.pdf", "HEAD")]
    meta = first[0].meta
    assert meta["download_slot"] == "linkcheck:www.other.gov.cn" and meta["dont_retry"] and meta["depth_reset"]
    assert meta["dont_obey_robotstxt"] and first[0].dont_filter
    later = list(checker.requests_for([(E + "/a.html", ""), (E + "/b.html", ""), (E + "/b.html", "")]))
    assert len(later) == 1 and isinstance(later[0], LinkCheckItem) and later[0].verdict == "skipped"
    assert list(_checker(check_external_links=True, max_link_checks=0).requests_for([(E + "/a.html", "")])) == []
