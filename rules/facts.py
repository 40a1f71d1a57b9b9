"""The stored facts of one run, as the rules see them (read-only pandas frames).

Rules receive a `RunFacts`; tests build one directly from small frames, the audit loads it
from the store. Nothing here fetches or judges.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import cached_property

import pandas as pd
from sqlalchemy import and_, case, func, select

from crawler.scope import home_sections, netloc
from govaudit.store import (Store, attachments, audits, column_pages, columns, hub_items, link_checks, links,
                            list_items, page_sites, page_tables, pages, pii_hits, probes, runs, template_blocks)
from govaudit.windows import Window, parse_window


#: Fields of each frame the rules may rely on; a frame a test does not give is empty with these.
FIELDS = {
    "columns": ["site_id", "department_id", "name", "url", "update_class", "window", "latest_date",
                "latest_source", "item_count", "undated_count", "placeholder", "fetched", "shape"],
    "site_texts": ["site_id", "text", "url", "source"],
    "pages": ["url", "final_url", "status", "kind", "title", "text", "published", "published_source", "written",
              "column_name", "site_code", "icp", "police", "badge", "meta", "fetched_at", "error"],
    "links": ["page_url", "url", "text", "hidden", "context", "block", "internal"],
    "list_items": ["page_url", "position", "title", "url", "date", "date_source"],
    # dated entries of every block of hub pages (homepages), `block` the block's index on the page
    "hub_items": ["page_url", "block", "block_title", "position", "title", "url", "date", "date_source"],
    # homepage probes of the run's sites in the PROBE_WINDOW ending at the run's end (`_probes`), any source
    "probes": ["site_id", "url", "at", "ok", "status", "response_ms", "error", "source", "run_id"],
    "attachments": ["url", "status", "ext", "bytes", "text", "error"],
    "page_sites": ["page_url", "site_id", "how"],
    "template_blocks": ["block"],
    "pii_hits": ["doc_url", "doc_kind", "kind", "masked", "position", "context"],
    "link_checks": ["url", "final_url", "status", "verdict", "error", "response_ms", "checked_at"],
    # HTML tables of document pages; `cells` is JSON (a list of rows of cell texts) as stored
    "page_tables": ["page_url", "position", "caption", "cells"],
    # list items of this run's columns in this run and in up to HISTORY_RUNS earlier complete runs
    # (`_history`); `crawl_date` is the day the run looked, `audited` whether it was judged
    "history": ["run_id", "crawl_date", "audited", "column_url", "page_no", "position", "url", "title", "date",
                "date_source"],
}
_TABLES = {"pages": pages, "links": links, "list_items": list_items, "attachments": attachments,
           "page_sites": page_sites, "template_blocks": template_blocks, "columns": columns,
           "pii_hits": pii_hits, "link_checks": link_checks, "page_tables": page_tables, "hub_items": hub_items}
#: The week of homepage probes availability (V1) judges, ending when the audited run ended.
PROBE_WINDOW = timedelta(days=7)


class RunFacts:
    """One run's facts. Frames load lazily from the store (or come ready-made in tests):
    ``facts.columns``, ``facts.pages``, ``facts.links``, ``facts.list_items``, ``facts.attachments``,
    ``facts.page_sites``, ``facts.template_blocks`` and ``facts.site_texts``. ``ended_at`` is when
    the run's crawl ended (UTC): wall-clock facts such as probes are judged up to then."""

    def __init__(self, run_id: int, config: dict, loader: Callable[[str], pd.DataFrame] | None = None,
                 ended_at: datetime | None = None, **frames: pd.DataFrame):
        unknown = set(frames) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown frames {sorted(unknown)}; known: {sorted(FIELDS)}")
        self.run_id, self.config, self._loader, self._frames = run_id, config, loader, dict(frames)
        self.ended_at = ended_at

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
    page_tables = property(lambda self: self.frame("page_tables"))
    history = property(lambda self: self.frame("history"))
    hub_items = property(lambda self: self.frame("hub_items"))
    probes = property(lambda self: self.frame("probes"))

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
        ended_at = run["finished_at"] or run["started_at"]

        def loader(name: str) -> pd.DataFrame:
            with store.engine.connect() as conn:
                if name == "site_texts":
                    return _site_texts(store, run_id, conn, run["config"])
                if name == "history":
                    return _history(store, run_id, conn)
                if name == "probes":
                    return _probes(store, conn, [site["id"] for site in run["config"]["sites"]], ended_at)
                return store.table_frame(_TABLES[name], run_id, conn)

        return cls(run_id=run_id, config=run["config"], loader=loader, ended_at=ended_at)


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


