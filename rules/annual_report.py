"""政府信息公开工作年度报告: the latest due report exists, on time, in the 2021 format, with
tables that add up.

Which report is due (《政府信息公开条例》第四十九条, C): the report of year Y is due by 1月31日 of
Y+1 from a department, by 3月31日 from a government for its own report. Sites listed in
``government_sites`` are governments, every other site a department. As of ``as_of`` the due
year is the latest Y whose deadline lies before ``as_of`` (on the deadline day itself it is not
late yet).

A site's report documents, found by title (``title_patterns``: "2025年度…政府信息公开工作年度报告",
"…2025年政府信息公开工作年度报告", "…2025年度政府信息公开年报", "…年度报告（2025年度）"; never
titles with ``exclude_words`` such as 工作要点, 工作计划, 解读, 通知): its attributed document pages
(kind article/other; <title> pieces and the ArticleTitle meta), entries of its list pages, and
attachments its pages link to (by anchor text). Only the site's own: a title that names an issuer
before the year ("青溪区教育局2025年…") must name the site or its department (config names,
``issuer_names`` adds aliases per site id) — so a portal's 年报 column listing every department's
report does not count those as the portal's own. The year is the one written 年度 or nearest the
report phrase.

Findings, one ``data["check"]`` each:

* ``missing`` — no report of the due year (C).
* ``late`` — the earliest date the site shows for it (page publication date, list entry date, the
  linking page's date for an attachment) is after the deadline (C).
* ``headings`` — the six headings of 国办公开办函〔2021〕30号 (一、总体情况 … 六、其他需要报告的事项) are
  not all present, or not in order; the detail names which (C). Checked on the page text, or on
  the text of an attachment the report page links to (a report published as a PDF/DOCX) —
  whichever shows most headings. Fewer than 2 headings and no old layout: not checkable (an image
  PDF, an attachment not downloaded), no finding.
* ``old_layout`` — the pre-2019 layout (一、概述 … 七、其他需要报告的事项), named as such instead
  of ``headings`` (C).
* ``table`` — the 收到和处理政府信息公开申请情况 table, where it is an HTML table (``page_tables``):
  per applicant column (自然人 … 其他, 总计) 予以公开 + 部分公开 + Σ不予公开 + Σ无法提供 + Σ不予处理 +
  Σ其他处理 = 总计 (identity ``results``), and 本年新收 + 上年结转 = 总计 + 结转下年度继续办理
  (identity ``balance``). Rows are matched by their labels (merged label cells repeat across the
  grid), a group's sub-rows summed (its own row when it has none); blanks and dashes are 0. A
  column with an unreadable number, or with a non-zero number in a row no label explains, is
  not judged. One finding per failing identity and column, with the numbers (P).

Points of each finding are a local default (U, ``note``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote

from rules.base import Finding, RuleMeta, as_date, cn_date
from rules.facts import RunFacts

META = RuleMeta(
    id="annual_report",
    title="政府信息公开工作年度报告问题",
    category="annual_report",
    severity="deduct",
    indicator="政府信息公开工作年度报告",
    source="《政府信息公开条例》第四十九条、第五十条；国办公开办函〔2021〕30号",
    confidence="C",
    identity=("site_id", "data.year", "data.check", "data.identity", "data.applicant"),
    threshold={
        "government_sites": [],
        "department_deadline": "01-31",
        "government_deadline": "03-31",
        "checks": ["missing", "late", "headings", "old_layout", "table"],
        "exclude_words": ["要点", "工作计划", "解读", "图解", "通知", "报送", "格式", "模板", "编制", "培训", "考核"],
        "issuer_names": {},
        "note": "年报时限与格式为法定要求（C）；表格勾稽关系为很可能的核验口径（P）；扣分分值为本地默认值（U）",
    },
    description="最近一个已到期年度的政府信息公开工作年度报告应已发布：部门年报于次年1月31日前、本级政府年报于"
                "次年3月31日前（《条例》第四十九条，本级政府站点由 government_sites 配置）；应按国办公开办函〔2021〕"
                "30号格式包含六个标题且顺序正确，仍用2019年以前旧版格式的单独指出；HTML表格形式的“收到和处理政府"
                "信息公开申请情况”表应满足勾稽关系：各申请人列予以公开、部分公开、不予公开、无法提供、不予处理、"
                "其他处理之和等于总计，本年新收加上年结转等于办理总计加结转下年度继续办理（P）。扣分分值为本地默认值。",
)

_DOC_KINDS = ("article", "other")
_TITLE_SPLIT = re.compile(r"\s*(?:_|｜|\||\s-\s|\s—\s)\s*")
_REPORT = re.compile(r"(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:年度(?:工作)?报告|年报)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(度)?")
_ISSUER_NOISE = re.compile(r"[\s《》〈〉<>【】\[\]（）()“”\"'：:，,。·]|^关于|的$")
_NAME_SUFFIXES = ("门户网站", "网站", "政府信息公开专栏", "信息公开专栏", "政府信息公开", "信息公开", "政务公开", "专栏",
                  "平台")
_GOVERNMENT = re.compile(r"(?:人民)?政府$")

#: The six headings of 国办公开办函〔2021〕30号 (tolerant to "的" and spacing).
HEADINGS = (
    ("一、总体情况", r"总体情况"),
    ("二、主动公开政府信息情况", r"主动公开政府信息的?情况"),
    ("三、收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请的?情况"),
    ("四、政府信息公开行政复议、行政诉讼情况", r"(?:政府信息公开)?行政复议[、和及与]?(?:提起)?行政诉讼的?情况"),
    ("五、存在的主要问题及改进情况", r"存在的?主要问题及(?:其)?改进情况"),
    ("六、其他需要报告的事项", r"其[他它]需要报告的事项"),
)
_NUMBERED = r"[一二三四五六七八九十]{1,2}[、.．，,]"
_HEADING_RES = tuple(re.compile(_NUMBERED + pattern) for _, pattern in HEADINGS)
#: Headings of the pre-2019 layout (2008 条例): 一、概述 … 七、其他需要报告的事项.
_OLD_OVERVIEW = re.compile(_NUMBERED + r"概述")
_OLD_MARKERS = tuple(re.compile(p) for p in (
    _NUMBERED + r"依申请公开政府信息的?情况", _NUMBERED + r"(?:政府信息公开的?)?收费及减免的?情况",
    _NUMBERED + r"因政府信息公开申请(?:提起)?行政复议", r"七[、.．，,]其[他它]需要报告的事项"))
MIN_HEADINGS = 2

_APPLICANT_RES = (("自然人", re.compile(r"自然人")), ("商业企业", re.compile(r"商业企业")),
                  ("科研机构", re.compile(r"科研机构")), ("社会公益组织", re.compile(r"(?:社会)?公益组织")),
                  ("法律服务机构", re.compile(r"法律服务机构")), ("其他", re.compile(r"其[他它](?:组织)?")),
                  ("总计", re.compile(r"总计|合计")))
#: Row keys of the application table, tested in this order on a row's label.
_ROWS = (("carried_out", re.compile(r"结转下年")), ("carried_in", re.compile(r"上年结转")),
         ("new", re.compile(r"本年新收|新收")), ("other", re.compile(r"其[他它]处理")),
         ("dismiss", re.compile(r"不予处理|不予受理")), ("cannot", re.compile(r"无法提供")),
         ("refuse", re.compile(r"不予公开")), ("partial", re.compile(r"部分公开")),
         ("full", re.compile(r"予以公开")), ("total", re.compile(r"总计")))
_GROUPS = ("refuse", "cannot", "dismiss", "other")
_SUBTOTAL = re.compile(r"^(?:小计|合计)$")
_ZERO = re.compile(r"^(?:[-—–－―─/／\\]*|无|〇|零)$")
_NUMBER = re.compile(r"^(\d+)(?:件|个|条|人次)?$")
_NAMES = {"full": "予以公开", "partial": "部分公开", "refuse": "不予公开", "cannot": "无法提供", "dismiss": "不予处理",
          "other": "其他处理", "total": "总计", "new": "本年新收", "carried_in": "上年结转",
          "carried_out": "结转下年度继续办理"}


# ---------------------------------------------------------------- titles


def report_year(title: str, exclude_words: list[str]) -> tuple[int, str] | None:
    """(year, issuer) when `title` names a 政府信息公开工作年度报告 of one year; issuer is the text
    naming who reports ("" when the title names nobody)."""
    phrase = _REPORT.search(title)
    if phrase is None or any(w and w in title for w in exclude_words):
        return None
    years = list(_YEAR.finditer(title))
    if not years:
        return None
    marked = [m for m in years if m.group(2)]
    before = [m for m in years if m.end() <= phrase.start()]
    chosen = marked[0] if marked else before[-1] if before else years[0]
    issuer = title[:phrase.start()]
    issuer = (issuer[:chosen.start()] + issuer[chosen.end():]) if chosen.end() <= phrase.start() else issuer
    return int(chosen.group(1)), _ISSUER_NOISE.sub("", issuer)


def _core(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, changed = name[:-len(suffix)], True
    return _GOVERNMENT.sub("", name)


def _own_issuer(issuer: str, names: list[str]) -> bool:
    """An unnamed issuer, or one that is (a suffix of, or ends with) the site's own name."""
    issuer = _core(issuer)
    if not issuer:
        return True
    for name in names:
        if len(name) >= 2 and (issuer == name or name.endswith(issuer) and len(issuer) >= 2
                               or issuer.endswith(name)):
            return True
    return False


