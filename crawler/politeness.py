"""Scrapy settings derived from a config's `politeness:` section."""
from __future__ import annotations

from govaudit.config import Config


def politeness_settings(config: Config) -> dict:
    """Per-host concurrency, delay, AutoThrottle, timeout, robots.txt and size/depth bounds."""
    polite = config.politeness
    return {
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency_per_host,
        "DOWNLOAD_DELAY": polite.delay,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(polite.delay, 0.1),
        "DOWNLOAD_TIMEOUT": polite.timeout,
        "ROBOTSTXT_OBEY": polite.robots_txt,
        "DEPTH_LIMIT": polite.max_depth,
        "DOWNLOAD_MAXSIZE": polite.max_page_bytes,
        "USER_AGENT": polite.user_agent,
    }
