"""Link checks: does a link target answer? Facts for the dead_link / unverifiable_link rules.

The crawl already fetches every internal page and attachment it follows; their status (or
fetch error) is in ``pages`` / ``attachments``. What it never fetches is checked here, once per
run per distinct URL, and written to ``link_checks``:

* **external** targets of visible links (``context == "a"``, not hidden, list entries included),
  when ``politeness.check_external_links`` is on;
* **internal files the crawl does not download** by type (archives, images, media … — the
  ``SKIP_EXTS`` that are not downloadable attachments). Internal pages left out by the page
  cap, the depth or the off-scope hop limit are *not* checked: the crawl decided not to go there.

A check is not a crawl: nothing on the answer is read beyond the verdict, nothing is followed,
nothing is attributed to a section, robots.txt (a crawling convention) is not applied. It is
one request through the Scrapy engine, with its own callback/errback:

* **method**: ``GET`` for page-like URLs (``.html``, ``.jsp``, no extension …) because only the
  body can show a JavaScript cookie challenge; ``HEAD`` for files, falling back to ``GET`` when
  the HEAD is refused (403/405/501), fails for another reason than DNS or a refused connection,
  or answers 2xx with an HTML body (a file URL answering HTML may be a challenge page). A GET
  reads at most ``max_link_check_bytes`` of the body and stops at the headers for binary types
  (``bytes_received`` / ``headers_received`` signals and ``StopDownload``).
* **politeness**: every external host gets its own downloader slot ``linkcheck:<host:port>``
  with ``external_concurrency`` (1) and ``external_delay`` seconds between requests, kept by
  `LinkCheckMiddleware` also across redirects, untouched by AutoThrottle; internal checks share
  the crawl's slot of their host. No retries; HTTP redirects are followed (up to REDIRECT_MAX_TIMES), a
  ``<meta refresh>`` on a 2xx answer is not.
* **cache and cap**: a URL is checked once per run whatever the number of pages linking it;
  after ``max_link_checks`` distinct targets the rest are recorded as ``skipped``.

Verdicts (`classify`, `classify_failure`): ``ok`` (2xx, or a 3xx that is the end of the chain),
``dead`` (404, 410, 5xx; DNS failure, refused, timeout, reset), ``unverifiable`` (412; a
JavaScript cookie challenge such as WZWS / 瑞数 / 加速乐; a firewall block page; any other 4xx —
the server refused *this* request, which does not show that the target is gone; a redirect loop,
typically a cookie challenge we do not answer), ``skipped`` (cap reached). The crawl also writes
an ``unverifiable`` row for an internal page or attachment whose own answer was one of those.
"""
from __future__ import annotations

import re
import zlib
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.extract.attachments import ATTACHMENT_EXTS, attachment_ext
from crawler.items import LinkCheckItem
from crawler.scope import SKIP_EXTS, extension, netloc

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from govaudit.config import Politeness
    from crawler.scope import Scope

MIDDLEWARE = "crawler.linkcheck.LinkCheckMiddleware"
#: Attachments the crawl downloads itself (same set as the spider's DOWNLOADABLE).
DOWNLOADED_EXTS = frozenset({"xls", "xlsx", "doc", "docx", "pdf", "wps", "et"})
#: URL types checked with HEAD first (files); everything else is a page and checked with GET.
FILE_EXTS = SKIP_EXTS | ATTACHMENT_EXTS | frozenset({
    "ofd", "ceb", "caj", "ppt", "pptx", "csv", "odt", "ods", "tif", "tiff", "gz", "tar", "bz2", "wmv", "mov",
    "wav", "m4a", "dwg"})
#: A HEAD answered with one of these (or any 5xx) is retried as a GET: servers that refuse or
#: mishandle HEAD. A dead verdict is never taken from a HEAD 5xx alone.
HEAD_REFUSED = frozenset({400, 403, 405, 501})
SLOT_PREFIX = "linkcheck:"

