"""Small lxml helpers shared by the extractors: whitespace, URLs, CSS hiding, visible text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit


_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
#: Tags whose content is never rendered as text.
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "meta",
                       "link", "iframe", "object", "embed", "svg", "select", "option"})
#: Tags that start a new line of text (so words in neighbouring cells do not glue together).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_NON_HTTP = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "sms:")


def collapse(text: str | None) -> str:
    """Collapse all whitespace (including NBSP and the ideographic space) to single spaces."""
    return _WS.sub(" ", text or "").strip()


def base_url(doc, url: str) -> str:
    """The URL relative links resolve against: <base href> if present, else the page URL."""
    for base in doc.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def absolute_url(base: str, href: str | None) -> str | None:
    """Absolute URL without fragment, or None for empty/fragment-only/non-HTTP targets."""
    return _absolute_url(base, href or "")


@lru_cache(maxsize=16384)
def _absolute_url(base: str, href: str) -> str | None:
    href = href.strip().replace("\\", "/")
    href = _WS.sub("", href) if "\n" in href or "\t" in href else href
    if not href or href.startswith("#") or href.lower().startswith(_NON_HTTP):
        return None
    try:
        parts = urlsplit(urljoin(base, href))
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def el_classes(el) -> str:
    """Lower-cased "id class" string of an element, for keyword tests."""
    return f"{el.get('id') or ''} {el.get('class') or ''}".lower()


# ---------------------------------------------------------------- CSS hiding

_NAMED_COLORS = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000",
    "blue": "#0000ff", "yellow": "#ffff00", "gray": "#808080", "grey": "#808080",
    "silver": "#c0c0c0", "transparent": "transparent",
}
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|cm|mm|in)?$")
_UNIT_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "%": 0.0,
            "cm": 37.8, "mm": 3.78, "in": 96.0}


def _length_px(value: str | None) -> float | None:
    m = _LENGTH.match((value or "").strip())
    if not m:
        return None
    return float(m.group(1)) * _UNIT_PX[m.group(2)]


def normalize_color(value: str | None) -> str | None:
    """Canonical "#rrggbb" for hex, rgb() and a few named colours; None if not understood."""
    v = (value or "").strip().lower().replace(" ", "")
    if not v:
        return None
    if v in _NAMED_COLORS:
        return _NAMED_COLORS[v]
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        return "#" + "".join(c * 2 for c in v[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", v):
        return v
    m = re.fullmatch(r"rgba?\((\d+),(\d+),(\d+)(?:,([\d.]+))?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) == 0:
            return "transparent"
        return "#%02x%02x%02x" % tuple(min(255, int(g)) for g in m.groups()[:3])
    return None


@lru_cache(maxsize=4096)
def parse_declarations(style: str) -> dict[str, str]:
    """`a: b; c: d` → {"a": "b", "c": "d"} (lower-cased, !important dropped; last one wins)."""
    out: dict[str, str] = {}
    for decl in style.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            out[name.strip().lower()] = value.lower().replace("!important", "").strip()
    return out


def declared_colors(decls: dict[str, str]) -> tuple[str | None, str | None]:
    """(color, background colour) set by a declaration block, normalised."""
    background = decls.get("background-color")
    if background is None and "background" in decls:
        background = next((t for t in decls["background"].split() if normalize_color(t)), None)
    return normalize_color(decls.get("color")), normalize_color(background)


@lru_cache(maxsize=4096)
def style_hides(style: str) -> bool:
    """Whether an inline style / CSS declaration block hides its element from a human reader.

    Covers the tricks used for planted links: display:none, visibility:hidden, opacity:0,
    font-size:0, off-screen absolute/fixed positioning, huge negative text-indent, a zero-size
    box with overflow hidden, and text coloured like its own background.
    """
    d = parse_declarations(style)
    if d.get("display") == "none" or d.get("visibility") in ("hidden", "collapse"):
        return True
    if _length_px(d.get("font-size")) == 0 or _length_px(d.get("opacity")) == 0:
        return True
    if d.get("position") in ("absolute", "fixed"):
        for side in ("top", "left"):
            px = _length_px(d.get(side))
            if px is not None and px <= -500:
                return True
    indent = _length_px(d.get("text-indent"))
    if indent is not None and indent <= -500:
        return True
    if d.get("overflow") == "hidden" and any(
            _length_px(d.get(p)) == 0 for p in ("height", "width", "max-height", "max-width")):
        return True
    color, background = declared_colors(d)
    return color is not None and color == background and color != "transparent"


@dataclass
class HiddenRules:
    """Simple selectors (`.c`, `#i`, `tag.c`, `tag#i`) whose CSS rule hides the element.

    One page's rules also carry that page's memo of hidden_by_ancestry (element → (hidden,
    inherited colour, inherited background)): the trees are never modified after parsing.
    """
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    tag_classes: set[tuple[str, str]] = field(default_factory=set)
    tag_ids: set[tuple[str, str]] = field(default_factory=set)
    ancestry: dict = field(default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.classes or self.ids or self.tag_classes or self.tag_ids)

    def matches(self, el) -> bool:
        if not self:
            return False
        tag = el.tag if isinstance(el.tag, str) else ""
        el_id = el.get("id")
        if el_id and (el_id in self.ids or (tag, el_id) in self.tag_ids):
            return True
        for cls in (el.get("class") or "").split():
            if cls in self.classes or (tag, cls) in self.tag_classes:
                return True
        return False


_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)?([.#])([A-Za-z0-9_-]+)$")


def _css_rules(css: str):
    """Yield (selector text, declarations) of screen-relevant rules; skips @media print etc."""
    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.S)
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        if brace < 0:
            return
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[brace + 1:j - 1]
        if prelude.startswith("@"):
            query = prelude.lower()
            if query.startswith("@media") and ("screen" in query or "all" in query
                                               or "print" not in query):
                yield from _css_rules(body)
        else:
            yield prelude, body
        i = j


def hidden_rules(doc) -> HiddenRules:
    """Collect the hiding rules of every <style> block of the page."""
    rules = HiddenRules()
    for style in doc.iter("style"):
        for selectors, body in _css_rules(style.text or ""):
            if not style_hides(body):
                continue
            for sel in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(sel.strip())
                if not m:
                    continue
                tag, kind, name = (m.group(1) or "").lower(), m.group(2), m.group(3)
                if kind == ".":
                    (rules.tag_classes.add((tag, name)) if tag else rules.classes.add(name))
                else:
                    (rules.tag_ids.add((tag, name)) if tag else rules.ids.add(name))
    return rules


def element_hidden(el, rules: HiddenRules) -> bool:
    """Whether this element itself (not its ancestors) is hidden."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and style_hides(style):
        return True
    return rules.matches(el)


