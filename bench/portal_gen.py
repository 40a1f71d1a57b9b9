"""A generated government portal for the crawl benchmark, and the local server that serves it.

`generate(root, pages, seed)` writes a deterministic TRS-style district portal (homepage,
~40 columns with paginated list pages ``index.html, index_1.html, …`` and article pages
``/<column>/<yyyymm>/t<yyyymmdd>_<id>.html``) of exactly `pages` HTML files, UTF-8, with the
header (nav, date widget), sidebar and footer (版权所有, 网站标识码, ICP and 公安备案) that real
portals repeat on every page, plus the stylesheets, scripts and images the pages reference. Every
internal <a href> points at a generated page, so a crawl that fetches every reachable page
fetches exactly `pages` pages and no 404s — unless `dead` > 0: then `dead` articles each carry
one planted dead link (alternately a 相关阅读 page and a PDF 附件 that do not exist), listed in
the returned info as (target path, referring page path).

`start_server(root, work)` serves it on 127.0.0.1: nginx when /usr/sbin/nginx exists (own
prefix, pid and logs in `work`, 2 workers, no access log, as user nobody when started by root),
else a ThreadingHTTPServer subprocess with the files preloaded in memory and HTTP/1.1
keep-alive (``python portal_gen.py serve ROOT``). Both send a ``LinkChecker`` header, which tells
linkchecker that the server allows it to go at full speed (otherwise it limits itself to 10
requests/s per host).
"""
from __future__ import annotations

import argparse
import math
import mimetypes
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path

NGINX = "/usr/sbin/nginx"
SITE_NAME = "基准区人民政府"
ITEMS_PER_PAGE = 20

# (slug, name, weight): the weight shares out the articles; news columns are the big ones.
COLUMNS = [
    ("zwyw", "政务要闻", 12), ("bmdt", "部门动态", 10), ("xzjd", "乡镇街道动态", 9), ("tpxw", "图片新闻", 4),
    ("tzgg", "通知公告", 8), ("gsgg", "公示公告", 5), ("zcwj", "政策文件", 5), ("gfxwj", "规范性文件", 3),
    ("zcjd", "政策解读", 4), ("rsxx", "人事信息", 3), ("czyjs", "财政预决算", 3), ("zfgzbg", "政府工作报告", 1),
    ("ghjh", "规划计划", 2), ("tjxx", "统计信息", 3), ("zdxm", "重大项目", 2), ("zfcg", "政府采购", 4),
    ("zbtb", "招标投标", 4), ("xzxk", "行政许可", 5), ("xzcf", "行政处罚", 5), ("jyta", "建议提案办理", 2),
    ("yjgl", "应急管理", 2), ("spaq", "食品安全", 2), ("hjbh", "环境保护", 3), ("aqsc", "安全生产", 2),
    ("jyxx", "教育信息", 3), ("ylws", "医疗卫生", 3), ("shjz", "社会救助", 2), ("jycy", "就业创业", 2),
    ("zfbz", "住房保障", 1), ("ggzy", "公共资源配置", 2), ("zdly", "重点领域信息公开", 2),
    ("xxgknb", "政府信息公开年报", 1), ("xxgkzn", "政府信息公开指南", 1), ("xxgkzd", "政府信息公开制度", 1),
    ("jgzn", "机构职能", 1), ("ldxx", "领导信息", 1), ("hygk", "会议公开", 2), ("mssx", "民生实事", 2),
    ("xczx", "乡村振兴", 2), ("yshj", "营商环境", 2),
]
NAV = ["zwyw", "tzgg", "zcwj", "zcjd", "czyjs", "hygk", "jyta", "xxgknb"]
HOME_BLOCKS = ["zwyw", "bmdt", "tzgg", "zcwj", "zcjd", "gsgg", "rsxx", "xzjd"]
SOURCES = ["区政府办公室", "区发展和改革局", "区教育局", "区财政局", "区人力社保局", "区自然资源和规划分局",
           "区住房和城乡建设局", "区农业农村局", "区卫生健康局", "区应急管理局", "区市场监督管理局", "区统计局"]
TOPICS = ["优化营商环境", "安全生产大检查", "城乡风貌整治", "义务教育优质均衡", "老旧小区改造", "数字政府建设",
          "防汛防台", "乡村振兴示范带", "医疗卫生服务", "就业创业补贴", "垃圾分类", "消防安全", "文明城市创建",
          "企业服务月", "政府信息公开", "养老服务", "食品安全抽检", "生态环境保护", "重点项目建设", "基层治理"]