# reasons stored in link_checks.error for verdicts that have a status (the rules read them)
REASON_CHALLENGE = "JavaScript cookie challenge"
REASON_WAF = "WAF block page"
REASON_WAF_STATUS = "HTTP 412: WAF challenge"
REASON_REFUSED = "request refused"
REASON_LOOP = "redirect loop"

#: Failures that mean the target does not answer (dead); anything else is unverifiable.
DEAD_FAILURES = frozenset({
    "CannotResolveHostError", "DNSLookupError", "NoRouteError",
    "DownloadConnectionRefusedError", "ConnectionRefusedError", "ConnectError", "TCPTimedOutError",
    "DownloadTimeoutError", "TimeoutError", "UserTimeout",
    "DownloadFailedError", "ResponseDataLossError", "ResponseFailed", "ResponseNeverReceived",
    "ConnectionLost", "ConnectionDone", "ConnectionAborted", "PotentialDataLoss",
    "SSLError", "Error",   # OpenSSL.SSL.Error: the TLS handshake failed
})
#: Failures after which a HEAD is not worth a GET: the host itself cannot be reached.
HOST_FAILURES = frozenset({"CannotResolveHostError", "DNSLookupError", "NoRouteError",
                           "DownloadConnectionRefusedError", "ConnectionRefusedError"})

# --- recognising firewalls and JavaScript cookie challenges (domain.md §2) -------------------
#: Vendor markers of challenge pages: WZWS (wzwschallenge …), 瑞数 ($_ts …), 加速乐
#: (__jsl_clearance), 阿里云 (acw_sc__v2), Cloudflare, 云锁 (security_session_verify).
_VENDOR = re.compile(
    rb"(wzwschallenge|wzwsquestion|wzwstemplate|wzwsmethod|wzwsfactor|\$_ts\s*=\s*window|\$_ts\.(?:cd|nsd)\b"
    rb"|__jsl_clearance|jsl_clearance_s|acw_sc__v[23]|cf_chl_|cf-browser-verification|challenge-platform"
    rb"|security_session_verify|yunsuo_session_verify)")
# The three challenge patterns are ASCII and searched in a lower-cased head: one bytes.lower()
# instead of case-insensitive scans, which cost ~8% of a crawl's CPU (bench/README.md).
_SETS_COOKIE = re.compile(rb"document\s*\.\s*cookie\s*=")
_RELOADS = re.compile(
    rb"location\s*\.\s*(?:reload|replace|assign)\s*\(|location(?:\s*\.\s*href)?\s*=|http-equiv\s*=\s*[\"']?refresh")
_WAF_TEXT = re.compile(
    r"防火墙|安全狗|safedog|云锁|yunsuo|创宇盾|加速乐|网站卫士|D盾|安全威胁|被拦截|已拦截|已被阻断|拦截页面|"
    r"web application firewall|\bwaf\b", re.I)
#: What a block page served with 200 must say (a firewall's name alone may be a page's topic).
_BLOCKED_TEXT = re.compile(r"安全威胁|被拦截|已拦截|已被阻断|拦截页面|访问受限|非法请求|request blocked|access denied",
                           re.I)
