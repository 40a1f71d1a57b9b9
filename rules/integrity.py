"""暗链与篡改: hidden spam links, injected gambling/porn text, links to spam domains (19号 V8).

A hacked government page (domain.md §3.5) carries hidden gambling/porn links, brand names glued
into its title or body, or links to domains bought by gambling sites. Any of these is a
veto-class severe problem; the rule is confirmed (C), the lexicons are local data.

Lexicons (``rules/data``, one term a line, ``#`` comments, ``[类别]`` sections):

* ``spam_terms.txt`` — **strong** terms: brand names and SEO strings (澳门新葡京, bet365,
  真人百家乐, 彩票计划 …). Latin terms also match link host names as whole pieces
  (``xpj`` in ``xpj888.com``, never in ``alphabet``).
* ``spam_generic.txt`` — **generic** words that also occur in ordinary government text
  (赌博, 色情, 代开发票 …).
* ``spam_signals.txt`` — SEO / solicitation words (官网, 开户, QQ群, 送彩金 …).
* ``condemnation_context.txt`` — words of the articles that *name* gambling to condemn it
  (打击, 查处, 警惕, 禁毒, 反诈, 抓获 …).
* ``spam_domains.txt`` — registrable domains of gambling/porn sites.

Scoring. Texts (title, body, anchor texts) are lower-cased and scanned once by one combined
trie regex of all terms (`rules.data.literal_pattern`, which also holds the full-width forms of
latin terms, "ｂｅｔ３６５"); only the windows around occurrences are NFKC-normalised and scanned
for signals and condemnation, so clean pages cost one regex pass. Each occurrence scores::

    weight               strong 3 · generic 1
  + signals              +1 per distinct signal word within ``window`` (30) chars, at most +2
  + domain               +1 a non-government domain or URL within the window
  + contact              +1 "QQ/微信" followed by a number within the window
  + stuffing             +1 another distinct spam term within the window
  + glued (titles)       +1 the term is glued to a configured unit name ("澳门新葡京-青溪区教育局")
  + hidden (links)       +1 the anchor is hidden by CSS, in a comment, or written by a script
  + external (links)     +1 the link leaves the configured hosts for a non-government host
  − condemnation         −3 a condemnation word in the same clause (the window cut at 。！？；
                            and line breaks; a title is one clause), so "依法打击澳门新葡京等
                            赌博网站" and "警惕！这些“百家乐”都是赌博陷阱" do not count
  − topic                −2 (instead of −3) when the clause has none but another occurrence on
                            the page has: the page is an article *about* gambling

and counts when it reaches ``score_threshold`` (3). So a strong term counts on its own unless an
article condemns it; a generic word needs two independent signs (a hidden external link, a
gambling URL, solicitation words); an injected SEO string inside an anti-gambling article still
counts when it brings URLs or solicitation words. A link to a listed spam domain counts always;
a host name containing a latin strong term counts as a strong term (+1 hidden, +1 external).

One finding per page (per site of the page, ``page_sites`` joined with the config snapshot; a
page no section claims yields one finding without department or site). ``evidence`` is the
matched term(s) (and target host), ``detail`` one sentence per kind of problem, ``data`` the
scored hits (where, term, category, score, signals, condemnation, discount, target). Page text is never copied.

Config (``rules.integrity``): ``extra_terms`` / ``extra_generic_terms`` (list, or
{类别: [词]}), ``extra_domains``, ``extra_condemnation``, ``extra_signals`` (lists),
``lexicon_paths`` ({"terms"|"generic"|"signals"|"condemnation"|"domains": path or [paths]};
a plain list is read as extra strong-term files; relative paths resolve against the working
directory; a missing file is an error), ``score_threshold``, ``window``, ``max_hits`` (hits kept
in ``data``).

Known limits: terms split by spaces or symbols ("澳 门 新 葡 京"), written in images, pinyin
initials or homoglyphs are not found; hidden text that is not a link is not stored by the crawler
(only visible ``pages.text``), so hidden keyword stuffing without links is missed; an expired
link whose domain was bought by a gambling site is found only when the domain is listed (the
rule never fetches); the condemnation context is lexical, so an injected string that happens to
sit in a sentence with "依法" or "违法" is discounted; a planted link in a shared footer yields
one finding on every page that carries the footer.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.data import entries, literal_pattern, paths_of, sectioned_terms, shipped_text, user_text
from rules.facts import RunFacts

META = RuleMeta(
    id="integrity",
    title="暗链与篡改",
    category="integrity",
    severity="veto",
    indicator="单项否决·严重问题（发布或链接色情等内容、挂马/篡改）",
    source="国办秘函〔2019〕19号",
    confidence="C",
    threshold={
        "score_threshold": 3,
        "window": 30,
        "extra_terms": [],
        "extra_generic_terms": [],
        "extra_domains": [],
        "extra_condemnation": [],
        "extra_signals": [],
        "lexicon_paths": {},
        "max_hits": 20,
        "note": "否决规则见19号文（C）；违规词、佐证词、谴责语境词与违规域名为本地数据（rules/data），可扩充",
    },
    description="页面存在隐藏的博彩、色情等违规链接（暗链），标题或正文被植入博彩、色情等违规内容，"
                "或链接至违规域名。",
)

STRONG, GENERIC = 3, 1
DEFAULT_CATEGORY = "违规"
_CLAUSE_END = re.compile(r"[。！？!?；;\n]")
_DOMAIN = re.compile(r"(?:https?://|www\.)[^\s\"'<>]*|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
                     r"\.(?:com|net|org|cc|vip|top|xyz|me|tv|co|info|app|bet|club|live|io|asia|hk|mo|tw|cn|in|win|site|"
                     r"online|shop|fun|ink|pw|ws|la|so)(?![a-z0-9])")
_CONTACT = re.compile(r"(?:qq|微信|vx|v信|加v)[^\d\n]{0,4}\d{5,}")
_GLUE_GAP = re.compile(r"^[\s\-_|—–~·:,、()\[\]【】<>《》]*$")
_LATIN = re.compile(r"[a-z]")
_WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}   # ASCII -> full-width form
_SENTENCES = {"title": "页面标题", "text": "页面正文"}


def norm(text) -> str:
    """NFKC (full-width to half-width) and lower case: the form every lexicon is matched in."""
    return unicodedata.normalize("NFKC", text).lower() if isinstance(text, str) else ""


def _gov_host(host: str) -> bool:
    return host == "gov.cn" or host.endswith(".gov.cn") or host.endswith(".gov")


def _host(url) -> str:
    if not isinstance(url, str):
        return ""
    try:
        return (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _domain_entry(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = _host(value)
    return value.split("/")[0].split(":")[0].strip(".")


# ---------------------------------------------------------------- lexicon

@dataclass
class Lexicon:
    """The lexicons of one audit, normalised and compiled once."""
    terms: dict[str, tuple[int, str]]          # normalised term -> (weight, category)
    signals: list[str]
    condemnation: list[str]
    domains: set[str]
    variants: dict[str, str] = field(init=False)  # scanned form -> normalised term
    term_re: re.Pattern | None = field(init=False)
    signal_re: re.Pattern | None = field(init=False)
    condemn_re: re.Pattern | None = field(init=False)
    host_re: re.Pattern | None = field(init=False)

    def __post_init__(self):
        # full-width forms of latin terms ("ｂｅｔ３６５") are scanned for without normalising texts
        self.variants = {term: term for term in self.terms}
        self.variants.update({term.translate(_WIDE): term for term in self.terms if term.translate(_WIDE) != term})
        self.term_re = literal_pattern(self.variants)
        self.signal_re = literal_pattern(self.signals)
        self.condemn_re = literal_pattern(self.condemnation)
        latin = [t for t, (weight, _) in self.terms.items() if weight == STRONG and re.fullmatch(r"[a-z0-9]+", t)]
        inner = literal_pattern(latin)
        # a latin term is a whole piece of a host label: not glued to other letters
        self.host_re = re.compile(f"(?<![a-z])(?:{inner.pattern})(?![a-z])") if inner else None

    @classmethod
    def from_settings(cls, settings: dict) -> "Lexicon":
        paths = settings.get("lexicon_paths") or {}
        if not isinstance(paths, dict):
            paths = {"terms": paths}
        unknown = set(paths) - {"terms", "generic", "signals", "condemnation", "domains"}
        if unknown:
            raise ValueError(f"rules.integrity.lexicon_paths: unknown lexicon(s) {sorted(unknown)}")

        def texts(shipped: str, kind: str) -> list[str]:
            return [shipped_text(shipped)] + [user_text(p) for p in paths_of(paths.get(kind))]

        terms: dict[str, tuple[int, str]] = {}
        for weight, shipped, kind, extra in ((GENERIC, "spam_generic.txt", "generic", "extra_generic_terms"),
                                             (STRONG, "spam_terms.txt", "terms", "extra_terms")):
            pairs = [pair for text in texts(shipped, kind) for pair in sectioned_terms(text, DEFAULT_CATEGORY)]
            pairs += _extra_terms(settings.get(extra))
            for term, category in pairs:   # strong after generic: a term in both lists is strong
                if norm(term).strip():
                    terms[norm(term).strip()] = (weight, category)

        def words(shipped: str, kind: str, extra: str) -> list[str]:
            found = [w for text in texts(shipped, kind) for w in entries(text)]
            return sorted({norm(w).strip() for w in found + [str(x) for x in settings.get(extra) or []]} - {""})

        domains = {_domain_entry(d) for d in words("spam_domains.txt", "domains", "extra_domains")} - {""}
        return cls(terms=terms, signals=words("spam_signals.txt", "signals", "extra_signals"),
                   condemnation=words("condemnation_context.txt", "condemnation", "extra_condemnation"),
                   domains=domains)

    def listed_domain(self, host: str) -> str | None:
        """The listed domain ``host`` is or belongs to."""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            candidate = ".".join(parts[i:])
            if candidate in self.domains:
                return candidate
        return None

    def host_term(self, host: str) -> str | None:
        if self.host_re is None or not host:
            return None
        m = self.host_re.search(host)
        return m.group() if m else None


def _extra_terms(value) -> list[tuple[str, str]]:
    if not value:
        return []
    if isinstance(value, dict):
        return [(str(t), str(category)) for category, terms in value.items() for t in terms]
    return [(str(t), DEFAULT_CATEGORY) for t in value]


# ---------------------------------------------------------------- scoring

@dataclass
class Occurrence:
    term: str
    weight: int
    category: str
    start: int
    end: int
    signals: list[str]
    condemned: list[str]
    bonus: int = 0

    def penalty(self, topic: bool) -> int:
        return 3 if self.condemned else (2 if topic else 0)

    def score(self, topic: bool) -> int:
        return self.weight + self.bonus + self._boosts() - self.penalty(topic)

    def _boosts(self) -> int:
        words = [s for s in self.signals if not s.startswith("@")]
        return min(len(words), 2) + sum(1 for s in self.signals if s.startswith("@"))


def _latin_boundary_ok(text: str, start: int, end: int, term: str) -> bool:
    """A latin term is not part of a longer latin word ("bet365" not in "alphabet365")."""
    if _LATIN.match(term[0]) and start > 0 and _LATIN.match(norm(text[start - 1])):
        return False
    return not (_LATIN.match(term[-1]) and end < len(text) and _LATIN.match(norm(text[end])))


def occurrences(text, lex: Lexicon, window: int, limit: int = 200, whole: bool = False) -> list[Occurrence]:
    """Every spam-term occurrence of a text, with the signals and condemnation around it
    (condemnation in the same clause, or anywhere in the text when ``whole``: a title).

    The text is only lower-cased for the scan (the term regex also holds the full-width forms
    of latin terms); the windows around occurrences are NFKC-normalised, so normalising a
    100,000-page run costs only where terms occur."""
    if lex.term_re is None or not isinstance(text, str) or not text:
        return []
    low = text.lower()
    matches = []
    for m in lex.term_re.finditer(low):
        term = lex.variants[m.group()]
        if _latin_boundary_ok(low, m.start(), m.end(), term):
            matches.append((m.start(), m.end(), term))
            if len(matches) >= limit:
                break
    found = []
    for i, (start, end, term) in enumerate(matches):
        weight, category = lex.terms[term]
        left, right = norm(low[max(0, start - window):start]), norm(low[end:end + window])
        signals = sorted({s.group() for part in (left, right) for s in lex.signal_re.finditer(part)}) \
            if lex.signal_re else []
        if any(_non_gov_domain(d) for d in _DOMAIN.findall(left + term + right)):
            signals.append("@域名")
        if _CONTACT.search(left + " " + right):
            signals.append("@联系方式")
        if _stuffed(matches, i, window):
            signals.append("@多个违规词")
        clause = norm(low) if whole else _CLAUSE_END.split(left)[-1] + term + _CLAUSE_END.split(right)[0]
        condemned = sorted({c.group() for c in lex.condemn_re.finditer(clause)}) if lex.condemn_re else []
        found.append(Occurrence(term, weight, category, start, end, signals, condemned))
    return found


def _stuffed(matches: list[tuple[int, int, str]], i: int, window: int) -> bool:
    """Another distinct term within ``window`` characters of occurrence ``i`` (matches are
    in text order)."""
    start, end, term = matches[i]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(matches):
            o_start, o_end, o_term = matches[j]
            if o_start >= end + window or o_end <= start - window:
                break
            if o_term != term:
                return True
            j += step
    return False


def _non_gov_domain(domain: str) -> bool:
    """A domain or URL that counts as a sign: not a government one."""
    return not _gov_host(_host(domain if "://" in domain else "http://" + domain))


def _glued(title: str, occ: Occurrence, units: list[str]) -> bool:
    for unit in units:
        for m in re.finditer(re.escape(unit), title):
            if m.start() >= occ.end and _GLUE_GAP.match(title[occ.end:m.start()]):
                return True
            if m.end() <= occ.start and _GLUE_GAP.match(title[m.end():occ.start]):
                return True
    return False


def _hit(where: str, occ: Occurrence, score: int, topic: bool = False, glued: bool = False, **extra) -> dict:
    signals = [s.lstrip("@") for s in occ.signals] + (["标题与单位名称相连"] if glued else [])
    return {"where": where, "term": occ.term, "category": occ.category, "score": score, "signals": signals,
            "condemnation": occ.condemned, "discount": occ.penalty(topic), **extra}


def page_hits(title, text, lex: Lexicon, settings: dict, units: list[str]) -> list[dict]:
    """Hits of a page's title and body text that reach the threshold."""
    window, threshold = int(settings["window"]), int(settings["score_threshold"])
    title_n = norm(title)
    in_title = occurrences(title_n, lex, window, whole=True)
    glued = set()
    for i, occ in enumerate(in_title):
        if _glued(title_n, occ, units):
            occ.bonus += 1
            glued.add(i)
    in_text = occurrences(text, lex, window)
    if not in_title and not in_text:
        return []
    topic = any(o.condemned for o in in_title + in_text)
    hits = []
    for where, occs in (("title", in_title), ("text", in_text)):
        for i, occ in enumerate(occs):
            score = occ.score(topic)
            if score >= threshold:
                hits.append(_hit(where, occ, score, topic=topic, glued=where == "title" and i in glued))
    return hits