ACTIONS = ["召开", "部署", "推进", "开展", "印发", "公布", "启动", "召开专题会议研究", "组织", "扎实推进"]
KINDS = ["工作会议", "专项行动", "实施方案", "工作通知", "情况通报", "管理办法", "考核结果", "公示", "工作要点", "推进会"]
SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把各项工作抓紧抓实抓细。",
    "各镇街、各部门要进一步提高政治站位，切实增强责任感和紧迫感，确保各项任务按期完成。",
    "据了解，今年以来全区累计投入资金一点二亿元，惠及群众三万余人，群众满意度持续提升。",
    "下一步，区里将聚焦重点领域和关键环节，持续完善工作机制，强化督查考核，推动工作落地见效。",
    "要加强统筹协调，压实属地责任和部门监管责任，形成上下联动、齐抓共管的工作格局。",
    "为进一步规范行政权力运行，根据有关法律法规和上级文件精神，结合我区实际，制定本方案。",
    "本通知自印发之日起施行，执行中遇到的问题请及时向区政府办公室反馈。",
    "活动现场，工作人员向过往群众发放宣传资料，耐心解答群众关心的热点问题。",
    "检查组一行先后深入企业生产车间、仓储场所和施工工地，详细了解安全管理制度落实情况。",
    "对检查中发现的问题隐患，现场督促企业立即整改，不能立即整改的明确整改时限和责任人。",
    "与会人员围绕议题进行了深入讨论，并就下一阶段工作提出了具体意见和建议。",
    "此次公示期为五个工作日，公示期间如有异议，可通过电话或书面形式向有关部门反映。",
    "各单位要严格按照时间节点报送材料，逾期未报送的视为自动放弃。",
    "近年来，我区坚持把保障和改善民生作为出发点和落脚点，不断增强群众的获得感、幸福感、安全感。",
    "区委常委、副区长出席会议并讲话，区直有关部门主要负责人参加会议。",
    "该项目总投资约三点五亿元，建成后将有效缓解周边区域交通压力，提升城市功能品质。",
    "要坚持问题导向、目标导向、结果导向，以钉钉子精神抓好各项工作落实。",
    "根据《中华人民共和国政府信息公开条例》规定，现将有关情况公告如下。",
    "联系人：王先生，联系电话：0571-86000000，地址：基准区人民路一号行政中心。",
    "附件材料可在区政府门户网站政府信息公开专栏查阅，也可到区行政服务中心现场咨询。",
]
NUMERALS = "〇一二三四五六七八九"


@dataclass
class Article:
    id: int
    col: int
    title: str
    when: datetime
    source: str
    body: list[str] = field(default_factory=list)
    dead_href: str = ""          # planted dead link (a missing page or attachment), if any

    @property
    def path(self) -> str:
        return f"/{COLUMNS[self.col][0]}/{self.when:%Y%m}/t{self.when:%Y%m%d}_{self.id}.html"


def _list_page_path(slug: str, page_no: int) -> str:
    return f"/{slug}/index.html" if page_no == 0 else f"/{slug}/index_{page_no}.html"