_SCRIPT = re.compile(rb"<(script|style)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)
_TAG = re.compile(rb"<[^>]*>")
_SPACE = re.compile(rb"\s+|&nbsp;|&#160;")
#: A challenge or block page shows (almost) no text of its own.
TINY_TEXT = 300
#: Only this much of a fetched page is inspected.
INSPECT_BYTES = 262_144
#: A 2xx answer is inspected for a challenge or a block page only up to this size: those pages
#: are small, and a government page of real content is not judged by its scripts.
SMALL_PAGE = 65_536


def _visible(body: bytes) -> bytes:
    body = _COMMENT.sub(b" ", _SCRIPT.sub(b" ", body[:INSPECT_BYTES]))
    return _SPACE.sub(b"", _TAG.sub(b" ", body))


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")


def challenge_marker(body: bytes | None) -> str | None:
    """Why `body` looks like a JavaScript cookie challenge (a vendor marker, or a page that
    sets document.cookie and reloads with no text of its own), else None."""
    if not body:
        return None
    head = body[:INSPECT_BYTES]
    lowered = head.lower()
    vendor = _VENDOR.search(lowered)
    cookie = _SETS_COOKIE.search(lowered)
    if not vendor and not (cookie and _RELOADS.search(lowered)):
        return None
    if len(_visible(head)) >= TINY_TEXT * 3:   # bytes; a CJK character is 3 in UTF-8
        return None     # a real page (瑞数 also injects its script into the pages it protects)
    return vendor.group(1).decode("latin-1") if vendor else "document.cookie"


def waf_marker(body: bytes | None, *, tiny_only: bool = False) -> str | None:
    """The firewall word of a block page ("防火墙", "安全狗" …), else None."""
    if not body:
        return None
    visible = _visible(body)
    if tiny_only and len(visible) >= TINY_TEXT * 3:
        return None
    text = _text(visible)                         # text and title, never URLs in the markup
    if tiny_only and not _BLOCKED_TEXT.search(text):
        return None
    found = _WAF_TEXT.search(text) or _BLOCKED_TEXT.search(text)
    return found.group(0).lower() if found else None


def classify(status: int, body: bytes | None = None) -> tuple[str, str | None]:
    """(verdict, reason) of an HTTP answer that ended the redirect chain."""
    if status == 412:
        return "unverifiable", REASON_WAF_STATUS
    if status in (404, 410):
        return "dead", None
    if status < 400 and body is not None and len(body) > SMALL_PAGE:
        return "ok", None
    marker = challenge_marker(body)
    if marker:
        return "unverifiable", f"{REASON_CHALLENGE} ({marker})"
    if status >= 500:
        waf = waf_marker(body)
        return ("unverifiable", f"{REASON_WAF} ({waf})") if waf else ("dead", None)
    if status >= 400:
        waf = waf_marker(body)
        return "unverifiable", f"{REASON_WAF} ({waf})" if waf else f"HTTP {status}: {REASON_REFUSED}"
    if status < 300 and body:
        waf = waf_marker(body, tiny_only=True)
        if waf:
            return "unverifiable", f"{REASON_WAF} ({waf})"
    return "ok", None


def failure_name(failure) -> str:
    return failure.type.__name__ if failure.type else "Error"


def failure_message(failure) -> str:
    return f"{failure_name(failure)}: {failure.getErrorMessage()}"[:500]


def classify_failure(failure) -> str:
    """Verdict of a check that got no answer."""
    if failure.check(IgnoreRequest):
        return "unverifiable" if "redirection" in failure.getErrorMessage() else "skipped"
    return "dead" if failure_name(failure) in DEAD_FAILURES else "unverifiable"


def slot_key(url: str) -> str:
    """The downloader slot of a check of an external target: one per host (and port)."""
    return SLOT_PREFIX + netloc(url)


def is_html(content_type: str | None) -> bool:
    content_type = (content_type or "").lower()
    return not content_type or "html" in content_type


def check_method(url: str, text: str = "") -> str:
    return "HEAD" if extension(url) in FILE_EXTS or attachment_ext(url, text) else "GET"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _latency_ms(meta: dict) -> int | None:
    latency = meta.get("download_latency")
    return round(latency * 1000) if latency is not None else None


class LinkChecker:
    """Per-crawl state of the link checks: which targets were scheduled (the cache) and how many."""

    def __init__(self, scope: Scope, polite: Politeness, callback, errback):
        self.scope, self.polite = scope, polite
        self.callback, self.errback = callback, errback
        self.checked: dict[str, str] = {}     # url -> "scheduled" | "skipped"
        self.count = 0
        # every page repeats the site's menu and footer links: decide each (url, text) once
        self.wanted = lru_cache(maxsize=65_536)(self.wanted)

    # --- what to check -------------------------------------------------------------------
    def wanted(self, url: str, text: str = "") -> bool:
        """A target this run should check (before the cache and the cap)."""
        if urlsplit(url).scheme not in ("http", "https"):
            return False                     # mailto:, javascript:, tel: …
        if not self.scope.is_internal(url):
            return self.polite.check_external_links
        # internal: only files the crawl never downloads by type
        return extension(url) in SKIP_EXTS and attachment_ext(url, text) not in DOWNLOADED_EXTS

    def requests_for(self, targets: Iterable[tuple[str, str]]) -> Iterator[scrapy.Request | LinkCheckItem]:
        """Check requests (or `skipped` rows past the cap) for the (url, anchor text) targets of a page."""
        if self.polite.max_link_checks <= 0:
            return
        for url, text in targets:
            if url in self.checked or not self.wanted(url, text):
                continue
            if self.count >= self.polite.max_link_checks:
                self.checked[url] = "skipped"
                yield LinkCheckItem(url=url, final_url=None, status=None, verdict="skipped", checked_at=_now(),
                                    error=f"max_link_checks ({self.polite.max_link_checks}) reached")
                continue
            self.checked[url] = "scheduled"
            self.count += 1
            yield self.request(url, check_method(url, text))

    def request(self, url: str, method: str, *, after: str | None = None) -> scrapy.Request:
        internal = self.scope.is_internal(url)
        meta: dict[str, Any] = {
            "link_check": {"url": url, "internal": internal, "after": after},
            "dont_retry": True,                  # one request per target, never hammer
            "dont_obey_robotstxt": True,         # a check is not crawling
            "depth_reset": True,                 # DEPTH_LIMIT bounds the crawl, not its checks
            "download_timeout": self.polite.timeout,
            "download_maxsize": 0,               # the body cap is LinkCheckMiddleware's StopDownload
            # every status reaches the callback; 3xx stay with RedirectMiddleware (a meta
            # handle_httpstatus_all would switch redirects off)
            "handle_httpstatus_list": list(range(400, 600)),
        }
        if not internal:
            meta["download_slot"] = slot_key(url)
            meta["autothrottle_dont_adjust_delay"] = True
        return scrapy.Request(url, method=method, callback=self.callback, errback=self.errback, meta=meta,
                              headers={"Accept-Encoding": "identity"}, dont_filter=True)

    # --- answers -------------------------------------------------------------------------
    def answered(self, response) -> Iterator[scrapy.Request | LinkCheckItem]:
        request = response.request
        info = request.meta["link_check"]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if request.method == "HEAD" and (response.status in HEAD_REFUSED or response.status >= 500
                                         or (200 <= response.status < 300 and is_html(content_type))):
            yield self.request(info["url"], "GET", after=f"HEAD {response.status}")
            return
        verdict, reason = classify(response.status, response.body if request.method != "HEAD" else None)
        yield LinkCheckItem(url=info["url"], final_url=response.url, status=response.status, verdict=verdict,
                            error=reason, response_ms=_latency_ms(response.meta), checked_at=_now())

    def failed(self, failure) -> Iterator[scrapy.Request | LinkCheckItem]:
        request = failure.request
        info = request.meta["link_check"]
        name = failure_name(failure)
        if request.method == "HEAD" and name not in HOST_FAILURES and not failure.check(IgnoreRequest):
            yield self.request(info["url"], "GET", after=f"HEAD {name}")
            return
        verdict = classify_failure(failure)
        error = REASON_LOOP if verdict == "unverifiable" and failure.check(IgnoreRequest) else failure_message(failure)
        yield LinkCheckItem(url=info["url"], final_url=request.url, status=None, verdict=verdict, error=error,
                            checked_at=_now())


def page_answer(url: str, response) -> LinkCheckItem | None:
    """An `unverifiable` row for a page or attachment the crawl fetched itself whose answer was a
    firewall block or a JavaScript challenge (its status alone would read as dead or fine)."""
    verdict, reason = classify(response.status, response.body)
    if verdict != "unverifiable":
        return None
    return LinkCheckItem(url=url, final_url=response.url, status=response.status, verdict=verdict, error=reason,
                         response_ms=_latency_ms(response.meta), checked_at=_now())


def install(settings) -> None:
    """Register `LinkCheckMiddleware` in crawler settings that are still mutable (the spider's
    from_crawler), keeping every other downloader middleware and the setting's priority."""
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    if MIDDLEWARE in middlewares:
        return
    middlewares[MIDDLEWARE] = 950     # process_response runs before HttpCompression (590)
    priority = max(settings.getpriority("DOWNLOADER_MIDDLEWARES") or 0, SETTINGS_PRIORITIES["spider"])
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=priority)