def _doc_titles(title, meta) -> list[str]:
    out = [t for t in _TITLE_SPLIT.split(title) if t.strip()] if isinstance(title, str) else []
    if isinstance(meta, str) and meta.strip().startswith("{"):
        try:
            article = json.loads(meta).get("ArticleTitle")
        except ValueError:
            article = None
        if isinstance(article, str) and article.strip():
            out.insert(0, article.strip())
    return out


# ---------------------------------------------------------------- documents of a site


@dataclass
class Report:
    """One report document of a site: a page, a listed entry or an attachment (by URL)."""
    url: str
    title: str
    year: int
    dates: list[tuple[date, str]] = field(default_factory=list)   # (date, where it was read)
    is_page: bool = False
    column: str | None = None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Index:
    """The run's facts indexed once for every site."""

    def __init__(self, facts: RunFacts, settings: dict):
        self.exclude = list(settings["exclude_words"])
        pages = facts.pages.drop_duplicates("url")
        self.pages = {row.url: row for row in pages.itertuples() if isinstance(row.url, str)}
        attachments = facts.attachments.drop_duplicates("url")
        self.attachment_text = {u: t for u, t in zip(attachments["url"], attachments["text"]) if isinstance(t, str)}
        links = facts.links[facts.links["url"].isin(set(attachments["url"]))]
        self.attachments_of: dict[str, list[tuple[str, str]]] = {}
        for page_url, url, text in zip(links["page_url"], links["url"], links["text"]):
            self.attachments_of.setdefault(page_url, []).append((url, _text(text)))
        self.items_of: dict[str, list] = {}
        for row in facts.list_items.itertuples():
            self.items_of.setdefault(row.page_url, []).append(row)
        self.site_pages: dict[str, list[str]] = {}
        for page_url, sites in facts.sites_by_page.items():
            for site_id in sites:
                self.site_pages.setdefault(site_id, []).append(page_url)
        self.tables: dict[str, list] = {}
        for row in facts.page_tables.sort_values("position").itertuples():
            self.tables.setdefault(row.page_url, []).append(row.cells)

    def _match(self, titles: list[str], names: list[str]) -> tuple[int, str, bool] | None:
        """(year, title, own) of the first title naming a report."""
        for title in titles:
            found = report_year(title, self.exclude)
            if found:
                return found[0], title, _own_issuer(found[1], names)
        return None

    def reports(self, site_id: str, names: list[str]) -> tuple[list[Report], list[str]]:
        """The site's own report documents (merged per URL), and titles of other units' reports."""
        docs: dict[str, Report] = {}
        others: list[str] = []

        def add(url, titles, day, source, is_page=False, column=None):
            found = self._match(titles, names) if isinstance(url, str) else None
            if found is None:
                return
            year, title, own = found
            if not own:
                others.append(title)
                return
            doc = docs.setdefault(url, Report(url=url, title=title, year=year))
            doc.is_page = doc.is_page or is_page
            doc.column = doc.column or column
            if day is not None:
                doc.dates.append((day, source))

        for page_url in sorted(self.site_pages.get(site_id, [])):
            page = self.pages.get(page_url)
            if page is not None and page.kind in _DOC_KINDS and page.status == 200:
                add(page_url, _doc_titles(page.title, page.meta), as_date(page.published), "page",
                    is_page=True, column=_text(page.column_name) or None)
            for item in self.items_of.get(page_url, []):
                column = _text(page.column_name) if page is not None else ""
                add(item.url, [_text(item.title)], as_date(item.date), "list", column=column or None)
            for url, anchor in self.attachments_of.get(page_url, []):
                add(url, [anchor, unquote(url.rsplit("/", 1)[-1])], None, "")
        return sorted(docs.values(), key=lambda d: d.url), others

    def texts(self, doc: Report) -> list[tuple[str, str]]:
        """(source, text) of a report: its page text, the text of the attachments the page links
        to, or its own text when the report is an attachment."""
        out = []
        page = self.pages.get(doc.url)
        if page is not None and isinstance(page.text, str):
            out.append(("page", page.text))
        for url, _ in self.attachments_of.get(doc.url, []):
            if url in self.attachment_text:
                out.append((url, self.attachment_text[url]))
        if doc.url in self.attachment_text:
            out.append((doc.url, self.attachment_text[doc.url]))
        return out


