"""Hostile-site guards of crawler/middlewares.py and crawler/extract/encoding.py, each beside a decoy."""
from email.utils import formatdate

import pytest
from scrapy import Request
from scrapy.http import Response

from crawler.extract.encoding import charset_mismatch, looks_binary
from crawler.middlewares import RedirectLoop, RedirectLoopGuard, retry_after_seconds, trap_reason
from govaudit.config import Politeness

LIMITS = Politeness(max_depth=5, max_url_length=200, max_path_repeats=3)


@pytest.mark.parametrize("url, depth, reason", [
    ("http://a.gov.cn/cal?month=2026-01", 6, "max_depth"),
    ("http://a.gov.cn/grow?s=" + "ab" * 100, 2, "max_url_length"),
    ("http://a.gov.cn/loop/a/a/a/a/", 2, "max_path_repeats"),
    ("http://a.gov.cn/x/b/a/b/a/b/a/b/", 2, "max_path_repeats"),
])
def test_traps_are_named(url, depth, reason):
    key, message = trap_reason(url, depth, LIMITS)
    assert key == reason and reason in message


@pytest.mark.parametrize("url", [
    "http://a.gov.cn/art/2026/3/5/art_123_456.html",                  # Hanweb dates repeat digits, not segments
    "http://a.gov.cn/xxgk/xxgk/xxgk/index.html",                       # three times is still a site's naming
    "http://a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&columnid=2105",
])
def test_ordinary_urls_are_not_traps(url):
    assert trap_reason(url, 5, LIMITS) is None


def test_retry_after_seconds_and_dates():
    assert retry_after_seconds(b"120") == 120
    assert 55 <= retry_after_seconds(formatdate(1_000_060, usegmt=True).encode(), now=1_000_000) <= 60
    assert retry_after_seconds(formatdate(999_000, usegmt=True).encode(), now=1_000_000) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def redirect(url: str, location: str, chain=()):
    request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
    return request, Response(url, status=302, headers={"Location": location}, request=request)


def test_redirect_loops_are_stopped():
    guard = RedirectLoopGuard(max_times=10)
    with pytest.raises(RedirectLoop, match="redirect loop"):
        guard.process_response(*redirect("http://a.gov.cn/x", "/x"))
    with pytest.raises(RedirectLoop):
        guard.process_response(*redirect("http://a.gov.cn/b", "/a", chain=["http://a.gov.cn/a"]))
    with pytest.raises(RedirectLoop, match="more than 10"):
        guard.process_response(*redirect("http://a.gov.cn/n11", "/n12", [f"http://a.gov.cn/n{i}" for i in range(1, 11)]))
    request, response = redirect("http://a.gov.cn/", "/index.html")          # decoy: an ordinary redirect
    assert guard.process_response(request, response) is response


def test_binary_bodies_and_charset_notes():
    assert looks_binary(bytes(range(256)))
    assert not looks_binary("<html>通知</html>".encode("utf-16"))          # a BOM explains the NULs
    assert not looks_binary("<html>通知</html>".encode("gbk"))
    assert "gb18030" in charset_mismatch("utf-8", "gb18030")
    assert charset_mismatch("GBK", "gb18030") is None and charset_mismatch(None, "gb18030") is None