def _probes(store: Store, conn, site_ids: list[str], ended_at: datetime) -> pd.DataFrame:
    """Probes (govaudit probe and every crawl's homepage fetch) of these sites in the
    PROBE_WINDOW ending at `ended_at`. Stored timestamps are UTC (naive in SQLite)."""
    end = ended_at if ended_at.tzinfo else ended_at.replace(tzinfo=timezone.utc)
    query = select(*[probes.c[name] for name in FIELDS["probes"]]).where(
        probes.c.site_id.in_(site_ids), probes.c.at > end - PROBE_WINDOW, probes.c.at <= end)
    return store.frame(query.order_by(probes.c.at), conn)


#: How many earlier complete runs `history` reaches back (a quarter of weekly checks).
HISTORY_RUNS = 12


def _history(store: Store, run_id: int, conn) -> pd.DataFrame:
    """List items of this run's columns (by page-1 URL) in this run and in up to HISTORY_RUNS
    earlier complete runs, each item once per run and column (its first listing), ordered by
    ``page_no`` and ``position``. An item undated on its list takes its page's publication date
    (``page:<source>``), as crawler.columns.column_items does. ``crawl_date`` is the day the run
    looked (`crawl_date`); ``audited`` whether it has an audit."""
    earlier = select(runs.c.id).where(runs.c.status == "complete", runs.c.id < run_id) \
        .order_by(runs.c.id.desc()).limit(HISTORY_RUNS)
    run_ids = [run_id, *conn.execute(earlier).scalars()]
    dated = and_(list_items.c.date.is_(None), pages.c.published.is_not(None))
    query = (select(column_pages.c.run_id, column_pages.c.column_url, column_pages.c.page_no, list_items.c.position,
                    list_items.c.url, list_items.c.title,
                    func.coalesce(list_items.c.date, pages.c.published).label("date"),
                    case((dated, "page:" + pages.c.published_source), else_=list_items.c.date_source)
                    .label("date_source"))
             .select_from(column_pages
                          .join(list_items, and_(list_items.c.run_id == column_pages.c.run_id,
                                                 list_items.c.page_url == column_pages.c.page_url))
                          .outerjoin(pages, and_(pages.c.run_id == list_items.c.run_id,
                                                 pages.c.url == list_items.c.url)))
             .where(column_pages.c.run_id.in_(run_ids),
                    column_pages.c.column_url.in_(select(columns.c.url).where(columns.c.run_id == run_id))))
    items = store.frame(query, conn).dropna(subset=["url"])
    items = items.sort_values(["run_id", "column_url", "page_no", "position"]) \
        .drop_duplicates(["run_id", "column_url", "url"])
    looked = store.frame(select(runs.c.id.label("run_id"), runs.c.started_at, audits.c.id.label("audit_id"),
                                audits.c.as_of)
                         .select_from(runs.outerjoin(audits, audits.c.run_id == runs.c.id))
                         .where(runs.c.id.in_(run_ids)), conn)
    looked = looked.sort_values("audit_id", na_position="first").drop_duplicates("run_id", keep="last")
    looked["audited"] = looked["as_of"].notna()
    looked["crawl_date"] = [crawl_date(start, as_of) for start, as_of in zip(looked["started_at"], looked["as_of"])]
    return items.merge(looked[["run_id", "crawl_date", "audited"]], on="run_id").reset_index(drop=True)


def crawl_date(started_at, as_of=None):
    """The day a run looked at the sites: its start (a calendar day in Beijing time; stored
    timestamps are UTC), or its audit's as_of when that is earlier. An audit's as_of is the day
    the run is judged as of (a fixed, earlier day in the demo and when re-judging); a later
    as_of cannot move what the crawl saw forward, so the earlier of the two is taken."""
    start = pd.Timestamp(started_at)
    start = (start.tz_localize("UTC") if start.tzinfo is None else start).tz_convert("Asia/Shanghai").date()
    judged = None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).date()
    return min(start, judged) if judged else start