def hidden_by_ancestry(el, rules: HiddenRules) -> bool:
    """Whether el or an ancestor is hidden, or el's text colour equals the inherited background."""
    hidden, color, background = _ancestry(el, rules)
    return hidden or (color is not None and color == background and color != "transparent")


def _ancestry(el, rules: HiddenRules) -> tuple[bool, str | None, str | None]:
    """(el or an ancestor hidden, nearest declared colour, nearest declared background),
    memoised per element in `rules.ancestry` (siblings share their ancestors' answer)."""
    memo = rules.ancestry
    chain = []
    node = el
    state = (False, None, None)
    while node is not None:
        known = memo.get(node)
        if known is not None:
            state = known
            break
        chain.append(node)
        node = node.getparent()
    for node in reversed(chain):
        hidden, color, background = state
        if isinstance(node.tag, str) and not hidden:
            if element_hidden(node, rules):
                hidden = True
            else:
                style = node.get("style")
                if style:
                    c, b = declared_colors(parse_declarations(style))
                    color, background = c or color, b or background
            state = (hidden, color, background)
        memo[node] = state
    return state


# ---------------------------------------------------------------- visible text

_BREAK = object()


def visible_lines(root, rules: HiddenRules | None = None, cap: int = 500_000) -> list[str]:
    """Visible text of the tree as whitespace-collapsed lines split at block boundaries.

    Skips script/style/noscript/template/comments, elements hidden by inline style or by the
    page's simple CSS rules, and text whose inherited colour equals its inherited background.
    Iterative, so pathologically deep pages cannot blow the stack.
    """
    rules = hidden_rules(root) if rules is None else rules
    has_rules = bool(rules)
    lines: list[str] = []
    buf: list[str] = []
    total = 0
    # Stack items: a text string, _BREAK, or (element, inherited colour, inherited background).
    # This loop visits every element of the page: lxml attributes are read once each, and
    # element_hidden is inlined.
    stack: list = [(root, None, None)]
    push, pop = stack.append, stack.pop
    while stack and total < cap:
        item = pop()
        if isinstance(item, str):
            buf.append(item)
            continue
        if item is _BREAK:
            if buf:
                line = collapse("".join(buf))
                buf.clear()
                if line:
                    lines.append(line)
                    total += len(line) + 1
            continue
        el, color, background = item
        if el is not root:
            tail = el.tail
            if tail:
                push(tail)
        tag = el.tag
        if not isinstance(tag, str):
            continue  # comment or processing instruction
        tag = tag.lower()
        if tag in SKIP_TAGS or el.get("hidden") is not None:
            continue
        style = el.get("style")
        if style:
            if style_hides(style):
                continue
            c, b = declared_colors(parse_declarations(style))
            color, background = c or color, b or background
        if has_rules and rules.matches(el):
            continue
        block = tag in BLOCK_TAGS
        if block:
            push(_BREAK)
        if len(el):
            stack.extend([(child, color, background) for child in reversed(el)])
        text = el.text
        if text and not (color is not None and color == background and color != "transparent"):
            push(text)
        if block:
            push(_BREAK)
    line = collapse("".join(buf))
    if line:
        lines.append(line)
    return lines


def visible_text(root, rules: HiddenRules | None = None, cap: int = 500_000) -> str:
    """Visible text of the tree, whitespace-collapsed into one string, at most `cap` chars."""
    return " ".join(visible_lines(root, rules, cap))[:cap]