def link_hits(links: pd.DataFrame, lex: Lexicon, settings: dict) -> dict[str, list[dict]]:
    """page URL -> hits of its outgoing links (hidden spam links, spam domains)."""
    window, threshold = int(settings["window"]), int(settings["score_threshold"])
    links = links[links["context"].fillna("a") != "next"]
    if links.empty:
        return {}
    hosts = {url: _host(url) for url in links["url"].dropna().unique()}
    out: dict[str, list[dict]] = defaultdict(list)
    hidden_col = links["hidden"].map(lambda v: bool(v) if not pd.isna(v) else False)
    internal_col = links["internal"].map(lambda v: (not pd.isna(v)) and bool(v))
    rows = zip(links["page_url"], links["url"], links["text"], hidden_col, links["context"].fillna("a"), internal_col)
    for page_url, url, text, hidden, context, internal in rows:
        host = hosts.get(url, "")
        external = not internal and bool(host) and not _gov_host(host)
        concealed = hidden or context in ("comment", "script")
        listed = lex.listed_domain(host) if host and not internal else None
        token = lex.host_term(host) if external else None
        if not (listed or token or concealed):
            continue
        anchor = norm(text)
        target = {"target": url, "host": host, "context": context, "hidden": bool(hidden),
                  "anchor": _shown(text if isinstance(text, str) else "", 40)}
        hits = []
        if concealed:
            for occ in occurrences(anchor, lex, window):
                occ.bonus += 1 + (1 if external else 0)
                score = occ.score(False)
                if score >= threshold:
                    hits.append(_hit("hidden_link", occ, score, **target))
        if listed and hits:
            for hit in hits:
                hit.update(listed=True, listed_domain=listed)
                hit["signals"].append("违规域名清单")
        elif listed:
            hits.append({"where": "hidden_link" if concealed else "link_domain", "term": listed,
                         "category": DEFAULT_CATEGORY, "score": None, "signals": ["违规域名清单"],
                         "condemnation": [], "discount": 0, "listed": True, "listed_domain": listed, **target})
        elif token and hits:
            for hit in hits:
                hit["signals"].append(f"域名含「{token}」")
        elif token:
            weight, category = lex.terms[token]
            score = weight + (1 if concealed else 0) + 1
            if score >= threshold:
                hits.append({"where": "hidden_link" if concealed else "link_domain", "term": token,
                             "category": category, "score": score, "signals": ["域名含违规词"],
                             "condemnation": [], "discount": 0, **target})
        if hits:
            out[page_url] += hits
    return out


