"""严重表述错误: wrong forms of leaders' names and official terms (19号 单项否决·严重问题).

A shipped dictionary (``rules/data/expression_errors.tsv``: ``wrong<TAB>correct<TAB>note``)
maps wrong forms to their correct form. Only forms that are wrong in every context are listed:
a bare "习近乎" could be part of "学习近乎痴迷", so the dictionary holds "习近乎总书记",
"习近乎同志" … instead. The veto rule is confirmed (C); the dictionary entries are local data.

Matching:

* exact substring matching (no case folding, no whitespace removal) in ``pages.title``,
  ``pages.text`` and ``attachments.text``;
* all wrong forms are compiled into **one** trie-factored regex per audit
  (`rules.data.literal_pattern`), so each text is scanned once whatever the dictionary size;
  at one position the longest wrong form wins ("国务园办公厅" over "国务园"), and matches do not
  overlap (the leftmost wins);
* **exceptions**: a match that lies wholly inside an occurrence of a correct phrase is
  dropped. The exception phrases are ``rules/data/expression_exceptions.txt``, the config's
  ``exceptions`` and, automatically, every correct form of the dictionary that contains some
  wrong form (an entry can never fire on a correct phrase the dictionary itself names);
* one finding per (page or attachment, wrong form, site): ``evidence`` is the wrong form with
  up to ``context_chars`` (10) characters either side at its first occurrence (title first),
  ``detail`` is "「国务园办公厅」应为「国务院办公厅」", ``data`` counts the occurrences per place.

Sites: a page's sites come from ``page_sites`` (departments from the config snapshot); an
attachment belongs to the sites of the pages linking to it. A page no section claims yields
one finding without department or site (it is still a veto-class problem of the crawl).

Config (``rules.expression``): ``extra_entries`` ({wrong: correct} or {wrong: [correct, note]}
or {wrong: {correct:, note:}}; overrides a shipped entry with the same wrong form),
``dictionary_paths`` (files in the TSV format), ``exceptions`` (list of phrases).

Known limits: a wrong form split by whitespace, a line break or markup ("国务园\\n办公厅", often
in PDF text) is not found; full-width/half-width variants must be listed separately; a new
typo is found only once someone adds it to the dictionary.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rules.base import Finding, RuleMeta
from rules.data import entries, literal_pattern, paths_of, shipped_text, user_text
from rules.facts import RunFacts

META = RuleMeta(
    id="expression",
    title="严重表述错误",
    category="expression",
    severity="veto",
    indicator="单项否决·严重问题（严重表述错误）",
    source="国办秘函〔2019〕19号",
    confidence="C",
    identity=("site_id", "url", "data.wrong"),     # one problem per wrong form per document
    threshold={
        "dictionary_paths": [],
        "extra_entries": {},
        "exceptions": [],
        "context_chars": 10,
        "note": "否决规则见19号文（C）；错误写法词典为本地数据（rules/data/expression_errors.tsv），可扩充",
    },
    description="页面标题、正文或附件中出现领导人姓名、党和国家机构名称、重要理论与政策术语的错误写法"
                "（如“国务园办公厅”应为“国务院办公厅”）。",
)

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    wrong: str
    correct: str
    note: str = ""


def parse_tsv(text: str, origin: str) -> dict[str, Entry]:
    """Entries of a dictionary file (``wrong<TAB>correct<TAB>note``)."""
    out = {}
    for number, line in enumerate(entries(text), 1):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{origin}: entry {number} {line!r} is not wrong<TAB>correct[<TAB>note]")
        out[parts[0]] = _entry(parts[0], parts[1], parts[2] if len(parts) > 2 else "", origin)
    return out


def _entry(wrong: str, correct: str, note: str, origin: str) -> Entry:
    if wrong == correct:
        raise ValueError(f"{origin}: entry {wrong!r} maps to itself")
    return Entry(wrong, correct, note)


def _extra_entries(value) -> dict[str, Entry]:
    out = {}
    for wrong, spec in (value or {}).items():
        if isinstance(spec, str):
            correct, note = spec, ""
        elif isinstance(spec, dict):
            correct, note = spec.get("correct", ""), spec.get("note", "")
        else:
            correct, note = (list(spec) + [""])[:2]
        if not wrong or not correct:
            raise ValueError(f"rules.expression.extra_entries: {wrong!r} needs a correct form")
        out[str(wrong)] = _entry(str(wrong), str(correct), str(note or ""), "rules.expression.extra_entries")
    return out


class Dictionary:
    """The wrong forms of one audit, compiled once."""

    def __init__(self, by_wrong: dict[str, Entry], exceptions: list[str] = ()):
        self.entries = by_wrong
        self.pattern = literal_pattern(by_wrong)
        # correct forms that contain a wrong form are exceptions by construction
        wrongs = list(by_wrong)
        own = [e.correct for e in by_wrong.values() if any(w in e.correct for w in wrongs)]
        phrases = sorted({p for p in [*exceptions, *own] if p and any(w in p for w in wrongs)})
        self.exceptions = phrases
        self._longest_exception = max((len(p) for p in phrases), default=0)
        inner = literal_pattern(phrases)
        self._exception = re.compile(f"(?=({inner.pattern}))") if inner else None

    @classmethod
    def from_settings(cls, settings: dict) -> "Dictionary":
        by_wrong = parse_tsv(shipped_text("expression_errors.tsv"), "rules/data/expression_errors.tsv")
        for path in paths_of(settings.get("dictionary_paths")):
            by_wrong.update(parse_tsv(user_text(path), str(path)))
        by_wrong.update(_extra_entries(settings.get("extra_entries")))
        exceptions = entries(shipped_text("expression_exceptions.txt")) + [
            str(p) for p in settings.get("exceptions") or []]
        return cls(by_wrong, exceptions)

    def find(self, text) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of every wrong form in ``text`` outside an exception phrase."""
        if self.pattern is None or not isinstance(text, str) or not text:
            return []
        hits = []
        for m in self.pattern.finditer(text):
            if not self._excepted(text, m.start(), m.end()):
                hits.append((m.start(), m.end(), self.entries[m.group()]))
        return hits

    def _excepted(self, text: str, start: int, end: int) -> bool:
        if self._exception is None:
            return False
        lo = max(0, end - self._longest_exception)
        hi = start + self._longest_exception
        for m in self._exception.finditer(text, lo, hi):
            if m.start(1) <= start and m.end(1) >= end:
                return True
        return False