# ---------------------------------------------------------------- format


@dataclass
class Layout:
    found: dict[int, int]          # heading index -> position in the compact text
    old: bool

    @property
    def score(self) -> tuple[int, bool]:
        return len(self.found), self.old


def layout_of(text: str) -> Layout:
    compact = re.sub(r"\s+", "", text)
    found = {}
    for i, pattern in enumerate(_HEADING_RES):
        m = pattern.search(compact)
        if m:
            found[i] = m.start()
    markers = sum(1 for p in _OLD_MARKERS if p.search(compact))
    old = bool(_OLD_OVERVIEW.search(compact)) and markers >= 1 or markers >= 2
    return Layout(found, old)


def format_problem(layout: Layout) -> tuple[str, str, dict] | None:
    """(check, what is wrong in Chinese, data) or None when the six headings are present in order."""
    complete = len(layout.found) == len(HEADINGS)
    in_order = list(layout.found) == sorted(layout.found, key=layout.found.get)
    if complete and in_order:
        return None
    if layout.old:
        return "old_layout", "仍使用2019年以前的旧版年报格式（“一、概述……七、其他需要报告的事项”）", {}
    missing = [HEADINGS[i][0] for i in range(len(HEADINGS)) if i not in layout.found]
    order = sorted(layout.found, key=layout.found.get)
    parts = []
    if missing:
        parts.append("缺少" + "".join(f"「{h}」" for h in missing))
    if not in_order:
        parts.append("标题顺序不符（实际顺序：" + "".join(f"「{HEADINGS[i][0].split('、', 1)[1]}」" for i in order) + "）")
    data = {"missing_headings": missing, "heading_order": [HEADINGS[i][0] for i in order]}
    return "headings", "；".join(parts), data


