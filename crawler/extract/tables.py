"""HTML tables of a document page, as rectangular grids of cell texts.

Rules that read a document's tables (the three fixed tables of a 政府信息公开工作年度报告, a
公示 list) need the cells, not the page's flattened text. `extract_tables` turns each data
table of a page into a `PageTable`: rowspan/colspan expanded (a merged cell's text repeated in
every slot it covers, so a row keeps its label when the label is a merged cell), cell text
normalised (whitespace collapsed, full-width digits as ASCII), a caption from <caption> or the
text just before the table.

Left out: layout tables (a table holding another table — the inner, leaf tables are kept —, a
cell with a page's worth of prose, cells that are mostly links: navigation), hidden tables,
and degenerate ones (fewer than 2 rows or 2 columns, fewer than 2 non-empty cells). Bounded:
`MAX_TABLES` per page, `MAX_ROWS` × `MAX_COLS` per table, `MAX_CELL_CHARS` per cell.

Pure: no privacy masking here — the spider masks every cell before anything is stored.
"""
from __future__ import annotations

import re
from itertools import islice

from .html_util import (
    SKIP_TAGS, HiddenRules, collapse, element_hidden, hidden_by_ancestry, hidden_rules, visible_lines,
)
from .model import PageTable

MAX_TABLES = 20          # tables kept per page
MAX_EXAMINED = 200       # tables looked at per page (layout-heavy pages have hundreds)
MAX_ROWS = 300
MAX_COLS = 40
MAX_CELL_CHARS = 300
CAPTION_CHARS = 120
LONG_CELL = 1000         # a cell with more text than this holds a page body: a layout table
LINK_CELL_SHARE = 0.5    # share of non-empty cells that are only links above which it is navigation
CAPTION_LEVELS = 3       # the table, its parent, its grandparent: where the caption text is looked for

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_LEADING_INT = re.compile(r"\s*(\d+)")
_LINK_NOISE = re.compile(r"[\s|｜·•>»/、,，;；\-]+")


def normalize_cell(text: str) -> str:
    """Collapsed whitespace, ASCII digits, at most MAX_CELL_CHARS characters."""
    return collapse(text).translate(_FULLWIDTH)[:MAX_CELL_CHARS]


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan attribute as 1..limit (0, "the rest", becomes limit; junk becomes 1)."""
    m = _LEADING_INT.match(value) if value else None
    if not m:
        return 1
    n = int(m.group(1))
    return limit if n == 0 else max(1, min(n, limit))


def _only_links(cell) -> bool:
    """The cell's text is all anchor text (a menu or a list of links, not data)."""
    anchors = [collapse(a.text_content()) for a in cell.iter("a")]
    if not any(anchors):
        return False
    rest = collapse(cell.text_content())
    for anchor in anchors:
        rest = rest.replace(anchor, "", 1)
    return not _LINK_NOISE.sub("", rest)


class _Grid:
    """Occupancy grid of one table while its cells are placed (HTML table model, bounded)."""

    def __init__(self, n_rows: int):
        self.n_rows = n_rows
        self.slots: dict[tuple[int, int], str] = {}
        self.budget = 4 * MAX_ROWS * MAX_COLS      # slot writes, against overlapping spans
        self.cells = self.link_cells = self.longest = 0

    def place(self, r: int, col: int, text: str, rowspan: int, colspan: int) -> int:
        """Put a cell at the first free column ≥ col of row r; return the column after it."""
        while (r, col) in self.slots:
            col += 1
        for i in range(r, min(r + rowspan, self.n_rows)):
            for j in range(col, min(col + colspan, MAX_COLS)):
                self.budget -= 1
                self.slots.setdefault((i, j), text)
        return col + colspan

    def rows(self) -> list[list[str]]:
        """Rectangular rows; rows and columns that are entirely empty are dropped."""
        width = 1 + max((c for _, c in self.slots), default=-1)
        grid = [[self.slots.get((r, c), "") for c in range(width)] for r in range(self.n_rows)]
        grid = [row for row in grid if any(row)]
        keep = [c for c in range(width) if any(row[c] for row in grid)]
        return [[row[c] for c in keep] for row in grid]


