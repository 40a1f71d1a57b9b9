"""The stored facts of one run, as the rules see them (read-only pandas frames).

Rules receive a `RunFacts`; tests build one directly from small frames, the audit loads it
from the store. Nothing here fetches or judges.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
from sqlalchemy import select

from govaudit.store import Store, columns, links, page_sites, pages, template_blocks
from govaudit.windows import Window, parse_window


#: Columns of `RunFacts.columns` the rules rely on (the store's `columns` table).
COLUMN_FIELDS = ["site_id", "department_id", "name", "url", "update_class", "window", "latest_date",
                 "latest_source", "item_count", "undated_count", "placeholder", "fetched", "shape"]
TEXT_FIELDS = ["site_id", "text", "url", "source"]


@dataclass
class RunFacts:
    run_id: int
    config: dict                                   # the run's config snapshot
    columns: pd.DataFrame                          # one row per (site, column)
    site_texts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TEXT_FIELDS))

    def __post_init__(self):
        missing = [c for c in COLUMN_FIELDS if c not in self.columns.columns]
        if missing:   # an empty frame from a run without columns still has the fields
            self.columns = self.columns.reindex(columns=list(self.columns.columns) + missing)

    @cached_property
    def windows(self) -> dict[str, Window]:
        return {name: parse_window(spec) for name, spec in self.config["update_classes"].items()}

    @cached_property
    def sites(self) -> dict[str, dict]:
        return {site["id"]: site for site in self.config["sites"]}

    def rule_settings(self, rule_id: str) -> dict:
        return self.config.get("rules", {}).get(rule_id, {})

    @classmethod
    def load(cls, store: Store, run_id: int) -> "RunFacts":
        run = store.run(run_id)
        with store.engine.connect() as conn:
            column_frame = store.table_frame(columns, run_id, conn)
            texts = _site_texts(store, run_id, conn, run["config"])
        return cls(run_id=run_id, config=run["config"], columns=column_frame, site_texts=texts)


def _site_texts(store: Store, run_id: int, conn, config: dict) -> pd.DataFrame:
    """Texts a section offers its readers: anchor texts of its own (non-template) links,
    titles of its pages. Shared portal navigation counts only for the host's home section."""
    home_sites = {site["id"] for site in config["sites"] if not site.get("scope")}
    attributed = store.table_frame(page_sites, run_id, conn, ["page_url", "site_id"])
    template = set(store.frame(select(template_blocks.c.block).where(template_blocks.c.run_id == run_id), conn)["block"])
    link_frame = store.table_frame(links, run_id, conn, ["page_url", "url", "text", "hidden", "context", "block"])
    link_frame = link_frame[(link_frame["context"] == "a") & ~link_frame["hidden"].fillna(False).astype(bool)]
    site_links = link_frame.merge(attributed, on="page_url")
    own = ~site_links["block"].isin(template) | site_links["site_id"].isin(home_sites)
    anchors = site_links[own].assign(source="link")[["site_id", "text", "url", "source"]]
    titles = store.table_frame(pages, run_id, conn, ["url", "title"]).merge(
        attributed, left_on="url", right_on="page_url")
    titles = titles.rename(columns={"title": "text"}).assign(source="title")[["site_id", "text", "url", "source"]]
    return pd.concat([anchors, titles], ignore_index=True).dropna(subset=["text"])
