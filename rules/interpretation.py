"""政策解读: policy documents and their interpretations are linked both ways (双向关联).

19号 checks that 政策文件 have their 政策解读 and that the two are linked to each other; the points
it deducts are not published (domain.md §3.2, U), so ``points_each`` is a labelled local default.

Columns and items:

* a *policy column* is a column whose update class is in ``policy_classes`` or whose name contains
  one of ``policy_column_keywords`` (政策文件/规范性文件/文件); an *interpretation column* is one whose
  name contains one of ``interpretation_column_keywords`` (解读) — it is never a policy column;
* a column's items are the ``list_items`` of its list pages: the column page itself plus the pages
  reached from it by the pagination links the crawler followed (``links.context == "next"`` to a
  list/datastore page — the same walk the crawler uses for its ``column_pages`` table, which is not
  part of RunFacts). Items on pages the crawler did not follow are not judged.

Judgements (only pages that were fetched, HTML status 200; a page not fetched is not judged):

* a policy-column item whose **title looks like a policy** (``policy_title_keywords`` +
  ``extra_title_keywords``, and none of ``exclude_title_keywords`` — personnel notices, 公示, 会议 …
  need no interpretation) is a finding when its page links to no interpretation: no link whose
  anchor text contains one of ``interpretation_link_keywords`` (解读 …) and none to an item of an
  interpretation column;
* an interpretation-column item is a finding when its page links back to no policy document: no
  link to an item of a policy column, and no link whose anchor text contains one of
  ``source_link_keywords`` (原文/政策原文/文件) pointing to a fetched article page.

Links counted are the ones a reader sees on the page itself: not hidden, in markup or
document.write, not in a shared template block (a "政策解读" entry of the site navigation on every
page is not an interpretation of this document), not to a column's list page, not to itself.
"""
from __future__ import annotations

from collections import deque
from datetime import date

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="interpretation",
    title="政策文件与解读未双向关联",
    category="interpretation",
    severity="deduct",
    indicator="扣分·政策解读（解读缺失或未与政策文件双向关联）",
    source="国办秘函〔2019〕19号",
    confidence="P",
    threshold={
        "policy_classes": ["政策文件"],
        "policy_column_keywords": ["政策文件", "规范性文件", "文件"],
        "interpretation_column_keywords": ["解读"],
        "policy_title_keywords": ["办法", "规定", "意见", "方案", "细则", "规划", "条例", "决定", "实施",
                                  "政策", "措施", "指导"],
        "extra_title_keywords": [],
        "exclude_title_keywords": ["公示", "会议", "任免", "任职", "表彰", "招聘", "录用", "名单", "通报",
                                   "征求意见", "解读"],
        "interpretation_link_keywords": ["解读", "图解", "一图读懂"],
        "source_link_keywords": ["原文", "政策原文", "文件"],
        "points_each": 0.5,
        "note": "本地默认值，国家未明确分值",
    },
    description="政策文件应配套政策解读，且文件页面链接解读、解读页面链接政策原文（双向关联）。"
                "仅检查标题属于政策性文件（办法、规定、意见、方案等）的文件；扣分分值为本地默认值。",
)

#: Page kinds of list pages (the crawler's column walk uses the same).
_LIST_KINDS = ("list", "datastore")
_SHOWN_CONTEXTS = ("a", "script")


def _has(text, words) -> bool:
    return isinstance(text, str) and any(w and w in text for w in words)


def _column_kind(row, settings: dict) -> str | None:
    name = row.name if isinstance(row.name, str) else ""
    if _has(name, settings["interpretation_column_keywords"]):
        return "interpretation"
    if row.update_class in settings["policy_classes"] or _has(name, settings["policy_column_keywords"]):
        return "policy"
    return None


def looks_like_policy(title, settings: dict) -> bool:
    """A title that names a policy document needing an interpretation (办法、规定、意见 …)."""
    words = list(settings["policy_title_keywords"]) + list(settings.get("extra_title_keywords") or [])
    return _has(title, words) and not _has(title, settings["exclude_title_keywords"])


def _list_pages(column_url: str, nexts: dict[str, list[str]]) -> list[str]:
    order, queue = [column_url], deque([column_url])
    while queue:
        for dst in nexts.get(queue.popleft(), ()):
            if dst not in order:
                order.append(dst)
                queue.append(dst)
    return order


