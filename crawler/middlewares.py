"""Middlewares that keep a hostile site from trapping or hammering the crawl.

* `TrapGuard` (spider middleware): drops followed links that look like spider traps — beyond
  `max_depth`, longer than `max_url_length`, or a path segment repeated more than
  `max_path_repeats` times (`/a/a/a/…`) — and logs the first drop per host and reason.
* `RetryAfterMiddleware` (downloader middleware): a 429/503 answer with a Retry-After header
  pauses every request to that host for the time asked, capped at `max_retry_after`, then
  retries (at most RETRY_TIMES times); what is left is stored with its status and logged.
* `RedirectLoopGuard` (downloader middleware): a redirect back to a URL of its own chain, or one
  more than REDIRECT_MAX_TIMES, fails the request with `RedirectLoop` (Scrapy would drop a
  self-redirect silently as a duplicate), so the page is recorded as an error.

The limits come from the config's `politeness:` section (the spider's `limits`).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.incremental import parent_depth
from crawler.items import LogItem

logger = logging.getLogger(__name__)
BACKOFF_CODES = (429, 503)
NOTES = "govaudit_notes"


class RedirectLoop(IgnoreRequest):
    """A redirect chain that comes back on itself or never ends; str() starts "redirect loop"."""


def failure_text(failure, meta: dict, limits) -> str:
    """The crawl_log / pages.error text of a failed fetch, naming the config key of a size cap."""
    if failure.check(RedirectLoop):
        return str(failure.value)[:500]
    detail = failure.getErrorMessage() or (failure.type.__doc__ or "").strip().split("\n")[0]
    message = f"{failure.type.__name__}: {detail}"
    key = "max_attachment_bytes" if meta.get("attachment") else "max_page_bytes"
    if failure.check(DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in message:
        cap = meta.get("download_maxsize") or getattr(limits, key, None)
        message = f"{failure.type.__name__}: body larger than {key}={cap} bytes, download stopped"
    return message[:500]


def trap_reason(url: str, depth: int, limits) -> tuple[str, str] | None:
    """Why following `url` at `depth` would walk into a spider trap: (config key, message), or None."""
    if depth > limits.max_depth:
        return "max_depth", f"depth {depth} > max_depth={limits.max_depth}"
    if len(url) > limits.max_url_length:
        return "max_url_length", f"URL of {len(url)} characters > max_url_length={limits.max_url_length}"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments:
        segment, times = Counter(segments).most_common(1)[0]
        if times > limits.max_path_repeats:
            return "max_path_repeats", (f"path segment {segment!r} repeated {times} times > "
                                        f"max_path_repeats={limits.max_path_repeats}")
    return None


def note(request, level: str, message: str) -> None:
    """A crawl_log line about `request` from a downloader middleware (which cannot yield items):
    `TrapGuard` yields it with the spider's output for the response."""
    request.meta.setdefault(NOTES, []).append((level, message))


class TrapGuard:
    """Spider middleware (before DepthMiddleware): see the module docstring. It also turns the
    notes downloader middlewares left on a response (`note`) into crawl_log lines."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.reported: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _notes(self, response):
        for level, message in response.meta.pop(NOTES, ()):
            yield LogItem(level, response.url, message)

    def _check(self, item, response):
        """`item` itself, a log line instead of a trap request (first per host and kind), or nothing."""
        limits = getattr(self.crawler.spider, "limits", None)
        if limits is None or not isinstance(item, Request) or "link_check" in item.meta:
            return item
        trap = trap_reason(item.url, parent_depth(item, response) + 1, limits)
        if trap is None:
            return item
        key = (urlsplit(item.url).hostname or "", trap[0])
        if key in self.reported:
            return None
        self.reported.add(key)
        return LogItem("WARNING", item.url, f"not followed (spider trap guard): {trap[1]}")

    def process_spider_output(self, response, result, spider=None):
        yield from self._notes(response)
        for item in result:
            if (kept := self._check(item, response)) is not None:
                yield kept

    async def process_spider_output_async(self, response, result, spider=None):
        for line in self._notes(response):
            yield line
        async for item in result:
            if (kept := self._check(item, response)) is not None:
                yield kept


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date), None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Downloader middleware (before RetryMiddleware): see the module docstring."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_times = crawler.settings.getint("RETRY_TIMES")
        self.paused_until: dict[str, float] = {}     # host -> monotonic time its back-off ends

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def cap(self) -> float:
        return getattr(getattr(self.crawler.spider, "limits", None), "max_retry_after", 120.0)

    async def process_request(self, request, spider=None):
        wait = self.paused_until.get(urlsplit(request.url).hostname or "", 0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request, response, spider=None):
        if response.status not in BACKOFF_CODES or request.meta.get("dont_retry"):
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is None:
            return response                      # no Retry-After: Scrapy's own retry decides
        times = request.meta.get("retry_after_times", 0)
        request.meta["dont_retry"] = True        # this middleware has decided for this request
        if times >= self.max_times:
            note(request, "WARNING", f"gave up after {times} Retry-After back-offs (HTTP {response.status})")
            return response
        delay = min(asked, self.cap)
        host = urlsplit(request.url).hostname or ""
        self.paused_until[host] = max(self.paused_until.get(host, 0), time.monotonic() + delay)
        logger.info("HTTP %d from %s: Retry-After %.0f s, pausing the host %.1f s", response.status, host, asked, delay)
        retry = request.replace(dont_filter=True)
        retry.meta.update(retry_after_times=times + 1, dont_retry=False)
        return retry


class RedirectLoopGuard:
    """Downloader middleware (sees a 3xx before RedirectMiddleware): see the module docstring."""

    def __init__(self, max_times: int):
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location) or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' → '.join(chain[chain.index(target):])} → {target}")
        if len(chain) > self.max_times:
            raise RedirectLoop(f"redirect loop: more than {self.max_times} redirects from {chain[0]}")
        return response


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, fixed for requests that wait for a host's robots.txt.

    In Scrapy 2.19 every request that arrives while robots.txt is being fetched awaits the same
    Deferred through ``Deferred.asFuture``, whose callback returns None: the first waiter gets
    the parser, every later one gets None and is let through unchecked. A single process rarely
    has more than one waiter (links are found after robots.txt came), but a distributed worker
    (crawler.distributed) joining a run pops dozens of requests for a new host at once. Here
    each waiter gets its own Deferred."""

    async def robot_parser(self, request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            waiter = Deferred()
            pending.addBoth(lambda parser: (waiter.callback(parser), parser)[1])
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)