class LinkCheckMiddleware:
    """Downloader middleware for link checks: the per-host slot (also for redirect hops) and the
    body cap. Requests that are not link checks pass untouched."""

    def __init__(self, crawler):
        self.crawler = crawler
        polite = getattr(crawler.spider, "limits", None)
        self.concurrency = getattr(polite, "external_concurrency", 1)
        self.delay = getattr(polite, "external_delay", 2.0)
        self.max_bytes = getattr(polite, "max_link_check_bytes", 65_536)
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _slot_for(self, request) -> None:
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is not None and scope.is_internal(request.url):
            # the crawl's own slot for that host (Scrapy's default key: the host name)
            request.meta["download_slot"] = urlsplit(request.url).hostname or ""
            return
        key = slot_key(request.url)
        request.meta["download_slot"] = key
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        settings = {"concurrency": self.concurrency, "delay": self.delay, "jitter": 0.0}
        # what DOWNLOAD_SLOTS would say, for a slot only known now (the host of a link)
        getattr(downloader, "per_slot_settings", {}).setdefault(key, settings)
        slot = downloader.slots.get(key)
        if slot is not None and (slot.concurrency, slot.delay) != (self.concurrency, self.delay):
            slot.concurrency, slot.delay = self.concurrency, self.delay

    def process_request(self, request, spider=None):
        if "link_check" in request.meta:
            self._slot_for(request)
            request.meta["link_check_bytes"] = 0     # a redirect hop copies the meta
        return None

    def process_response(self, request, response, spider=None):
        """Runs before RedirectMiddleware and HttpCompression (it sits nearer the downloader).

        A 2xx answer is the check's answer: a <meta refresh> on it is not followed (a page that
        refreshes itself would loop). A body cut short by the cap cannot be decompressed:
        inflate what arrived, or drop it."""
        if "link_check" not in request.meta:
            return response
        if 200 <= response.status < 300:
            request.meta["dont_redirect"] = True
        if "download_stopped" not in response.flags:
            return response
        encoding = response.headers.get(b"Content-Encoding", b"").lower()
        if not encoding:
            return response
        body = b""
        if encoding in (b"gzip", b"x-gzip", b"deflate"):
            try:
                body = zlib.decompressobj(47).decompress(response.body)
            except zlib.error:
                body = b""
        headers = response.headers.copy()
        del headers[b"Content-Encoding"]
        return response.replace(body=body, headers=headers)

    # --- body cap (signals of the HTTP download handler) ---------------------------------
    def headers_received(self, headers, body_length, request, spider=None, **kwargs):
        if "link_check" not in request.meta:
            return
        if request.method == "HEAD":
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        textual = not content_type or "html" in content_type or content_type.startswith("text/")
        if not textual:
            raise StopDownload(fail=False)   # a file: its headers are the answer

    def bytes_received(self, data, request, spider=None, **kwargs):
        if "link_check" not in request.meta:
            return
        received = request.meta.get("link_check_bytes", 0) + len(data)
        request.meta["link_check_bytes"] = received
        if received >= self.max_bytes:
            raise StopDownload(fail=False)