def _evidence(text: str, start: int, end: int, context: int) -> str:
    left = _WS.sub(" ", text[max(0, start - context):start]).lstrip()
    right = _WS.sub(" ", text[end:end + context]).rstrip()
    return f"{left}{text[start:end]}{right}"


def _documents(facts: RunFacts, sites_by_page: dict[str, list[str]]):
    """(url, source, [(place, text)], site ids, linked_from) of every page and attachment."""
    pages = facts.pages
    for url, title, text in zip(pages["url"], pages["title"], pages["text"]):
        yield url, "page", [("title", title), ("text", text)], sites_by_page.get(url, []), []
    attachments = facts.attachments
    attachments = attachments[attachments["text"].map(lambda t: isinstance(t, str) and bool(t))]
    if attachments.empty:
        return
    links = facts.links
    linking = links[links["url"].isin(set(attachments["url"]))]
    pages_of: dict[str, list[str]] = defaultdict(list)
    for page_url, url in zip(linking["page_url"], linking["url"]):
        if page_url not in pages_of[url]:
            pages_of[url].append(page_url)
    for url, text in zip(attachments["url"], attachments["text"]):
        site_ids = list(sites_by_page.get(url, []))
        for page_url in pages_of.get(url, []):
            site_ids += [s for s in sites_by_page.get(page_url, []) if s not in site_ids]
        yield url, "attachment", [("text", text)], site_ids, pages_of.get(url, [])[:5]


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    dictionary = Dictionary.from_settings(settings)
    context = int(settings.get("context_chars", 10))
    sites = facts.sites
    findings = []
    for url, source, places, site_ids, linked_from in _documents(facts, facts.sites_by_page):
        found: dict[str, dict] = {}
        for place, text in places:
            for start, end, entry in dictionary.find(text):
                hit = found.setdefault(entry.wrong, {"entry": entry, "evidence": _evidence(text, start, end, context),
                                                     "where": place, "places": defaultdict(int)})
                hit["places"][place] += 1
        for hit in found.values():
            entry = hit["entry"]
            data = {"wrong": entry.wrong, "correct": entry.correct, "note": entry.note, "source": source,
                    "first_in": hit["where"], "occurrences": dict(hit["places"]),
                    "count": sum(hit["places"].values())}
            if source == "attachment":
                data["linked_from"] = linked_from
            for site_id in site_ids or [None]:
                site = sites.get(site_id, {}) if site_id else {}
                findings.append(Finding.of(
                    META, department_id=site.get("department"), site_id=site_id, url=url,
                    evidence=hit["evidence"], detail=f"「{entry.wrong}」应为「{entry.correct}」", data=dict(data)))
    return findings
