"""Homepage availability probes (国办秘函〔2019〕19号 V1 站点无法访问).

A probe fetches one page (a site's homepage) once and records what happened: the status, how
long the whole page took and, when it did not load, why. ``ok`` is a measurement, not a
verdict: the page answered with a non-error status and its *whole body* arrived within the
timeout. The deadline is total — a server that trickles bytes fails when the deadline passes,
however often it sends something (a per-read socket timeout would never fire). The failure
ratio over a week, and what it means, is the ``availability`` rule's business.

Probes run from ``govaudit probe`` (meant for cron, hourly or more often); a crawl's own fetch
of each homepage is recorded the same way by the spider (``source = crawl``).
"""
from __future__ import annotations

import http.client
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from crawler.scope import normalize_url

#: Seconds within which the whole homepage must have loaded (19号: 15 s).
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 65536
#: Why a fetch failed, from the exception's class names (stdlib and Twisted alike), first match wins.
_FAILURE_KINDS = (
    ("timeout", ("timeout", "timedout")),
    ("dns", ("dns", "gaierror")),
    ("refused", ("refused",)),
    ("tls", ("ssl", "tls", "certificate")),
    ("reset", ("reset", "lost", "neverreceived", "responsefailed", "aborted", "remotedisconnected",
               "incompleteread", "brokenpipe", "connectiondone")),
)


@dataclass
class Probe:
    """One probe, as stored in the ``probes`` table (the crawl adds its ``run_id``)."""
    site_id: str
    url: str
    at: datetime                 # when the fetch started (UTC)
    ok: bool
    status: int | None = None    # last HTTP status (after redirects); None when nothing answered
    response_ms: int | None = None
    error: str | None = None     # "<kind>: <message>", kind one of timeout dns refused tls reset http redirects other
    source: str = "probe"        # probe (govaudit probe) | crawl (a crawl's own homepage fetch)

    def row(self) -> dict:
        return asdict(self)


class TooManyRedirects(Exception):
    pass


class IncompleteBody(Exception):
    """The connection closed before the announced Content-Length arrived."""


def failure_kind(exc: BaseException) -> str:
    """A short, stable label of why a fetch failed (see _FAILURE_KINDS); "other" otherwise."""
    if isinstance(exc, TooManyRedirects):
        return "redirects"
    names = " ".join(cls.__name__.lower() for cls in type(exc).__mro__)
    return next((kind for kind, keys in _FAILURE_KINDS if any(key in names for key in keys)), "other")


def describe_failure(exc: BaseException) -> str:
    message = str(exc).strip() or type(exc).__name__
    return f"{failure_kind(exc)}: {message}"[:300]


def outcome(status: int | None, elapsed_ms: int | None, error: str | None,
            timeout: float = DEFAULT_TIMEOUT) -> tuple[bool, str | None]:
    """(ok, error) of a finished fetch: ok when it answered below 400 without error within `timeout`."""
    if error:
        return False, error
    if status is None:
        return False, "other: no answer"
    if status >= 400:
        return False, f"http: HTTP {status}"
    if elapsed_ms is not None and elapsed_ms > timeout * 1000:
        return False, f"timeout: loaded in {elapsed_ms} ms, over {timeout:g} s"
    return True, None


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


def _tls_context() -> ssl.SSLContext:
    """Certificates are not verified: availability asks whether the site answers, and the crawl
    (Scrapy's default context) does not verify them either."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _get(url: str, deadline: float, user_agent: str, statuses: list[int]) -> str | None:
    """One GET against the deadline; its status is appended to `statuses` as soon as it is known
    (a body that then fails to arrive keeps it). Returns the redirect target, or None once a
    non-redirect answer is complete (a 2xx/3xx body read to the end)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=_left(deadline), context=_tls_context())
    elif parts.scheme == "http":
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=_left(deadline))
    else:
        raise ValueError(f"not an http(s) URL: {url}")
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"User-Agent": user_agent, "Accept": "text/html,*/*;q=0.8",
                                           "Accept-Encoding": "identity", "Connection": "close"})
        sock = conn.sock          # the response keeps reading from it after `conn` lets go of it
        sock.settimeout(_left(deadline))
        response = conn.getresponse()
        statuses.append(response.status)
        location = response.getheader("Location")
        if response.status in _REDIRECTS and location:
            return urljoin(url, location.strip())
        if response.status >= 400:
            return None
        while True:
            sock.settimeout(_left(deadline))
            if not response.read1(_CHUNK):
                break
        if response.length:     # closed before the announced length
            raise IncompleteBody(f"connection closed with {response.length} bytes missing")
        return None
    finally:
        conn.close()


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, user_agent: str) -> tuple[int | None, int, str | None]:
    """(status, elapsed ms, error) of loading `url` completely, redirects followed, within `timeout` s."""
    started = time.monotonic()
    deadline = started + timeout
    statuses: list[int] = []
    error = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            target = _get(url, deadline, user_agent, statuses)
            if target is None:
                break
            url = target
        else:
            raise TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
    except Exception as exc:  # every failure is a fact to record, never a crash
        error = describe_failure(exc)
    return (statuses[-1] if statuses else None), round((time.monotonic() - started) * 1000), error


def probe(site_id: str, url: str, *, timeout: float = DEFAULT_TIMEOUT, user_agent: str) -> Probe:
    at = datetime.now(timezone.utc)
    status, elapsed, error = fetch(url, timeout=timeout, user_agent=user_agent)
    ok, error = outcome(status, elapsed, error, timeout)
    return Probe(site_id=site_id, url=url, at=at, ok=ok, status=status, response_ms=elapsed, error=error)


def homepages(config) -> list[tuple[str, str]]:
    """(site id, homepage URL) of every site of a config: its first start URL, as the crawl requests it."""
    return [(site.id, normalize_url(site.start_urls[0])) for site in config.sites]


def probe_all(targets: list[tuple[str, str]], *, timeout: float = DEFAULT_TIMEOUT, user_agent: str,
              workers: int = 16) -> list[Probe]:
    """Probe every (site id, URL) concurrently (threads); results in the order of `targets`."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(targets)))) as pool:
        futures = [pool.submit(probe, site_id, url, timeout=timeout, user_agent=user_agent)
                   for site_id, url in targets]
        return [future.result() for future in futures]