# ---------------------------------------------------------------- the application table


def _norm(text) -> str:
    return re.sub(r"\s+", "", text) if isinstance(text, str) else ""


def _number(text: str) -> int | None:
    """A cell as a count: blanks and dashes are 0; None when it is not a number."""
    t = _norm(text).translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(",", "").replace("，", "")
    if _ZERO.match(t):
        return 0
    m = _NUMBER.match(t)
    return int(m.group(1)) if m else None


def _row_key(label: str) -> str | None:
    for key, pattern in _ROWS:
        if pattern.search(label):
            return key
    return None


def _segments(cells: list[str]) -> list[str]:
    """Label cells without the repeats a merged cell leaves."""
    out: list[str] = []
    for cell in map(_norm, cells):
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _applicant(cell: str) -> str | None:
    cell = _norm(cell)
    return next((name for name, pattern in _APPLICANT_RES if pattern.fullmatch(cell)), None)


def _columns(header: list[list[str]]) -> dict[int, str]:
    """Grid column -> applicant, from the header rows (the lowest matching header cell wins)."""
    out: dict[int, str] = {}
    for row in header:
        for c, cell in enumerate(row):
            name = _applicant(cell)
            if name:
                out[c] = name
    return out


_UNREADABLE = "?"
ABSENT = "absent"


@dataclass
class ApplicationTable:
    columns: dict[int, str]                          # grid column -> applicant
    rows: dict[str, list[tuple[bool, list[str]]]]    # row key -> [(sub-row?, data cells)]
    unexplained: list[list[str]]                     # data cells of rows no label explains (or shifted)


def _is_count(cell: str) -> bool:
    return bool(_NUMBER.match(_norm(cell)))


def _is_sub_row(segments: list[str], key: str) -> bool:
    """A group's sub-item row: a label after the group's own (1.属于国家秘密), in the next cell
    or in the same cell after the group name; a 小计 row is the group's own."""
    pattern = dict(_ROWS)[key]
    at = next((i for i, s in enumerate(segments) if pattern.search(s)), None)
    if at is None:
        return False
    rest = pattern.split(segments[at], 1)[-1]
    return bool(re.match(r"\d+[.．、]", rest)) or any(not _SUBTOTAL.match(s) for s in segments[at + 1:])