def column_items(facts: RunFacts, column_urls) -> pd.DataFrame:
    """Items of each column: ``column_url``, ``title``, ``url`` (first listing of each URL kept)."""
    pages = facts.pages
    kinds = dict(zip(pages["url"], pages["kind"]))
    links = facts.links
    nxt = links[(links["context"] == "next") & links["url"].map(lambda u: kinds.get(u) in _LIST_KINDS)]
    nexts: dict[str, list[str]] = {}
    for src, dst in zip(nxt["page_url"], nxt["url"]):
        nexts.setdefault(src, []).append(dst)
    rows = [(col, page, no) for col in dict.fromkeys(column_urls)
            for no, page in enumerate(_list_pages(col, nexts))]
    owner = pd.DataFrame(rows, columns=["column_url", "page_url", "page_no"])
    entries = facts.list_items.dropna(subset=["url"])
    items = owner.merge(entries[["page_url", "position", "title", "url"]], on="page_url")
    items = items.sort_values(["column_url", "page_no", "position"]).drop_duplicates(["column_url", "url"])
    return items[["column_url", "title", "url"]].reset_index(drop=True)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    columns = facts.columns.dropna(subset=["url"])
    if columns.empty:
        return []
    kind_of = {row.Index: _column_kind(row, settings) for row in columns.itertuples()}
    columns = columns.assign(role=pd.Series(kind_of, dtype=object))
    judged = columns[columns["role"].notna()]
    if judged.empty:
        return []
    items = column_items(facts, judged["url"])
    role_of_column = judged.drop_duplicates("url").set_index("url")["role"]
    items["role"] = items["column_url"].map(role_of_column)
    policy_urls = set(items.loc[items["role"] == "policy", "url"])
    interp_urls = set(items.loc[items["role"] == "interpretation", "url"])
    column_urls = set(facts.columns["url"].dropna())

    pages = facts.pages
    status = pd.to_numeric(pages["status"], errors="coerce")
    fetched = set(pages.loc[status == 200, "url"])
    articles = set(pages.loc[(status == 200) & (pages["kind"] == "article"), "url"])

    # The links a reader sees on each judged page (see module doc).
    template = set(facts.template_blocks["block"].dropna())
    links = facts.links
    links = links[links["page_url"].isin(policy_urls | interp_urls) & links["context"].isin(_SHOWN_CONTEXTS)
                  & ~links["hidden"].fillna(False).astype(bool) & ~links["block"].isin(template)
                  & ~links["url"].isin(column_urls) & (links["url"] != links["page_url"])]
    out_links: dict[str, list[tuple[str, str]]] = {}
    for page, url, text in zip(links["page_url"], links["url"], links["text"]):
        out_links.setdefault(page, []).append((url, text if isinstance(text, str) else ""))

    def to_interpretation(page: str) -> bool:
        return any(url in interp_urls or _has(text, settings["interpretation_link_keywords"])
                   for url, text in out_links.get(page, ()))

    def to_policy(page: str) -> bool:
        return any(url in policy_urls or (_has(text, settings["source_link_keywords"]) and url in articles)
                   for url, text in out_links.get(page, ()))

    # Interpretations that link to a document (shown in the document's finding).
    titles = dict(zip(items["url"], items["title"]))
    interpreted_by: dict[str, list[str]] = {}
    for page in interp_urls:
        for url, _text in out_links.get(page, ()):
            if url in policy_urls and page not in interpreted_by.get(url, []):
                interpreted_by.setdefault(url, []).append(page)

    points = {"points_each": settings.get("points_each"), "points_note": settings.get("note")}
    findings, seen = [], set()
    for col in judged.itertuples():
        col_items = items[items["column_url"] == col.url]
        for item in col_items.itertuples():
            key = (col.site_id, item.url)
            if key in seen or item.url not in fetched:
                continue
            title = item.title if isinstance(item.title, str) and item.title else item.url
            if col.role == "policy":
                if not looks_like_policy(item.title, settings) or to_interpretation(item.url):
                    continue
                by = sorted(interpreted_by.get(item.url, []))
                hint = (f"（已有解读「{titles.get(by[0]) or by[0]}」链接至该文件，但文件页面未链接解读）" if by
                        else "（未找到链接至该文件的解读）")
                detail = f"政策文件「{title}」页面未链接政策解读，政策文件与解读未双向关联{hint}"
                data = {"kind": "policy", "title": item.title, "column_url": col.url, "interpreted_by": by}
            else:
                if to_policy(item.url):
                    continue
                detail = f"政策解读「{title}」页面未链接政策原文，政策文件与解读未双向关联"
                data = {"kind": "interpretation", "title": item.title, "column_url": col.url}
            seen.add(key)
            findings.append(Finding.of(
                META, department_id=col.department_id, site_id=col.site_id, column=col.name, url=item.url,
                evidence=title[:60], detail=detail,
                data={**data, "links_checked": len(out_links.get(item.url, ())), **points}))
    return findings
