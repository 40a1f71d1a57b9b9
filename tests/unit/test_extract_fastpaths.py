"""The extractor's shortcuts give exactly what the plain computations give (bench/extract_golden.py
checks whole pages; these check the shortcuts on inputs built to stress them)."""
import random

import lxml.html

from crawler.extract import dates, lists
from crawler.extract.html_util import (
    declared_colors, element_hidden, hidden_by_ancestry, hidden_rules, parse_declarations,
)


def _random_text(rng: random.Random) -> str:
    pieces = ["〔2026〕", "[2025]", "3号", "〔", "［", "[", "【", "(", "（", "〕", "］", "]", "】", ")", "）",
              "2026", "1999", "20", "3", "12345", "123456", "号", "发", "字", "函", "青政办", "区人民政府",
              " ", "\u3000", "\n", "\x1c", "\x85", "，", "a", "关于印发", "的通知", "ICP", "icp", "备", "证",
              "浙", "公网安备", "京公网安备", "：", "-", "ICP备", "ICP证 ", "12345678", " " * 9]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))


def test_prefixed_noise_scan_matches_finditer():
    rng = random.Random(20261124)
    texts = [_random_text(rng) for _ in range(3000)] + [
        "青政办发〔2026〕3号", "关于印发 〔2026〕 3 号 和〔2025〕12号", "发发发发发发发发发发发发〔2026〕3号",
        "x  \u3000 〔2026〕1号〔2026〕2号", "〔2026〕", "", "浙ICP备12345678号-1 京公网安备 11010502030143号",
        "青政办发" + " " * 12 + "〔2026〕3号",
    ]
    patterns = {reason: pattern for pattern, reason in dates._NOISE if reason in dates._PREFIXED_NOISE}
    assert set(patterns) == set(dates._PREFIXED_NOISE)
    for reason, pattern in patterns.items():
        found = 0
        for text in texts:
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in dates._noise_matches(pattern, reason, text)] == expected, (reason, text)
            found += bool(expected)
        assert found > 50, reason        # the random texts do exercise the pattern


def _plain_hidden(el, rules) -> bool:
    """hidden_by_ancestry without the memo: walk up from el."""
    color = background = None
    node = el
    while node is not None:
        if isinstance(node.tag, str):
            if element_hidden(node, rules):
                return True
            style = node.get("style")
            if style:
                c, b = declared_colors(parse_declarations(style))
                color, background = color or c, background or b
        node = node.getparent()
    return color is not None and color == background and color != "transparent"


def test_memoised_ancestry_matches_walk():
    doc = lxml.html.document_fromstring(
        "<html><head><style>.h{display:none}</style></head><body style='background:#fff'>"
        "<div style='color:#fff'><p><a href='/1'>白字</a><span style='color:#000'><a href='/2'>黑字</a>"
        "</span></p></div><div class='h'><ul><li><a href='/3'>藏</a></li></ul></div>"
        "<div style='background:#000'><p style='color:black'><!-- c --><a href='/4'>同色</a></p></div>"
        "<p><a href='/5'>正常</a></p></body></html>")
    rules = hidden_rules(doc)
    elements = list(doc.iter())
    # Reverse document order first, so memo entries are made from the leaves up as well.
    answers = [hidden_by_ancestry(el, rules) for el in reversed(elements)][::-1]
    assert answers == [_plain_hidden(el, rules) for el in elements]
    assert sorted(a.get("href") for a in doc.iter("a") if hidden_by_ancestry(a, rules)) == ["/1", "/3", "/4"]


def test_link_counts_match_anchor_search():
    doc = lxml.html.document_fromstring(
        "<html><body><div><ul><li><a href='/a'>a</a></li><li><a href='javascript:;'>js</a></li>"
        "<li><a href=' #top'>top</a></li><li><a>none</a></li></ul><p><a href='/b'>b</a>"
        "<a href='/c'>c</a></p></div><a href='/d'>d</a></body></html>")
    body = next(doc.iter("body"))
    counts = lists._link_counts(body)
    for el in body.iter():
        assert min(counts.get(el, 0), 2) == len(lists._anchors(el, 2)), el.tag
