"""Which section a URL belongs to, by configuration alone.

A site in the config is a *section*: start URLs, allowed hosts and optional path prefixes
(scope). Three facts follow from the config without looking at any page:

* the **owner by scope** of a URL: the section with the longest matching scope prefix;
* the **start pages** of each section (owned by it even without a scope);
* the **home section** of a host: the section whose start page is the host's root
  (``/``, ``/index.html`` …), typically the portal. It alone may follow the host's shared
  navigation when pages are attributed (see crawler.attribution). A host without one (say
  only a department's ``/col/col123/`` section is configured) gets its root fetched as a
  *template reference*, so its shared navigation is still recognised.

Everything else (Hanweb `/col/…` pages, articles) is attributed by provenance after the crawl.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

from govaudit.config import Config

#: Links never fetched as pages (media, code, archives); attachments are handled separately.
SKIP_EXTS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "svg", "webp", "ico", "css", "js", "mp4", "mp3", "avi",
                       "flv", "swf", "zip", "rar", "7z", "exe", "apk", "woff", "woff2", "ttf", "eot", "xml", "json",
                       "txt", "xls", "xlsx", "doc", "docx", "pdf", "wps", "et"})


_ROOT_PATH = re.compile(r"^/?(?:(?:index|default|home|main)\.(?:s?html?|jsp|php|aspx?))?$", re.I)


@lru_cache(maxsize=131072)
def normalize_url(url: str) -> str:
    """The URL as Scrapy will request it: percent-encoded, fragment removed, host lower-cased.
    Cached: navigation links repeat on every page of a site."""
    url = safe_url_string(url.split("#", 1)[0].strip())
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if (parts.scheme, netloc.rsplit(":", 1)[-1]) in (("http", "80"), ("https", "443")):
        netloc = netloc.rsplit(":", 1)[0]
    return parts._replace(netloc=netloc).geturl()


def netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def extension(url: str) -> str:
    path = urlsplit(url).path
    tail = path.rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else ""


def home_sections(sites: list[tuple[str, list[str]]]) -> dict[str, str]:
    """host -> id of the first section (site id, start URLs) that starts at that host's root."""
    home: dict[str, str] = {}
    for site_id, start_urls in sites:
        for url in start_urls:
            norm = normalize_url(url)
            if _ROOT_PATH.match(urlsplit(norm).path):
                home.setdefault(netloc(norm), site_id)
    return home


@dataclass
class Scope:
    config: Config
    hosts: set[str] = field(default_factory=set)
    starts: dict[str, str] = field(default_factory=dict)          # normalized start URL -> site id
    home: dict[str, str] = field(default_factory=dict)            # host -> home site id

    @classmethod
    def from_config(cls, config: Config) -> "Scope":
        scope = cls(config, home=home_sections([(s.id, s.start_urls) for s in config.sites]))
        for site in config.sites:
            scope.hosts.update(site.allowed_hosts)
            for url in site.start_urls:
                scope.starts.setdefault(normalize_url(url), site.id)
        return scope

    def is_internal(self, url: str) -> bool:
        return netloc(url) in self.hosts

    def scope_owner(self, url: str) -> str | None:
        """The section whose scope prefix matches `url` most specifically, or None."""
        best, owner = 0, None
        for site in self.config.sites:
            length = site.owns_path(url)
            if length > best:
                best, owner = length, site.id
        return owner

    def owner(self, url: str) -> str | None:
        """Owner by configuration: a start page, else the longest scope prefix."""
        return self.starts.get(url) or self.scope_owner(url)

    def home_of(self, url: str) -> str | None:
        return self.home.get(netloc(url))

    def reference_roots(self) -> list[str]:
        """Roots of the hosts without a home section, fetched to learn their shared navigation."""
        roots = {}
        for url in self.starts:
            host = netloc(url)
            if host not in self.home:
                roots.setdefault(host, f"{urlsplit(url).scheme}://{host}/")
        return list(roots.values())
