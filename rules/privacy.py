"""个人信息未去标识化: a published page or attachment shows 身份证号, 手机号 or 银行卡号 in full.

The crawler screens every page and attachment text before storing it
(`crawler.extract.privacy`): the stored text is already masked and the frame ``pii_hits``
holds one row per unmasked value found (``doc_url``, ``doc_kind`` page|attachment, ``kind``,
``masked``, ``position``, ``context``). This rule turns those rows into one finding per
(document, section). Pages are attributed through ``page_sites``; an attachment belongs to
the section(s) of the pages that link to it (``links``).

Nothing raw leaves here either: examples are passed through `mask` again (idempotent on
masked values, protective if an upstream bug ever stored a raw one), and contexts, which may
carry names, are not copied into findings.
"""
from __future__ import annotations

from datetime import date
from posixpath import basename
from urllib.parse import unquote, urlsplit

import pandas as pd

from crawler.extract.privacy import KIND_NAMES, KINDS, mask
from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="privacy",
    title="个人信息未去标识化",
    category="privacy",
    severity="deduct",
    indicator="个人信息保护/去标识化",
    source="《2018年政务公开工作要点》；《个人信息保护法》第二十八条",
    confidence="C",
    threshold={"min_hits": 1, "kinds": list(KINDS), "examples": 3},
    description="公开的页面或附件含未去标识化的居民身份证号、手机号码或银行卡号。",
)

_DOC_NAMES = {"page": "页面", "attachment": "附件"}


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    hits = facts.pii_hits
    hits = hits[hits["kind"].isin(settings["kinds"])]
    if hits.empty:
        return []
    # index once: a 100k-page run has millions of links
    attachment_urls = set(hits.loc[hits["doc_kind"] == "attachment", "doc_url"])
    links = facts.links[["page_url", "url", "text"]]
    links = links[links["url"].isin(attachment_urls)]
    linking_pages = {url: group for url, group in links.groupby("url")}
    wanted = set(hits["doc_url"]) | set(links["page_url"])
    sites_of = {url: sorted(facts.sites_by_page[url]) for url in wanted if url in facts.sites_by_page}
    pages = facts.pages
    pages = pages[pages["url"].isin(wanted) | pages["final_url"].isin(wanted)]
    titles = dict(zip(pages["url"], pages["title"]))
    titles.update((u, t) for u, t in zip(pages["final_url"], pages["title"]) if isinstance(u, str))
    column_of = dict(zip(pages["url"], pages["column_name"]))

    findings = []
    for (doc_url, doc_kind), rows in hits.sort_values("position", kind="stable").groupby(
            ["doc_url", "doc_kind"], sort=True):
        if len(rows) < settings["min_hits"]:
            continue
        per_kind = rows["kind"].value_counts()
        counts = {kind: int(per_kind[kind]) for kind in KINDS if kind in per_kind.index}
        examples = _examples(rows, settings["examples"])
        if doc_kind == "attachment":
            linking = linking_pages.get(doc_url, links.iloc[:0])
            name = _attachment_name(doc_url, linking["text"])
            placements: dict = {}
            for page_url in sorted(set(linking["page_url"])):
                for site_id in sites_of.get(page_url, []):
                    placements.setdefault(site_id, []).append(page_url)
            if not placements:      # not attributed to a configured section: still reported
                placements = {None: sorted(set(linking["page_url"]))}
        else:
            name = _text(titles.get(doc_url)) or _url_name(doc_url)
            placements = {site_id: [] for site_id in sites_of.get(doc_url, [None])}
        what = "、".join(f"{KIND_NAMES[k]}{n}处" for k, n in counts.items())
        detail = f"{_DOC_NAMES.get(doc_kind, '文档')}「{name}」含{what}，未去标识化"
        for site_id, linked_from in placements.items():
            site = facts.sites.get(site_id, {}) if site_id else {}
            column = _text(column_of.get(linked_from[0] if linked_from else doc_url))
            data = {"doc_kind": doc_kind, "counts": counts, "total": int(sum(counts.values())),
                    "examples": examples}
            if doc_kind == "attachment":
                data["linked_from"] = linked_from[:5]
            findings.append(Finding.of(
                META, department_id=site.get("department"), site_id=site_id, column=column,
                url=doc_url, evidence="；".join(f"{KIND_NAMES[k]}：{v}" for k, v in examples),
                detail=detail, data=data))
    return findings


def _examples(rows: pd.DataFrame, limit: int) -> list[tuple[str, str]]:
    """Up to `limit` distinct masked values, one of each kind first; re-masked (never raw)."""
    seen, firsts, rest = set(), [], []
    for kind, value in zip(rows["kind"], rows["masked"]):
        value = mask(str(value), kind)
        if value in seen:
            continue
        seen.add(value)
        (rest if any(k == kind for k, _ in firsts) else firsts).append((kind, value))
    return (firsts + rest)[:limit]


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _url_name(url: str) -> str:
    return unquote(basename(urlsplit(url).path)) or url


def _attachment_name(url: str, anchors: pd.Series) -> str:
    for text in anchors:
        if _text(text):
            return text.strip()
    return _url_name(url)
