"""extract_page: the 党政机关网站标识 (Identity.badge) and the dated blocks of hub pages."""
from datetime import date

import pytest

from crawler.extract.page import extract_page

REF = date(2026, 11, 20)
URL = "http://www.qx.gov.cn/col/col123/index.html"
HOME = "http://www.qx.gov.cn/"


def page(inner: str, head: str = "") -> bytes:
    body = ("<ul class='list'>" + "".join(f"<li><a href='/a/{i}.html'>第{i}条通知的标题文字</a><span>2026-11-{i:02d}</span></li>"
                                          for i in range(1, 10)) + f"</ul><div class='footer'>{inner}</div>")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知公告</title>{head}</head>"
            f"<body>{body}</body></html>").encode("utf-8")


def badge(inner: str, head: str = "") -> bool:
    return extract_page(page(inner, head), URL, ref=REF).identity.badge


@pytest.mark.parametrize("markup", [
    # the conac script as sites embed it
    '<span id="_ideConac"></span><script type="text/javascript" '
    'src="https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710002.js"></script>',
    # the badge image inside the link to its certificate page
    '<a href="https://bszs.conac.cn/sitename?method=show&id=3A1F0C2D" target="_blank">'
    '<img src="/images/red.png" width="55" height="65"></a>',
    # a local copy of the image, by file name or alt text
    '<img src="/images/dzjg.png" alt="">',
    '<img src="/images/foot1.png" alt="党政机关">',
    # written by document.write
    "<script>document.write('<a href=\"http://bszs.conac.cn/sitename?id=9\"><img src=\"/i/b.png\"></a>');</script>",
    # loaded by an inline script
    "<span id='_ideConac'></span><script>var s=document.createElement('script');"
    "s.src='https://dcs.conac.cn/js/33/000/0000/1.js';document.body.appendChild(s);</script>",
])
def test_badge_shown(markup):
    assert badge(markup)


@pytest.mark.parametrize("markup", [
    "<p>主办单位：青溪区人民政府办公室 党政机关网站标识 网站标识码：3301020001</p>",     # the words only
    "<p>本站为党政机关网站，请认准党政机关网站标识。</p>",
    '<img src="/uploads/2026/jnz.jpg" alt="党政机关带头过紧日子节能宣传周活动现场">',     # a photo caption
    '<div style="display:none"><a href="https://bszs.conac.cn/sitename?id=1"><img src="/i/red.png"></a></div>',
    '<!-- <script src="https://dcs.conac.cn/js/33/1.js"></script> -->',                    # commented out
    '<a href="http://www.qx.gov.cn/dzjg.html">党政机关网站标识</a>',                          # a page, not the badge
    '<span id="_ideConac"></span>',                                                         # an empty holder
])
def test_badge_decoys(markup):
    assert not badge(markup)


def hub_page(*boxes: str) -> bytes:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>青溪区人民政府</title></head><body>"
            "<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
            "<li><a href='/hdjl/'>互动交流</a></li></ul></div>"
            f"<div class='row'>{''.join(boxes)}</div><div class='footer'>版权所有 ©2026</div></body></html>").encode()


def box(title: str | None, folder: str, dates: list[str | None]) -> str:
    head = f"<div class='box-hd'><span class='tit'>{title}</span><a class='more' href='/{folder}/'>更多</a></div>" \
        if title else f"<a class='more' href='/{folder}/'>more</a>"
    rows = "".join(f"<li><a href='/{folder}/{i}.html'>{folder}栏目的第{i}条信息标题</a>"
                   + (f"<span>{d}</span>" if d else "") + "</li>" for i, d in enumerate(dates))
    return f"<div class='box'>{head}<ul>{rows}</ul></div>"


def test_hub_blocks_keep_every_dated_entry_with_its_block_heading():
    body = hub_page(box("青溪要闻", "qxyw", ["2026-11-19", "2026-11-18", "2026-11-17"]),
                    box("通知公告", "tzgg", ["2026-10-08", None, "2026-09-30"]),
                    box(None, "bmdt", ["11-02", "11-01", "10-30"]))
    f = extract_page(body, HOME, ref=REF, is_start_page=True)
    assert f.kind == "hub"
    got = [(b.title, [(e.url.rsplit("/", 2)[-2], e.date.isoformat()) for e in b.entries]) for b in f.hub_blocks]
    assert got == [
        ("青溪要闻", [("qxyw", "2026-11-19"), ("qxyw", "2026-11-18"), ("qxyw", "2026-11-17")]),
        ("通知公告", [("tzgg", "2026-10-08"), ("tzgg", "2026-09-30")]),                 # the undated one is left out
        (None, [("bmdt", "2026-11-02"), ("bmdt", "2026-11-01"), ("bmdt", "2026-10-30")]),  # no heading: not its neighbour's
    ]


def test_only_hub_pages_get_blocks():
    assert extract_page(page(""), URL, ref=REF).hub_blocks == []