def _plan(pages: int, seed: int) -> tuple[list[list[Article]], int]:
    """Share `pages - 1` pages between articles and list pages so the total is exact."""
    if pages < 200:
        raise ValueError("the portal needs at least 200 pages")
    rng = random.Random(seed)
    weights = [w for _, _, w in COLUMNS]
    total_w = sum(weights)

    def layout(n_articles: int) -> list[int]:
        sizes = [max(1, math.floor(n_articles * w / total_w)) for w in weights]
        i = 0
        while sum(sizes) < n_articles:           # hand out the rounding remainder, biggest columns first
            sizes[i % len(sizes)] += 1
            i += 1
        return sizes

    def list_pages(sizes: list[int]) -> int:
        return sum(max(1, math.ceil(s / ITEMS_PER_PAGE)) for s in sizes)

    n = pages - 1 - len(COLUMNS)
    while n > len(COLUMNS) and 1 + n + list_pages(layout(n)) > pages:
        n -= 1
    sizes = layout(n)
    # if list-page rounding left a gap, add single articles where they do not open a new list page
    gap = pages - (1 + n + list_pages(sizes))
    i = 0
    while gap > 0:
        if sizes[i % len(sizes)] % ITEMS_PER_PAGE:
            sizes[i % len(sizes)] += 1
            gap -= 1
        i += 1
    next_id = 100000
    columns: list[list[Article]] = []
    newest = datetime(2026, 11, 19, 17, 30)
    for col, size in enumerate(sizes):
        weight = weights[col]
        # big (news) columns are updated often; small ones rarely
        mean_gap_h = 24 * 365 * 2.5 / max(size, 1) if weight <= 2 else 24 * 365 * 1.5 / max(size, 1)
        when = newest - timedelta(hours=rng.uniform(0, 24 * (3 if weight > 4 else 90)))
        items = []
        for _ in range(size):
            next_id += rng.randint(1, 40)
            name = COLUMNS[col][1]
            title = (f"{SITE_NAME}关于{rng.choice(TOPICS)}{rng.choice(KINDS)}的通知" if "通知" in name or "文件" in name
                     else f"区{rng.choice(ACTIONS)}{rng.choice(TOPICS)}{rng.choice(KINDS)}")
            if rng.random() < 0.3:
                title += f"（{when.year}年第{rng.randint(1, 30)}期）"
            stamp = when.replace(hour=rng.choice([8, 9, 10, 11, 14, 15, 16, 17]), minute=rng.randrange(0, 60, 5),
                                 second=0, microsecond=0)
            art = Article(next_id, col, title, stamp, rng.choice(SOURCES))
            n_par = rng.randint(5, 12)
            art.body = ["".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5))) for _ in range(n_par)]
            items.append(art)
            when -= timedelta(hours=rng.expovariate(1 / mean_gap_h))
        columns.append(items)
    return columns, 1 + sum(len(c) for c in columns) + list_pages([len(c) for c in columns])


def _cn_date(day: date) -> str:
    weekday = "一二三四五六日"[day.weekday()]
    return f"今天是{day.year}年{day.month}月{day.day}日 星期{weekday}"