# ---------------------------------------------------------------- findings

def _shown(text: str, limit: int = 20) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _sentence(hit: dict) -> str:
    where, term = hit["where"], hit["term"]
    if where in _SENTENCES:
        return f"{_SENTENCES[where]}含{hit['category']}类词语「{term}」，疑似被篡改"
    host, anchor = hit["host"], hit["anchor"]
    label = f"「{_shown(anchor)}」" if anchor else ""
    if where == "link_domain":
        if hit.get("listed"):
            return f"页面链接{label}指向违规域名 {host}，疑似链接违规内容"
        return f"页面链接{label}指向疑似违规域名 {host}（域名含「{term}」），疑似被植入违规链接"
    if hit["context"] == "script":
        kind = "页面存在由脚本写入的隐藏链接" if hit["hidden"] else "页面存在由脚本写入的链接"
    elif hit["context"] == "comment":
        kind = "页面源代码注释中存在链接"
    else:
        kind = "页面存在隐藏链接"
    if hit.get("listed"):
        target = f"违规域名 {host}"
    elif term not in norm(anchor):
        target = f" {host}（域名含「{term}」）"
    else:
        target = f" {host}"
    return f"{kind}{label}指向{target}，疑似被植入暗链"


_ORDER = {"hidden_link": 0, "title": 1, "text": 2, "link_domain": 3}