def parse_application_table(grid: list[list[str]]) -> ApplicationTable | None:
    """The 收到和处理政府信息公开申请情况 table, or None when `grid` is not one.

    Header rows are those above the first row with a count; they name the applicant columns.
    Every other row is classified by its label cells (left of the first applicant column)."""
    first = next((i for i, row in enumerate(grid) if any(map(_is_count, row))), None)
    columns = _columns(grid[:first]) if first else {}
    if not columns:
        return None
    start, order = min(columns), sorted(columns)
    rows: dict[str, list[tuple[bool, list[str]]]] = {}
    unexplained = []
    for row in grid:
        data = [row[c] if c < len(row) else "" for c in order]
        if any(map(_applicant, data)):
            continue                              # a header row
        if any(map(_is_count, row[:start])):       # a count among the labels: a shifted row
            data = [_UNREADABLE] * len(order)
        segments = _segments(row[:start])
        key = _row_key("".join(segments))
        if key is None:
            if any(_number(v) for v in data) or data[0] == _UNREADABLE:
                unexplained.append(data)          # counts no label explains (a note row has none)
            continue
        rows.setdefault(key, []).append((key in _GROUPS and _is_sub_row(segments, key), data))
    if "total" not in rows and "new" not in rows:
        return None
    return ApplicationTable(columns, rows, unexplained)


def _value(table: ApplicationTable, key: str, j: int) -> int | str | None:
    """Column j's value of a row key: the sum of a group's sub-rows (else its own row), else the
    first row with that key; ABSENT when the table has no such row, None when unreadable."""
    found = table.rows.get(key)
    if not found:
        return ABSENT
    cells = [data for sub, data in found if sub] or [found[0][1]]
    values = [_number(data[j]) for data in cells]
    return None if None in values else sum(values)


def identity_failures(table: ApplicationTable) -> list[dict]:
    """The identities of domain.md §3.3 that fail, one dict per (identity, applicant column)."""
    failures = []
    for j, column in enumerate(table.columns[c] for c in sorted(table.columns)):
        if any(_number(row[j]) != 0 for row in table.unexplained):
            continue                              # a count (or an unreadable cell) nothing explains
        v = {key: _value(table, key, j) for key in _NAMES}
        if any(x is None for x in v.values()):
            continue
        parts = ("full", "partial", *_GROUPS)
        if v["total"] != ABSENT and v["full"] != ABSENT:
            terms = {k: (0 if v[k] == ABSENT else v[k]) for k in parts}
            left = sum(terms.values())
            if left != v["total"]:
                failures.append({"identity": "results", "column": column, "terms": terms, "sum": left,
                                 "total": v["total"]})
        if all(v[k] != ABSENT for k in ("new", "carried_in", "total", "carried_out")):
            left, right = v["new"] + v["carried_in"], v["total"] + v["carried_out"]
            if left != right:
                failures.append({"identity": "balance", "column": column,
                                 "terms": {k: v[k] for k in ("new", "carried_in", "total", "carried_out")},
                                 "sum": left, "total": right})
    return failures


def identity_detail(failure: dict) -> str:
    terms = failure["terms"]
    if failure["identity"] == "results":
        expr = "+".join(f"{_NAMES[k]}{n}" for k, n in terms.items())
        return f"「{failure['column']}」栏：{expr}={failure['sum']}，与办理结果总计{failure['total']}不符"
    return (f"「{failure['column']}」栏：本年新收{terms['new']}+上年结转{terms['carried_in']}={failure['sum']}，"
            f"与办理结果总计{terms['total']}+结转下年度继续办理{terms['carried_out']}={failure['total']}不符")


# ---------------------------------------------------------------- check


def due_year(as_of: date, deadline: str) -> tuple[int, date]:
    """(the latest report year due as of `as_of`, its deadline "MM-DD" of the next year)."""
    month, day = (int(x) for x in deadline.split("-"))
    year = as_of.year - 1 if as_of > date(as_of.year, month, day) else as_of.year - 2
    return year, date(year + 1, month, day)


def _names(facts: RunFacts, site_id: str, site: dict, settings: dict) -> list[str]:
    departments = {d.get("id"): d.get("name") for d in facts.config.get("departments", [])}
    names = [site.get("name"), departments.get(site.get("department"))]
    names += list((settings.get("issuer_names") or {}).get(site_id, []))
    return [n for n in (_core(x) for x in names if isinstance(x, str)) if n]