def _head(title: str, meta: dict[str, str]) -> str:
    metas = "\n".join(f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in meta.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{escape(title)}</title>
<meta name="SiteName" content="{SITE_NAME}">
<meta name="SiteDomain" content="www.jizhun.gov.cn">
<meta name="SiteIDCode" content="3301020001">
{metas}
<link rel="stylesheet" href="/static/css/common.css">
<link rel="stylesheet" href="/static/css/index.css">
<script src="/static/js/jquery-1.12.4.min.js"></script>
<script src="/static/js/common.js"></script>
</head>
"""


def _header(current: str | None) -> str:
    nav = "".join(f'<li{" class=on" if slug == current else ""}><a href="/{slug}/index.html">{COLUMNS[i][1]}</a></li>'
                  for i, (slug, _, _) in enumerate(COLUMNS) if slug in NAV)
    return f"""<body>
<div class="top-bar"><div class="w1200 clearfix">
  <span class="fl date" id="today">{_cn_date(date(2026, 11, 20))}</span>
  <div class="fr links"><a href="javascript:void(0)" id="wza">无障碍浏览</a> | <a href="javascript:void(0)" id="zhjt">繁体</a> |
  <a href="/index.html">设为首页</a> | <a href="mailto:zfb@jizhun.gov.cn">联系我们</a> | <a href="/xxgkzn/index.html">信息公开指南</a></div>
</div></div>
<div class="header"><div class="w1200 clearfix">
  <a class="logo fl" href="/index.html"><img src="/static/img/logo.png" alt="{SITE_NAME}"></a>
  <form class="search fr" action="http://search.jizhun.gov.cn/search" method="get" target="_blank">
    <input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>
</div></div>
<div class="nav"><div class="w1200"><ul class="clearfix"><li><a href="/index.html">首页</a></li>{nav}</ul></div></div>
"""


def _sidebar(col: int) -> str:
    siblings = [c for c in range(len(COLUMNS)) if c // 8 == col // 8]
    items = "".join(f'<li{" class=on" if c == col else ""}><a href="/{COLUMNS[c][0]}/index.html">{COLUMNS[c][1]}</a></li>'
                    for c in siblings)
    return f'<div class="sidebar fl"><div class="side-title">栏目导航</div><ul class="side-nav">{items}</ul></div>\n'


FOOTER = f"""<div class="friend-links"><div class="w1200">友情链接：
  <a href="http://www.gov.cn/" target="_blank">中国政府网</a>
  <a href="https://www.zj.gov.cn/" target="_blank">浙江省人民政府</a>
  <a href="https://www.hangzhou.gov.cn/" target="_blank">杭州市人民政府</a>
  <a href="https://www.zjzwfw.gov.cn/" target="_blank">浙江政务服务网</a>
  <a href="http://tjj.zj.gov.cn/" target="_blank">浙江省统计局</a>
</div></div>
<div class="footer"><div class="w1200">
  <p><a href="/index.html">网站首页</a> | <a href="/xxgkzn/index.html">信息公开指南</a> | <a href="/jgzn/index.html">机构职能</a> |
     <a href="/ldxx/index.html">领导信息</a> | <a href="/xxgknb/index.html">信息公开年报</a></p>
  <p>主办单位：基准区人民政府办公室　承办：基准区大数据发展管理中心　地址：基准区人民路1号　邮编：310000</p>
  <p>版权所有 ©2019-2026 {SITE_NAME}　网站标识码 3301020001　
     <a href="https://beian.miit.gov.cn/" target="_blank">浙ICP备12345678号-1</a>　
     <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010202000123" target="_blank">
     <img src="/static/img/ga.png" alt="">浙公网安备 33010202000123号</a></p>
  <p>建议使用1366×768分辨率，IE10及以上版本浏览器　<a href="javascript:void(0)">政府网站找错</a></p>
  <div class="jiucuo"><script id="_jiucuo_" sitecode="3301020001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></div>
</div></div>
<script>var _hmt=_hmt||[];document.getElementById('today');</script>
</body>
</html>
"""


def _home(columns: list[list[Article]]) -> str:
    blocks = []
    for slug in HOME_BLOCKS:
        col = next(i for i, c in enumerate(COLUMNS) if c[0] == slug)
        lis = "".join(f'<li><a href="{a.path}" title="{escape(a.title)}" target="_blank">{escape(a.title)}</a>'
                      f'<span>{a.when:%m-%d}</span></li>' for a in columns[col][:8])
        blocks.append(f'<div class="block fl"><div class="block-title"><h3>{COLUMNS[col][1]}</h3>'
                      f'<a class="more" href="/{slug}/index.html">更多&gt;&gt;</a></div><ul class="list">{lis}</ul></div>')
    slides = "".join(f'<li><a href="{a.path}" target="_blank"><img src="/static/img/slide{i}.jpg" alt="{escape(a.title)}">'
                     f'<p>{escape(a.title)}</p></a></li>' for i, a in enumerate(columns[3][:5]))
    gk = "".join(f'<li><a href="/{slug}/index.html">{name}</a></li>' for slug, name, _ in COLUMNS)
    return (_head(f"{SITE_NAME}", {"ColumnName": "首页", "ColumnType": "首页"}) + _header(None) +
            f'<div class="main w1200 clearfix"><div class="slide fl"><ul>{slides}</ul></div>'
            + "".join(blocks) +
            f'<div class="xxgk clearfix"><div class="block-title"><h3>政府信息公开</h3></div><ul>{gk}</ul></div></div>\n'
            + FOOTER)


def _pager(slug: str, page_no: int, n_pages: int, total: int) -> str:
    def href(n: int) -> str:
        return _list_page_path(slug, n).rsplit("/", 1)[1]

    parts = [f'<span>共{total}条 {page_no + 1}/{n_pages}页</span>']
    if page_no > 0:
        parts += [f'<a href="{href(0)}">首页</a>', f'<a href="{href(page_no - 1)}">上一页</a>']
    for n in range(max(0, page_no - 2), min(n_pages, page_no + 3)):
        parts.append(f"<b>{n + 1}</b>" if n == page_no else f'<a href="{href(n)}">{n + 1}</a>')
    if page_no < n_pages - 1:
        parts += [f'<a href="{href(page_no + 1)}">下一页</a>', f'<a href="{href(n_pages - 1)}">尾页</a>']
    return f'<div class="pagination">{"".join(parts)}</div>'


def _list_page(col: int, items: list[Article], page_no: int, n_pages: int) -> str:
    slug, name, _ = COLUMNS[col]
    chunk = items[page_no * ITEMS_PER_PAGE:(page_no + 1) * ITEMS_PER_PAGE]
    lis = "".join(f'<li><a href="{a.path}" title="{escape(a.title)}" target="_blank">{escape(a.title)}</a>'
                  f'<span>{a.when:%Y-%m-%d}</span></li>\n' for a in chunk)
    if not lis:
        lis = "<li class=\"empty\">暂无信息</li>"
    return (_head(f"{name}_{SITE_NAME}", {"ColumnName": name, "ColumnType": name}) + _header(slug) +
            f'<div class="main w1200 clearfix">{_sidebar(col)}<div class="content fr">'
            f'<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/{slug}/index.html">{name}</a></div>'
            f'<div class="list-title"><h2>{name}</h2></div><ul class="news-list">\n{lis}</ul>'
            f'{_pager(slug, page_no, n_pages, len(items))}</div></div>\n' + FOOTER)


def _article(a: Article, prev: Article | None, nxt: Article | None) -> str:
    slug, name, _ = COLUMNS[a.col]
    meta = {"ColumnName": name, "ColumnType": name, "ArticleTitle": a.title,
            "PubDate": f"{a.when:%Y-%m-%d %H:%M}", "ContentSource": a.source, "Keywords": name, "Description": a.title}
    body = "\n".join(f"<p style=\"text-indent:2em;\">{escape(p)}</p>" for p in a.body)
    serial = "".join(NUMERALS[int(d)] for d in str(a.when.year))
    links = ""
    if a.dead_href.endswith(".pdf"):
        body += f'\n<p>附件：<a href="{a.dead_href}">{escape(a.title)}.pdf</a></p>'
    elif a.dead_href:
        links += f'<p>相关阅读：<a href="{a.dead_href}">{escape(a.title)}（解读）</a></p>'
    if prev:
        links += f'<p>上一篇：<a href="{prev.path}">{escape(prev.title)}</a></p>'
    if nxt:
        links += f'<p>下一篇：<a href="{nxt.path}">{escape(nxt.title)}</a></p>'
    return (_head(f"{a.title}_{SITE_NAME}", meta) + _header(slug) +
            f'<div class="main w1200 clearfix">'
            f'<div class="breadcrumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/{slug}/index.html">{name}</a> &gt; 正文</div>'
            f'<div class="article"><h1 class="title">{escape(a.title)}</h1>'
            f'<div class="info"><span>发布时间：{a.when:%Y-%m-%d}</span><span>来源：{a.source}</span>'
            f'<span>浏览次数：<em id="hits"></em></span><span>字号：<a href="javascript:void(0)">大</a> '
            f'<a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a></span></div>'
            f'<div class="doc-no">基政办发〔{a.when.year}〕{a.id % 97 + 1}号</div>'
            f'<div class="TRS_Editor">\n{body}\n<p style="text-align:right;">{a.source}</p>'
            f'<p style="text-align:right;">{serial}年{a.when.month}月{a.when.day}日</p></div>'
            f'<div class="prev-next">{links}</div>'
            f'<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>'
            f'</div></div>\n' + FOOTER)


STATIC = {   # what every page's <link>, <script> and <img> reference: present, so nothing but planted links is dead
    "/static/css/common.css": b"body{margin:0}", "/static/css/index.css": b".w1200{width:1200px}",
    "/static/js/jquery-1.12.4.min.js": b"", "/static/js/common.js": b"",
    **{f"/static/img/{name}": b"GIF89a" for name in ["logo.png", "ga.png", *(f"slide{i}.jpg" for i in range(5))]},
}


def _plant_dead(columns: list[list[Article]], dead: int) -> list[tuple[str, str]]:
    """Give `dead` articles, spread evenly, one dead link each; return [(target path, referrer path)]."""
    articles = [a for items in columns for a in items]
    if dead > len(articles):
        raise ValueError(f"cannot plant {dead} dead links in {len(articles)} articles")
    planted = []
    for k in range(dead):
        a = articles[(2 * k + 1) * len(articles) // (2 * dead)]
        a.dead_href = (f"/uploadfile/{a.when:%Y%m}/P{a.when:%Y%m%d}{a.id}.pdf" if k % 2 else
                       f"/{COLUMNS[a.col][0]}/{a.when:%Y%m}/t{a.when:%Y%m%d}_{a.id}_jd.html")
        planted.append((a.dead_href, a.path))
    return planted


def generate(root: Path, pages: int = 6000, seed: int = 20261120, dead: int = 0) -> dict:
    """Write the portal under `root`; return {'pages': n, 'bytes': total, 'articles': …, 'list_pages': …,
    'dead': [(target path, referrer path), …]}."""
    columns, expected = _plan(pages, seed)
    dead_links = _plant_dead(columns, dead)
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    size = 0

    def write(path: str, html: str) -> None:
        nonlocal written, size
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = html.encode("utf-8")
        target.write_bytes(data)
        written += 1
        size += len(data)

    write("/index.html", _home(columns))
    list_pages = 0
    for col, items in enumerate(columns):
        n_pages = max(1, math.ceil(len(items) / ITEMS_PER_PAGE))
        for page_no in range(n_pages):
            write(_list_page_path(COLUMNS[col][0], page_no), _list_page(col, items, page_no, n_pages))
            list_pages += 1
        for i, art in enumerate(items):
            write(art.path, _article(art, items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None))
    assert written == expected, (written, expected)
    for path, data in STATIC.items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_bytes(data)
    return {"pages": written, "bytes": size, "articles": written - 1 - list_pages, "list_pages": list_pages,
            "columns": len(COLUMNS), "dead": dead_links}


# --- serving -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


@dataclass
class Server:
    kind: str                    # "nginx" or "python ThreadingHTTPServer"
    port: int
    proc: subprocess.Popen
    note: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The server's process and its children (nginx workers)."""
        out = [self.proc.pid]
        try:
            for line in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split():
                out.append(int(line))
        except OSError:
            pass
        return out

    def cpu_seconds(self) -> float:
        """user+system CPU time used so far by the server processes (Linux /proc)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM if self.kind != "nginx" else signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _start_nginx(root: Path, work: Path) -> Server:
    port = _free_port()
    prefix = work / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    temp = prefix / "tmp"
    conf.write_text(f"""daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    add_header LinkChecker bench;
    types {{ text/html html; text/css css; application/javascript js; image/png png; image/jpeg jpg; }}
    default_type application/octet-stream;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
""", encoding="utf-8")
    user = {}
    if os.geteuid() == 0:   # never run the server as root: as nobody, which must read the tree and own the prefix
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        for path in [prefix, *prefix.rglob("*")]:
            os.chown(path, 65534, 65534)
        user = {"user": 65534, "group": 65534, "extra_groups": []}
    # -e: the start-up error log too (nginx otherwise opens /var/log/nginx/error.log first)
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs" / "error.log")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(prefix / "logs" / "stderr.log", "wb"), start_new_session=True, **user)
    server = Server("nginx", port, proc)
    if not _wait_ready(f"{server.base}/index.html", proc, 15):
        server.stop()
        errors = (prefix / "logs" / "stderr.log").read_text(errors="replace")[-500:]
        raise RuntimeError(f"nginx did not start: {errors.strip() or 'no output'}")
    return server


def _start_python(root: Path) -> Server:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve", str(root)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    line = proc.stdout.readline()
    if not line.strip().isdigit():
        proc.kill()
        raise RuntimeError(f"python server did not start: {line}{proc.stderr.read()[-500:]}")
    server = Server("python ThreadingHTTPServer (in-memory, HTTP/1.1 keep-alive)", int(line), proc)
    if not _wait_ready(f"{server.base}/index.html", proc, 30):
        server.stop()
        raise RuntimeError("python server did not answer")
    return server


def start_server(root: Path, work: Path) -> Server:
    """nginx if installed (falling back on failure), else the Python server."""
    if os.path.exists(NGINX):
        try:
            return _start_nginx(root, work)
        except (RuntimeError, OSError) as exc:
            server = _start_python(root)
            server.note = f"nginx failed ({exc}); fell back"
            return server
    server = _start_python(root)
    server.note = f"{NGINX} not found"
    return server


def serve(root: Path, port: int = 0) -> None:
    """Serve `root` from memory until SIGTERM; print the port on stdout once listening."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files = {}
    for path in root.rglob("*"):
        if path.is_file():
            files["/" + path.relative_to(root).as_posix()] = path.read_bytes()
    not_found = b"<html><body><h1>404 Not Found</h1></body></html>"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server naming)
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path.endswith("/"):
                path += "index.html"
            body = files.get(path)
            status = 200 if body is not None else 404
            body = body if body is not None else not_found
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8" if path.endswith(".html") else
                             mimetypes.guess_type(path)[0] or "application/octet-stream")
            self.send_header("LinkChecker", "bench")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server_(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    httpd = Server_(("127.0.0.1", port), Handler)
    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(httpd.server_address[1], flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    gen = sub.add_parser("generate", help="write the portal to a folder")
    gen.add_argument("root", type=Path)
    gen.add_argument("--pages", type=int, default=6000)
    gen.add_argument("--seed", type=int, default=20261120)
    srv = sub.add_parser("serve", help="serve a generated portal (Python server)")
    srv.add_argument("root", type=Path)
    srv.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.cmd == "generate":
        if args.root.exists():
            shutil.rmtree(args.root)
        print(generate(args.root, args.pages, args.seed))
    else:
        serve(args.root, args.port)


if __name__ == "__main__":
    main()