def _detail(hits: list[dict]) -> str:
    first_of_kind = {}
    for hit in sorted(hits, key=lambda h: _ORDER[h["where"]]):
        first_of_kind.setdefault(hit["where"], hit)
    sentences = [_sentence(h) for h in first_of_kind.values()]
    more = len(hits) - len(first_of_kind)
    return "；".join(sentences) + (f"（共{len(hits)}处）" if more > 0 else "")


def _evidence(hits: list[dict]) -> str:
    labels = []
    for hit in sorted(hits, key=lambda h: _ORDER[h["where"]]):
        label = hit["term"]
        if hit["where"] in ("hidden_link", "link_domain") and hit["host"]:
            label = hit["host"] if hit["term"] in hit["host"] else f"{hit['term']}→{hit['host']}"
        if label not in labels:
            labels.append(label)
    shown = "、".join(labels[:3])
    return shown + (f"等{len(labels)}项" if len(labels) > 3 else "")


def _units(facts: RunFacts) -> list[str]:
    names = [site.get("name") for site in facts.config.get("sites", [])]
    names += [dept.get("name") for dept in facts.config.get("departments", [])]
    return sorted({norm(n).strip() for n in names if isinstance(n, str) and len(n.strip()) >= 2}, key=len,
                  reverse=True)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    settings = META.settings(settings)
    lex = Lexicon.from_settings(settings)
    units = _units(facts)
    by_page: dict[str, list[dict]] = defaultdict(list)
    pages = facts.pages
    titles = {}
    for url, title, text in zip(pages["url"], pages["title"], pages["text"]):
        hits = page_hits(title, text, lex, settings, units)
        if hits:
            by_page[url] += hits
            titles[url] = title
    for page_url, hits in link_hits(facts.links, lex, settings).items():
        by_page[page_url] += hits

    sites_of = facts.sites_by_page
    max_hits = int(settings["max_hits"])
    findings = []
    for page_url in sorted(by_page):
        hits = by_page[page_url]
        data = {"hits": hits[:max_hits], "hit_count": len(hits), "score_threshold": int(settings["score_threshold"])}
        if any(h["where"] == "title" for h in hits):
            data["title"] = _shown(titles[page_url], 80)
        for site_id in sites_of.get(page_url) or [None]:
            site = facts.sites.get(site_id, {}) if site_id else {}
            findings.append(Finding.of(META, department_id=site.get("department"), site_id=site_id, url=page_url,
                                       evidence=_evidence(hits), detail=_detail(hits), data=dict(data)))
    return findings
