from crawler.scope import Scope, normalize_url
from govaudit.config import parse_config


def config(*sites):
    return parse_config({"departments": [{"id": "d", "name": "部门"}],
                         "sites": [{"name": s["id"], "department": "d", **s} for s in sites]})


def test_portal_root_is_home_and_scopes_own_their_prefixes():
    scope = Scope.from_config(config(
        {"id": "portal", "start_urls": ["http://www.a.gov.cn/"]},
        {"id": "jyj", "start_urls": ["http://www.a.gov.cn/jyj/index.html"], "scope": ["/jyj/"]},
        {"id": "jyj_xxgk", "start_urls": ["http://www.a.gov.cn/jyj/xxgk/index.html"], "scope": ["/jyj/xxgk/"]}))
    assert scope.home_of("http://www.a.gov.cn/col/col1/index.html") == "portal"
    assert scope.owner("http://www.a.gov.cn/jyj/tzgg/index.html") == "jyj"
    assert scope.owner("http://www.a.gov.cn/jyj/xxgk/zn.html") == "jyj_xxgk"      # longest prefix wins
    assert scope.owner("http://www.a.gov.cn/col/col1/index.html") is None          # by provenance only
    assert scope.reference_roots() == []


def test_department_section_alone_on_a_portal_host_is_not_its_home():
    # only a department's Hanweb section is configured: the portal's shared navigation must not
    # make the whole portal that department's, so the host root is fetched as a template reference
    scope = Scope.from_config(config({"id": "wjw", "start_urls": ["http://www.a.gov.cn/col/col1229583/index.html"]}))
    assert scope.home_of("http://www.a.gov.cn/col/col9/index.html") is None
    assert scope.reference_roots() == ["http://www.a.gov.cn/"]


def test_department_site_on_its_own_host_is_home_there():
    scope = Scope.from_config(config({"id": "fgj", "start_urls": ["http://fgj.a.gov.cn:8080/index.html"]}))
    assert scope.home_of("http://fgj.a.gov.cn:8080/zcwj/") == "fgj"
    assert scope.is_internal("http://FGJ.a.gov.cn:8080/x") and not scope.is_internal("http://www.gov.cn/")


def test_normalize_url_matches_what_scrapy_requests():
    assert normalize_url("HTTP://Www.A.gov.cn:80/政策/index.html#top") == \
        "http://www.a.gov.cn/%E6%94%BF%E7%AD%96/index.html"
