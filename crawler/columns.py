"""Assemble a run's columns from its list pages: name, update class, items, latest date.

A column is stored once per section it is attributed to. Its items are the distinct entry
URLs over all of its list pages; an entry without a date on the list takes the publication
date of its own page when that page was fetched (source ``page:<how>``); entries with no date
anywhere stay undated (and count as "not updated", domain.md §3.1).
"""
from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import func, select

from crawler.scope import normalize_url
from govaudit.config import Config
from govaudit.store import Store, links, list_items, pages

#: How much each source of a column name is trusted (lower is better).
NAME_RANK = {"config": 0, "breadcrumb": 1, "meta": 2, "heading": 3, "link": 4, "title": 5}
_NOT_A_NAME = re.compile(r"^(更多|more|查看更多|>>|»|\.\.\.|…|首页|上一页|下一页|尾页|\d+)$", re.I)


ENTRY_FIELDS = ["page_url", "position", "title", "url", "date", "date_source"]


def column_items(entries: pd.DataFrame, col_pages: pd.DataFrame, page_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (column, distinct item URL) with its best-known date: the list entry's, else
    the item page's own publication date (`page:<source>`). `entries` has ENTRY_FIELDS,
    `col_pages` the column_pages rows, `page_frame` url/published/published_source."""
    items = col_pages.merge(entries, on="page_url").sort_values(["column_url", "page_no", "position"])
    items = items.drop_duplicates(["column_url", "url"])
    published = page_frame[["url", "published", "published_source"]].rename(columns={"url": "url"})
    items = items.merge(published, on="url", how="left")
    missing = items["date"].isna() & items["published"].notna()
    items.loc[missing, "date"] = items.loc[missing, "published"]
    items.loc[missing, "date_source"] = "page:" + items.loc[missing, "published_source"].astype(str)
    items["date"] = pd.to_datetime(items["date"]).dt.date
    return items


def _summary(items: pd.DataFrame) -> pd.DataFrame:
    """item_count, undated_count, latest_date and its source per column."""
    grouped = items.groupby("column_url")
    summary = pd.DataFrame({
        "item_count": grouped["url"].nunique(),
        "undated_count": grouped["date"].apply(lambda s: int(s.isna().sum())),
    })
    dated = items.dropna(subset=["date"]).sort_values("date", ascending=False).drop_duplicates("column_url")
    latest = dated.set_index("column_url")[["date", "date_source"]].rename(
        columns={"date": "latest_date", "date_source": "latest_source"})
    return summary.join(latest, how="left")


def _anchor_names(store: Store, run_id: int, conn, urls: set[str]) -> dict[str, str]:
    """The most common anchor text of links into each column (a fallback name).

    Counted in SQL, a few hundred columns per query: a run's links table has ~30 rows per page,
    too many to load whole on a 100,000-page run."""
    wanted, counted = sorted(urls), []
    for i in range(0, len(wanted), 500):
        query = (select(links.c.url, links.c.text, func.count().label("n"))
                 .where(links.c.run_id == run_id, links.c.context == "a", links.c.url.in_(wanted[i:i + 500]))
                 .group_by(links.c.url, links.c.text))
        counted.append(store.frame(query, conn))
    frame = pd.concat(counted) if counted else pd.DataFrame(columns=["url", "text", "n"])
    text = frame["text"].fillna("")
    frame = frame[text.str.len().between(2, 30) & ~text.str.match(_NOT_A_NAME)]
    if frame.empty:
        return {}
    best = frame.sort_values(["url", "n", "text"], ascending=[True, False, True], kind="stable").drop_duplicates("url")
    return dict(best[["url", "text"]].itertuples(index=False, name=None))


def _name(page: dict, anchor: str | None) -> tuple[str | None, str | None]:
    candidates = [(page.get("column_name"), page.get("column_name_source")), (anchor, "link")]
    candidates = [(n, s) for n, s in candidates if n and s]
    if not candidates:
        return None, None
    return min(candidates, key=lambda c: NAME_RANK.get(c[1], 9))


def build_columns(store: Store, run_id: int, config: Config, conn, derived: dict[str, list[dict]]) -> list[dict]:
    """Rows of the `columns` table for one run."""
    col_pages = pd.DataFrame(derived["column_pages"], columns=["run_id", "column_url", "page_url", "page_no"])
    page_frame = store.table_frame(pages, run_id, conn, ["url", "kind", "status", "column_name", "column_name_source",
                                                         "list_shape", "list_placeholder", "published", "published_source"])
    page_info = page_frame.set_index("url").to_dict("index")
    entries = store.table_frame(list_items, run_id, conn, ENTRY_FIELDS)
    items = column_items(entries, col_pages, page_frame)
    summary = _summary(items).to_dict("index") if not items.empty else {}
    placeholder = set(col_pages.merge(page_frame[page_frame["list_placeholder"].fillna(False).astype(bool)],
                                      left_on="page_url", right_on="url")["column_url"])
    page_counts = col_pages.groupby("column_url").size().to_dict()
    sites_of = pd.DataFrame(derived["page_sites"], columns=["run_id", "page_url", "site_id", "how"])
    pairs = {(row.page_url, row.site_id) for row in sites_of[sites_of["page_url"].isin(page_counts)].itertuples()}
    explicit = {(normalize_url(c.url), site.id): c for site in config.sites for c in site.columns}
    pairs |= set(explicit)
    anchors = _anchor_names(store, run_id, conn, {url for url, _ in pairs})
    windows = config.windows()
    departments = {site.id: site.department for site in config.sites}

    rows = []
    for url, site_id in sorted(pairs):
        page = page_info.get(url, {})
        stats = summary.get(url, {})
        spec = explicit.get((url, site_id))
        name, name_source = (spec.name, "config") if spec else _name(page, anchors.get(url))
        if spec and spec.update_class:
            update_class, class_source = spec.update_class, "config"
        else:
            update_class = config.class_for(name or "")
            class_source = "default" if update_class == config.default_update_class else "keyword"
        window = windows[update_class]
        latest = stats.get("latest_date")
        rows.append({
            "run_id": run_id, "site_id": site_id, "department_id": departments[site_id],
            "name": name, "name_source": name_source, "url": url,
            "update_class": update_class, "class_source": class_source,
            "window": window.label(), "window_days": window.nominal_days,
            "shape": page.get("list_shape"), "pages": int(page_counts.get(url, 0)),
            "item_count": int(stats.get("item_count", 0) or 0),
            "undated_count": int(stats.get("undated_count", 0) or 0),
            "latest_date": None if latest is None or pd.isna(latest) else latest,
            "latest_source": stats.get("latest_source") if latest is not None and not pd.isna(latest) else None,
            "placeholder": url in placeholder,
            "fetched": page.get("status") is not None and page.get("status", 500) < 400,
        })
    return rows
