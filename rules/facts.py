"""The stored facts of one run, as the rules see them (read-only pandas frames).

Rules receive a `RunFacts`; tests build one directly from small frames, the audit loads it
from the store. Nothing here fetches or judges.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import pandas as pd
from sqlalchemy import select

from crawler.scope import home_sections, netloc
from govaudit.store import (Store, attachments, columns, link_checks, links, list_items, page_sites, pages,
                            pii_hits, template_blocks)
from govaudit.windows import Window, parse_window


#: Fields of each frame the rules may rely on; a frame a test does not give is empty with these.
FIELDS = {
    "columns": ["site_id", "department_id", "name", "url", "update_class", "window", "latest_date",
                "latest_source", "item_count", "undated_count", "placeholder", "fetched", "shape"],
    "site_texts": ["site_id", "text", "url", "source"],
    "pages": ["url", "final_url", "status", "kind", "title", "text", "published", "published_source", "written",
              "column_name", "site_code", "icp", "police", "meta", "fetched_at", "error"],
    "links": ["page_url", "url", "text", "hidden", "context", "block", "internal"],
    "list_items": ["page_url", "position", "title", "url", "date", "date_source"],
    "attachments": ["url", "status", "ext", "bytes", "text", "error"],
    "page_sites": ["page_url", "site_id", "how"],
    "template_blocks": ["block"],
    "pii_hits": ["doc_url", "doc_kind", "kind", "masked", "position", "context"],
    "link_checks": ["url", "final_url", "status", "verdict", "error", "response_ms", "checked_at"],
}
_TABLES = {"pages": pages, "links": links, "list_items": list_items, "attachments": attachments,
           "page_sites": page_sites, "template_blocks": template_blocks, "columns": columns,
           "pii_hits": pii_hits, "link_checks": link_checks}


class RunFacts:
    """One run's facts. Frames load lazily from the store (or come ready-made in tests):
    ``facts.columns``, ``facts.pages``, ``facts.links``, ``facts.list_items``, ``facts.attachments``,
    ``facts.page_sites``, ``facts.template_blocks`` and ``facts.site_texts``."""

    def __init__(self, run_id: int, config: dict, loader: Callable[[str], pd.DataFrame] | None = None,
                 **frames: pd.DataFrame):
        unknown = set(frames) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown frames {sorted(unknown)}; known: {sorted(FIELDS)}")
        self.run_id, self.config, self._loader, self._frames = run_id, config, loader, dict(frames)

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            loaded = self._loader(name) if self._loader else pd.DataFrame(columns=FIELDS[name])
            self._frames[name] = loaded
        frame = self._frames[name]
        missing = [c for c in FIELDS[name] if c not in frame.columns]
        if missing:   # an empty frame still has its fields
            frame = self._frames[name] = frame.reindex(columns=list(frame.columns) + missing)
        return frame

    columns = property(lambda self: self.frame("columns"))
    site_texts = property(lambda self: self.frame("site_texts"))
    pages = property(lambda self: self.frame("pages"))
    links = property(lambda self: self.frame("links"))
    list_items = property(lambda self: self.frame("list_items"))
    attachments = property(lambda self: self.frame("attachments"))
    page_sites = property(lambda self: self.frame("page_sites"))
    template_blocks = property(lambda self: self.frame("template_blocks"))
    pii_hits = property(lambda self: self.frame("pii_hits"))
    link_checks = property(lambda self: self.frame("link_checks"))

    @cached_property
    def windows(self) -> dict[str, Window]:
        return {name: parse_window(spec) for name, spec in self.config["update_classes"].items()}

    @cached_property
    def sites_by_page(self) -> dict[str, list[str]]:
        """Page URL -> ids of the sites it is attributed to, in attribution order."""
        attributed = self.page_sites.dropna(subset=["page_url", "site_id"])
        out: dict[str, list[str]] = {}
        for page_url, site_id in zip(attributed["page_url"], attributed["site_id"]):
            sites = out.setdefault(page_url, [])
            if site_id not in sites:
                sites.append(site_id)
        return out

    @cached_property
    def sites(self) -> dict[str, dict]:
        return {site["id"]: site for site in self.config["sites"]}

    def rule_settings(self, rule_id: str) -> dict:
        return self.config.get("rules", {}).get(rule_id, {})

    @classmethod
    def load(cls, store: Store, run_id: int) -> "RunFacts":
        run = store.run(run_id)

        def loader(name: str) -> pd.DataFrame:
            with store.engine.connect() as conn:
                if name == "site_texts":
                    return _site_texts(store, run_id, conn, run["config"])
                return store.table_frame(_TABLES[name], run_id, conn)

        return cls(run_id=run_id, config=run["config"], loader=loader)


def _site_texts(store: Store, run_id: int, conn, config: dict) -> pd.DataFrame:
    """Texts a section offers its readers: anchor texts of its own (non-template) links,
    titles of its pages. Shared portal navigation counts only for the host's home section
    (the same rule attribution follows, crawler.scope)."""
    home = home_sections([(site["id"], site["start_urls"]) for site in config["sites"]])
    attributed = store.table_frame(page_sites, run_id, conn, ["page_url", "site_id"])
    template = set(store.frame(select(template_blocks.c.block).where(template_blocks.c.run_id == run_id), conn)["block"])
    link_frame = store.table_frame(links, run_id, conn, ["page_url", "url", "text", "hidden", "context", "block"])
    link_frame = link_frame[(link_frame["context"] == "a") & ~link_frame["hidden"].fillna(False).astype(bool)]
    site_links = link_frame.merge(attributed, on="page_url")
    page_home = site_links["page_url"].map(lambda url: home.get(netloc(url)))
    own = ~site_links["block"].isin(template) | (page_home == site_links["site_id"])
    anchors = site_links[own].assign(source="link")[["site_id", "text", "url", "source"]]
    titles = store.table_frame(pages, run_id, conn, ["url", "title"]).merge(
        attributed, left_on="url", right_on="page_url")
    titles = titles.rename(columns={"title": "text"}).assign(source="title")[["site_id", "text", "url", "source"]]
    return pd.concat([anchors, titles], ignore_index=True).dropna(subset=["text"])
