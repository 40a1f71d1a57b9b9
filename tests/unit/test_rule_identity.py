"""identity: footer fields and 党政机关 badge per site (one finding per item), domain, consistency."""
from datetime import date

import pandas as pd

from rules import identity
from rules.facts import RunFacts

AS_OF = date(2026, 11, 20)
GOV = "http://www.qx.gov.cn"
GOV_SITE = {"id": "gov", "name": "青溪区人民政府", "department": "zfb", "start_urls": [GOV + "/index.html"],
            "allowed_hosts": ["www.qx.gov.cn"], "scope": []}
COM_SITE = {"id": "com", "name": "青溪区民政局", "department": "mzj",
            "start_urls": ["http://mzj.qingxi.com.cn/index.html"], "allowed_hosts": [], "scope": []}
CONFIG = {"update_classes": {"基础信息": "每年"}, "sites": [GOV_SITE], "rules": {}}
TWO_SITES = {**CONFIG, "sites": [GOV_SITE, COM_SITE]}
CODE, ICP, POLICE = "3301020001", "浙ICP备12345678号-1", "浙公网安备33010202000123号"


def page(url, kind="article", status=200, site_code=CODE, icp=ICP, police=POLICE, badge=True):
    return {"url": url, "final_url": url, "status": status, "kind": kind, "title": "t", "site_code": site_code,
            "icp": icp, "police": police, "badge": badge}


def make(pages, sites, config=CONFIG, **settings):
    page_frame = pd.DataFrame(pages)
    site_frame = pd.DataFrame([(p["url"], sites.get(p["url"], "gov"), "scope") for p in pages],
                              columns=["page_url", "site_id", "how"])
    facts = RunFacts(run_id=1, config=config, pages=page_frame, page_sites=site_frame)
    return identity.check(facts, AS_OF, identity.META.settings(settings))


def gov_pages(n, **fields):
    return [page(f"{GOV}/art/{i}.html", **fields) for i in range(n)]


def by_item(findings):
    return {(f.site_id, f.data["item"]): f for f in findings}


def test_complete_footer_gives_nothing():
    pages = gov_pages(6)
    assert make(pages, {}) == []


def test_missing_police_number_on_some_pages_is_one_finding():
    pages = gov_pages(26) + [page(f"{GOV}/col/{i}.html", kind="list", police=None) for i in range(12)]
    found = make(pages, {})
    assert list(by_item(found)) == [("gov", "公安机关备案号")]
    f = found[0]
    assert f.detail == "网站共抽查38个页面，其中12个页面底部未展示公安机关备案号"
    assert f.data["checked"] == 38 and f.data["missing"] == 12 and len(f.data["examples"]) == 5
    assert all("/col/" in u for u in f.data["examples"]) and f.url == f.data["examples"][0]
    assert f.category == "identity" and f.severity == "deduct" and f.department_id == "zfb"
    assert f.data["points_each"] == 0.5 and "本地默认值" in f.data["points_note"]


def test_each_missing_field_is_its_own_finding_and_blank_counts_as_missing():
    pages = gov_pages(3) + [page(f"{GOV}/x.html", site_code="", icp=None)]
    found = by_item(make(pages, {}))
    assert set(found) == {("gov", "网站标识码"), ("gov", "ICP备案号")}
    assert found[("gov", "ICP备案号")].data["examples"] == [f"{GOV}/x.html"]


def test_only_html_pages_with_status_200_of_sampled_kinds_count():
    pages = gov_pages(2) + [page(f"{GOV}/dataproxy.jsp", kind="datastore", police=None),
                            page(f"{GOV}/gone.html", status=404, police=None),
                            page(f"{GOV}/err.html", kind="error", status=None, police=None)]
    assert make(pages, {}) == []


def test_pages_of_another_host_do_not_count_for_the_site():
    # A page attributed to the portal but served by another host carries that host's footer.
    pages = gov_pages(2) + [page("http://other.gov.cn/a.html", police=None)]
    assert make(pages, {}) == []


def test_badge_comes_from_pages_badge_and_unrecorded_is_unknown():
    with_badge = gov_pages(4)
    without = [page(f"{GOV}/n{i}.html", badge=False) for i in range(2)]
    unrecorded = [page(f"{GOV}/u.html", badge=None)]          # crawled before pages.badge existed
    found = make(with_badge + without + unrecorded, {})
    assert list(by_item(found)) == [("gov", "党政机关网站标识")]
    f = found[0]
    assert f.detail == "网站共抽查6个页面，其中2个页面底部未展示党政机关网站标识（另有1个页面未记录标识信息，无法判断）"
    assert (f.data["checked"], f.data["missing"], f.data["unknown"], f.data["field"]) == (6, 2, 1, "badge")
    assert f.data["examples"] == [f"{GOV}/n0.html", f"{GOV}/n1.html"]


def test_badge_on_every_page_or_unrecorded_everywhere_gives_nothing():
    assert make(gov_pages(3), {}) == []
    assert make(gov_pages(3, badge=None), {}) == []     # an old run: nothing known, nothing claimed


def test_domain_must_end_in_gov_cn():
    found = make([], {}, config=TWO_SITES)
    assert [(f.site_id, f.data["item"], f.evidence) for f in found] == [("com", "域名", "mzj.qingxi.com.cn")]
    assert found[0].detail == "网站域名「mzj.qingxi.com.cn」不符合要求（应以.gov.cn结尾）"
    assert found[0].url == "http://mzj.qingxi.com.cn/index.html"


def test_domain_suffixes_match_suffix_or_exact_host():
    assert identity.host_allowed("www.qx.gov.cn", [".gov.cn"])
    assert identity.host_allowed("www.qx.gov.cn", ["gov.cn"])
    assert not identity.host_allowed("fakegov.cn", ["gov.cn"])
    assert not identity.host_allowed("www.qx.gov.cn.evil.com", [".gov.cn"])
    assert identity.host_allowed("127.0.0.1", ["127.0.0.1"])
    assert not identity.host_allowed("127.0.0.2", ["127.0.0.1"])
    assert make([], {}, config=TWO_SITES, domain_suffixes=[".gov.cn", "qingxi.com.cn"]) == []
    assert len(make([], {}, config=TWO_SITES, domain_suffixes=["127.0.0.1"])) == 2


def test_two_site_codes_on_one_site_is_inconsistent():
    pages = gov_pages(5) + [page(f"{GOV}/old{i}.html", site_code="3301020099") for i in range(2)]
    found = by_item(make(pages, {}))
    assert set(found) == {("gov", "网站标识码不一致")}
    f = found[("gov", "网站标识码不一致")]
    assert f.data["codes"] == {CODE: 5, "3301020099": 2}
    assert f.detail == ("网站标识码不一致：网站共抽查7个页面，底部出现2个不同的网站标识码"
                        f"（{CODE}：5个页面；3301020099：2个页面）")
    assert f.url == f"{GOV}/old0.html"


def test_same_code_on_two_sites_is_not_inconsistent():
    # Decoy: two sites each consistent with their own code.
    other = [page(f"http://mzj.qingxi.com.cn/{i}.html", site_code="3301020012") for i in range(2)]
    pages = gov_pages(2) + other
    found = make(pages, {p["url"]: "com" for p in other}, config=TWO_SITES,
                 domain_suffixes=[".gov.cn", ".com.cn"])
    assert found == []