@dataclass
class _Due:
    """What every finding of one site says about the due report."""
    year: int
    deadline: date
    government: bool

    @property
    def kind(self) -> str:
        return "本级政府" if self.government else "部门"


def _missing(due: _Due, docs: list[Report], others: list[str]) -> dict:
    latest = max((d.year for d in docs), default=None)
    detail = f"未发现{due.year}年度政府信息公开工作年度报告（{due.kind}年报应于{cn_date(due.deadline)}前公开）"
    if latest:
        detail += f"，站内最新一份为{latest}年度"
    return dict(check="missing", detail=detail, evidence=f"{due.year}年度年报",
                data={"latest_year": latest, "other_units": sorted(set(others))[:5]})


def _late(due: _Due, reports: list[Report], main: Report) -> dict | None:
    dates = sorted(x for d in reports for x in d.dates)
    if not dates or dates[0][0] <= due.deadline:
        return None
    day, source = dates[0]
    late = (day - due.deadline).days
    return dict(check="late", url=main.url, column=main.column,
                detail=f"《{main.title}》于{cn_date(day)}公开，晚于{due.kind}年报{cn_date(due.deadline)}的法定时限，"
                       f"逾期{late}天",
                evidence=f"公开日期：{day.isoformat()}；时限：{due.deadline.isoformat()}",
                data={"published": day.isoformat(), "date_source": source, "days_late": late})


def _format(index: _Index, reports: list[Report]) -> dict | None:
    """The layout problem of the report text showing the most headings, when it is checkable."""
    best = None
    for doc in reports:
        for source, text in index.texts(doc):
            layout = layout_of(text)
            if best is None or layout.score > best[2].score:
                best = (doc, source, layout)
    if best is None or (len(best[2].found) < MIN_HEADINGS and not best[2].old):
        return None
    doc, source, layout = best
    problem = format_problem(layout)
    if problem is None:
        return None
    check_name, what, data = problem
    return dict(check=check_name, url=doc.url, column=doc.column, evidence=what[:120],
                detail=f"《{doc.title}》{what}，应按国办公开办函〔2021〕30号格式编写",
                data={"text_source": source, **data})


def _tables(index: _Index, reports: list[Report]) -> list[dict]:
    """Identity failures of the first HTML application table among the report pages."""
    for doc in reports:
        for cells in index.tables.get(doc.url, []):
            grid = json.loads(cells) if isinstance(cells, str) else cells
            table = parse_application_table(grid or [])
            if table is None:
                continue
            out = []
            for failure in identity_failures(table):
                detail = identity_detail(failure)
                out.append(dict(
                    check="table", url=doc.url, column=doc.column, evidence=detail.split("：", 1)[1][:120],
                    detail=f"《{doc.title}》“收到和处理政府信息公开申请情况”表数据不符合勾稽关系：{detail}",
                    data={"identity": failure["identity"], "applicant": failure["column"], "confidence": "P",
                          "terms": failure["terms"], "sum": failure["sum"], "total": failure["total"]}))
            return out
    return []


def _site_problems(index: _Index, due: _Due, docs: list[Report], others: list[str], checks: set) -> list[dict]:
    reports = sorted((d for d in docs if d.year == due.year), key=lambda d: (not d.is_page, d.url))
    if not reports:
        return [_missing(due, docs, others)] if "missing" in checks else []
    problems = [_late(due, reports, reports[0]) if "late" in checks else None]
    layout = _format(index, reports)
    problems.append(layout if layout and layout["check"] in checks else None)
    if "table" in checks:
        problems += _tables(index, reports)
    return [p for p in problems if p]


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    settings = META.settings(settings)
    checks = set(settings["checks"])
    governments = set(settings["government_sites"] or [])
    index = _Index(facts, settings)
    findings: list[Finding] = []
    for site_id, site in facts.sites.items():
        government = site_id in governments
        due = _Due(*due_year(as_of, settings["government_deadline" if government else "department_deadline"]),
                   government)
        docs, others = index.reports(site_id, _names(facts, site_id, site, settings))
        for problem in _site_problems(index, due, docs, others, checks):
            data = {"year": due.year, "deadline": due.deadline.isoformat(), "government": government,
                    "check": problem["check"], "identity": None, "applicant": None, "confidence": "C",
                    **problem["data"]}
            findings.append(Finding.of(
                META, department_id=site.get("department"), site_id=site_id, column=problem.get("column"),
                url=problem.get("url"), evidence=problem["evidence"], detail=problem["detail"], data=data))
    return findings