def _cell_text(cell, rules: HiddenRules) -> str:
    """The visible text of a cell (a plain cell is read directly: most cells are)."""
    if len(cell) == 0:
        return "" if element_hidden(cell, rules) else cell.text or ""
    return " ".join(visible_lines(cell, rules, LONG_CELL + 1))


def _grid(table, rules: HiddenRules) -> _Grid:
    trs = list(islice(table.iter("tr"), MAX_ROWS))
    grid = _Grid(len(trs))
    for r, tr in enumerate(trs):
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")][:MAX_COLS]
        for cell in cells:
            if col >= MAX_COLS or grid.budget <= 0:
                break
            full = _cell_text(cell, rules)
            text = normalize_cell(full)
            if text:
                grid.cells += 1
                grid.link_cells += len(cell) > 0 and _only_links(cell)
                grid.longest = max(grid.longest, len(full))
            col = grid.place(r, col, text, _span(cell.get("rowspan"), len(trs) - r),
                             _span(cell.get("colspan"), MAX_COLS))
    return grid


def _is_data(grid: _Grid, rows: list[list[str]]) -> bool:
    if len(rows) < 2 or len(rows[0]) < 2 or grid.cells < 2:
        return False
    if grid.longest > LONG_CELL:
        return False
    return grid.link_cells < LINK_CELL_SHARE * grid.cells


def _last_line(el, rules: HiddenRules) -> str:
    lines = visible_lines(el, rules)
    return lines[-1] if lines else ""


def _text_before(table, rules: HiddenRules) -> str:
    """The nearest non-empty text before the table: a sibling's tail, the last line of a
    preceding sibling, the parent's leading text — up CAPTION_LEVELS levels; never across
    another table (its last cell is no caption)."""
    node = table
    for _ in range(CAPTION_LEVELS):
        for sib in node.itersiblings(preceding=True):
            text = collapse(sib.tail)
            if text:
                return text
            if not isinstance(sib.tag, str) or hidden_by_ancestry(sib, rules):
                continue
            if sib.tag == "table" or next(sib.iter("table"), None) is not None:
                return ""
            text = _last_line(sib, rules)
            if text:
                return text
        parent = node.getparent()
        if parent is None or parent.tag == "body":
            return ""
        text = collapse(parent.text)
        if text:
            return text
        node = parent
    return ""


def _caption(table, rules: HiddenRules) -> str | None:
    for child in table:
        if child.tag == "caption":
            text = collapse(" ".join(visible_lines(child, rules)))
            if text:
                return text[:CAPTION_CHARS]
    text = _text_before(table, rules)
    return text[-CAPTION_CHARS:] if text else None


def _nested_or_hidden(table, rules: HiddenRules) -> bool:
    """A layout table (holds another table), or one a reader does not see."""
    if any(inner is not table for inner in table.iter("table")):
        return True
    if any(isinstance(anc.tag, str) and anc.tag in SKIP_TAGS for anc in table.iterancestors()):
        return True
    return hidden_by_ancestry(table, rules)


def extract_tables(doc, rules: HiddenRules | None = None) -> list[PageTable]:
    """The data tables of a parsed page, in document order (see the module doc)."""
    rules = hidden_rules(doc) if rules is None else rules
    body = next(doc.iter("body"), doc)
    out: list[PageTable] = []
    for examined, table in enumerate(body.iter("table")):
        if len(out) >= MAX_TABLES or examined >= MAX_EXAMINED:
            break
        if _nested_or_hidden(table, rules):
            continue
        grid = _grid(table, rules)
        rows = grid.rows()
        if _is_data(grid, rows):
            out.append(PageTable(position=len(out), caption=_caption(table, rules), cells=rows))
    return out
