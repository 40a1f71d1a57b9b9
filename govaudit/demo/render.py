"""Render the demo portal model into HTTP resources (bytes + Content-Type), one dict per host.

The portal host carries one shared header/footer template on every page (the homepage, portal
columns, the /jyj/ /mzj/ /wjw/ sections and the off-prefix Hanweb columns of 区卫健委); the
department's own site (发改局) has its own template. Each CMS style has its list and article
renderer: Hanweb, TRS WCM, plain HTML and client-rendered script arrays.

Links inside a host are root-relative (or relative, for TRS), so the same pages work on any
port; only the cross-host links (portal footer → 发改局 site and back) embed the base URLs.

"Today" is the portal's week (:attr:`Portal.as_of`): the header date widgets and the relative
dates (3天前) follow it. A document shows its plants (:mod:`govaudit.demo.plants`) in their
planted or, once a week-2 change fixed them, their fixed form.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from . import texts
from .assets import ATTACHMENTS, IMAGES, SITE_STATIC, STATIC, WAF_CHALLENGE, attachment_bytes, tables_zip
from .model import DISCLOSURE_ITEMS, HANWEB, SCRIPT, TABLE, TRS, Column, Item, Portal, Site
from .plants import attachment_plant, plant

esc = html.escape

WEEKDAYS = "一二三四五六日"


def today_cn(day: date) -> str:
    """The header widget's date: 2026年11月20日 星期五."""
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


PORTAL_SITE = {"name": "青溪区人民政府", "domain": "www.qingxi.example.gov.cn", "code": "3301020001",
               "icp": "浙ICP备12345678号-1", "police": "33010202000123"}
FGJ_SITE = {"name": "青溪区发展和改革局", "domain": "fgj.qingxi.example.gov.cn", "code": "3301020012",
            "icp": "浙ICP备12345678号-5", "police": "33010202000456"}

ROBOTS = b"User-agent: *\nDisallow: /search/\n"

#: How list pages print a date (``style`` → formatter of the date and the week's today).
DATE_STYLES = {
    "iso": lambda d, today: f"{d:%Y-%m-%d}",
    "bracket": lambda d, today: f"[{d:%Y-%m-%d}]",
    "cn": lambda d, today: texts.cn_date(d),
    "slash": lambda d, today: f"{d.year}/{d.month}/{d.day}",
    "relative": lambda d, today: f"{(today - d).days}天前",
    "short": lambda d, today: f"[{d:%m-%d}]",
    "none": lambda d, today: "",
}


@dataclass
class Resource:
    """One HTTP answer: body bytes, the exact Content-Type to send, a status and extra headers."""
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


def encode(markup: str, charset: str) -> Resource:
    """Encode a page the way its server does, lying or staying silent about the charset as planted."""
    if charset == "utf-8":
        return Resource(markup.encode("utf-8"), "text/html; charset=utf-8")
    if charset == "gb2312":
        return Resource(markup.encode("gb2312", "xmlcharrefreplace"), "text/html; charset=gb2312")
    if charset == "gbk-declared-utf8":
        return Resource(markup.encode("gbk", "xmlcharrefreplace"), "text/html; charset=utf-8")
    if charset == "gbk-undeclared":
        return Resource(markup.encode("gbk", "xmlcharrefreplace"), "text/html")
    raise ValueError(charset)


def charset_meta(charset: str) -> str:
    """The in-page declaration matching :func:`encode` (none for the undeclared GBK page)."""
    return {
        "utf-8": '<meta charset="utf-8">',
        "gb2312": '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "gbk-declared-utf8": '<meta charset="utf-8">',
        "gbk-undeclared": "",
    }[charset]


def meta_tags(meta: dict[str, str]) -> str:
    return "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in meta.items())


def document(title: str, meta: dict[str, str], header: str, content: str, footer: str,
             charset: str = "utf-8", head_extra: str = "") -> str:
    """A full HTML page."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta(charset)}
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}</title>
{meta_tags(meta)}
<link rel="stylesheet" href="/css/style.css">
{head_extra}
</head>
<body>
{header}
{content}
{footer}
</body>
</html>
"""


def body_html(blocks: list[tuple]) -> str:
    """Turn the block list of :mod:`govaudit.demo.texts` into HTML."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            out.append(f"<p>{esc(block[1])}</p>")
        elif kind == "h":
            out.append(f"<p><strong>{esc(block[1])}</strong></p>")
        elif kind == "wenhao":
            out.append(f'<p class="wenhao">{esc(block[1])}</p>')
        elif kind == "sign":
            out.append('<p class="sign">' + "<br>".join(esc(x) for x in block[1]) + "</p>")
        elif kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block[2])
            out.append(f"<table><tr>{head}</tr>{rows}</table>")
        else:
            raise ValueError(kind)
    return "\n".join(out)


def hanweb_record(item: Item) -> str:
    """One Hanweb <record> (a CDATA-wrapped <li>)."""
    return (f'<record><![CDATA[\n<li><a href="{item.url}" title="{esc(item.title)}" target="_blank">'
            f'{esc(item.title)}</a><span class="bt-data-time">{item.date:%Y-%m-%d}</span></li>\n]]></record>')


def dataproxy_xml(column: Column, start: int, end: int, perpage: int) -> bytes:
    """The XML dataproxy.jsp answers for records ``start..end`` (1-based, inclusive)."""
    records = column.ordered()
    total = len(records)
    perpage = max(1, perpage)
    chosen = records[max(0, start - 1):max(0, end)] if end >= start else []
    body = "\n".join(hanweb_record(i) for i in chosen)
    pages = (total + perpage - 1) // perpage
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
           f"<totalpage>{pages}</totalpage>\n<recordset>\n{body}\n</recordset>\n</datastore>\n")
    return xml.encode("utf-8")


TRS_PAGER_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  function pageUrl(n) { return _sPageName + (n > 0 ? "_" + n : "") + "." + _sPageExt; }
  document.write("<span>\\u5171" + _nPageCount + "\\u9875</span>&nbsp;");
  if (nCurrIndex == 0) {
    document.write("<span>\\u9996\\u9875</span>&nbsp;<span>\\u4e0a\\u4e00\\u9875</span>&nbsp;");
  } else {
    document.write("<a href=\\"" + pageUrl(0) + "\\">\\u9996\\u9875</a>&nbsp;");
    document.write("<a href=\\"" + pageUrl(nCurrIndex - 1) + "\\">\\u4e0a\\u4e00\\u9875</a>&nbsp;");
  }
  if (nCurrIndex == _nPageCount - 1) {
    document.write("<span>\\u4e0b\\u4e00\\u9875</span>&nbsp;<span>\\u5c3e\\u9875</span>");
  } else {
    document.write("<a href=\\"" + pageUrl(nCurrIndex + 1) + "\\">\\u4e0b\\u4e00\\u9875</a>&nbsp;");
    document.write("<a href=\\"" + pageUrl(_nPageCount - 1) + "\\">\\u5c3e\\u9875</a>");
  }
}
</script>"""


class Renderer:
    """Builds every static resource of both hosts for one pair of base URLs."""

    def __init__(self, portal: Portal, portal_url: str, site_url: str):
        self.portal = portal
        self.portal_url = portal_url.rstrip("/")
        self.site_url = site_url.rstrip("/")
        self.routes: dict[str, dict[str, Resource]] = {"portal": {}, "site": {}}

    # ---------------------------------------------------------------- helpers
    def add(self, host: str, path: str, resource: Resource) -> None:
        assert path not in self.routes[host], f"route defined twice: {host}{path}"
        self.routes[host][path] = resource

    def dept(self, site: Site):
        return self.portal.department(site.department)

    def dated(self, item: Item, style: str = "iso") -> str:
        return "" if item.date is None else DATE_STYLES[style](item.date, self.portal.as_of)

    def block(self, title: str, href: str, entries: list[Item], limit: int = 5, anchor: str = "") -> str:
        """A hub block: heading link, the latest entries with dates, and 更多>>."""
        lis = "".join(
            f'<li><a href="{i.url}" target="_blank" title="{esc(i.title)}">{esc(i.title)}</a>'
            + (f"<span>{i.date:%Y-%m-%d}</span>" if i.date else "") + "</li>"
            for i in entries[:limit])
        ident = f' id="{anchor}"' if anchor else ""
        return (f'<div class="block"{ident}><h3><a href="{href}">{esc(title)}</a>'
                f'<a class="more" href="{href}">更多&gt;&gt;</a></h3><ul class="list">{lis}</ul></div>')

    def column_block(self, column: Column, limit: int = 5) -> str:
        return self.block(column.name, column.path, column.ordered(), limit)

    # ---------------------------------------------------------------- portal template
    def portal_header(self) -> str:
        """The header shared by every portal-host page (date widget, logo, search, main nav)."""
        guide = self.portal.site("portal").disclosure["政府信息公开指南"]
        return f"""<div class="topbar"><div class="w"><span class="today">今天是{today_cn(self.portal.as_of)}</span>
<span class="links">欢迎访问青溪区人民政府门户网站</span></div></div>
<div class="head"><div class="w">
<a class="logo" href="/index.html"><img src="/images/logo.png" alt="青溪区人民政府" width="240" height="60"></a>
<form action="/search/index.html" method="get"><input type="text" name="q" placeholder="请输入关键字">
<button type="submit">搜索</button> <a href="/search/advanced.html">高级检索</a></form>
</div></div>
<div class="nav"><ul>
<li><a href="/index.html">首页</a></li>
<li><a href="/zjqx/index.html">走进青溪</a><div class="sub"><a href="/zjqx/index.html">青溪概况</a>
<a href="/zjqx/ldxx.html">区政府领导</a><a href="/zjqx/jgzn.html">机构职能</a></div></li>
<li><a href="/zfxxgk/index.html">政务公开</a><div class="sub"><a href="{guide}">政府信息公开指南</a>
<a href="/col/col1011/index.html">政府信息公开制度</a><a href="/zfxxgk/index.html#fdzdgknr">法定主动公开内容</a>
<a href="/col/col1012/index.html">政府信息公开年报</a></div></li>
<li><a href="/zwfw/index.html">政务服务</a></li>
<li><a href="/hdjl/index.html">互动交流</a></li>
</ul></div>"""

    def portal_footer(self, site: Site | None = None) -> str:
        """The footer shared by every portal-host page (部门网站, 主办单位, ©, 标识码, ICP, 公安备案, 党政机关);
        a section's pages leave out what its ``footer_omits`` names."""
        s = PORTAL_SITE
        police = "" if site is not None and "公安机关备案号" in site.footer_omits else (
            f'　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={s["police"]}" target="_blank">'
            f'<img src="/images/ga.png" alt="" width="20" height="20">浙公网安备 {s["police"]}号</a>')
        return f"""<div class="footer"><div class="w">
<p>部门网站：<a href="/jyj/index.html">区教育局</a>　<a href="/mzj/index.html">区民政局</a>　<a href="/wjw/index.html">区卫健委</a>　<a href="{self.site_url}/index.html" target="_blank">区发改局</a></p>
<p><a href="/lxwm.html">联系我们</a> | <a href="/zjqx/index.html">关于本站</a></p>
<p>主办单位：青溪区人民政府办公室　承办单位：青溪区大数据发展中心　联系电话：{texts.CONTACTS['zfb'][0]}</p>
<p>版权所有 &copy;2019-2026 青溪区人民政府　本网站建站于2019年</p>
<p>网站标识码：{s['code']}　<a href="https://beian.miit.gov.cn/" target="_blank">{s['icp']}</a>{police}</p>
<p class="dzjg"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=3A1F0C2D7E5B4A6C" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="55" height="65"></a>
<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={s['code']}" target="_blank"><img src="/images/jiucuo.png" alt="政府网站找错" width="110" height="55"></a></p>
</div></div>"""

    def portal_meta(self, column: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        meta = {"SiteName": PORTAL_SITE["name"], "SiteDomain": PORTAL_SITE["domain"],
                "SiteIDCode": PORTAL_SITE["code"], "ColumnName": column, "ColumnType": column}
        meta.update(extra or {})
        return meta

    def portal_page(self, title: str, column: str, content: str, charset: str = "utf-8",
                    head_extra: str = "", extra_meta: dict[str, str] | None = None,
                    site: Site | None = None) -> Resource:
        """A page of the portal host; ``site`` is the section it belongs to (its footer variant)."""
        markup = document(f"{title}_{PORTAL_SITE['name']}", self.portal_meta(column, extra_meta),
                          self.portal_header(), content, self.portal_footer(site), charset, head_extra)
        return encode(markup, charset)

    @staticmethod
    def crumb(*parts: tuple[str, str | None]) -> str:
        links = ['<a href="/index.html">首页</a>']
        for text, href in parts:
            links.append(f'<a href="{href}">{esc(text)}</a>' if href else esc(text))
        return '<div class="crumb">当前位置：' + " &gt; ".join(links) + "</div>"

    # ---------------------------------------------------------------- fgj template
    def fgj_header(self) -> str:
        nav = [("首页", "/index.html")] + [(c.name, c.path) for c in self.portal.owned_by("fgj")
                                          if not c.name.startswith("政府信息公开")]
        links = "".join(f'<li><a href="{href}">{esc(name)}</a></li>' for name, href in nav)
        return f"""<div class="topbar"><div class="w"><span class="today">{today_cn(self.portal.as_of)}</span>
<span class="links"><a href="{self.portal_url}/index.html" target="_blank">青溪区人民政府门户网站</a></span></div></div>
<div class="head"><div class="w"><a class="logo" href="/index.html"><img src="/images/logo.png" alt="青溪区发展和改革局" width="240" height="60"></a></div></div>
<div class="nav"><ul>{links}</ul></div>"""

    def fgj_footer(self) -> str:
        s = FGJ_SITE
        return f"""<div class="footer"><div class="w">
<p>主办单位：青溪区发展和改革局　地址：{texts.CONTACTS['fgj'][1]}　联系电话：{texts.CONTACTS['fgj'][0]}</p>
<p>版权所有&copy;2019-2026　青溪区发展和改革局</p>
<p>网站标识码：{s['code']}　<a href="https://beian.miit.gov.cn/" target="_blank">{s['icp']}</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={s['police']}" target="_blank"><img src="/images/ga.png" alt="" width="20" height="20">浙公网安备 {s['police']}号</a></p>
<p class="dzjg"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=7C2E9A0B4D1F3E58" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="55" height="65"></a></p>
</div></div>"""

    def fgj_page(self, title: str, column: str, content: str, charset: str = "utf-8",
                 extra_meta: dict[str, str] | None = None) -> Resource:
        meta = {"SiteName": FGJ_SITE["name"], "SiteDomain": FGJ_SITE["domain"], "SiteIDCode": FGJ_SITE["code"],
                "ColumnName": column, "ColumnType": column}
        meta.update(extra_meta or {})
        markup = document(f"{title}-{FGJ_SITE['name']}", meta, self.fgj_header(), content, self.fgj_footer(),
                          charset)
        return encode(markup, charset)

    # ---------------------------------------------------------------- build
    def build(self) -> dict[str, dict[str, Resource]]:
        """Render everything; returns ``{"portal": {path: Resource}, "site": {path: Resource}}``."""
        for host, static in (("portal", STATIC), ("site", SITE_STATIC)):
            for path, (ctype, body) in static.items():
                self.add(host, path, Resource(body, ctype))
            for path, build in IMAGES.items():
                if host == "portal" or path != "/images/jiucuo.png":
                    self.add(host, path, Resource(build(), "image/png"))
            self.add(host, "/robots.txt", Resource(ROBOTS, "text/plain; charset=utf-8"))
        self.portal_pages()
        for site in self.portal.sites:
            if site.prefix:
                self.add("portal", site.index_path, self.section_index(site))
                self.add("portal", site.profile, self.section_profile(site))
        self.fgj_pages()
        for column in self.portal.columns:
            self.column_pages(column)
        for site in self.portal.sites:
            if site.guide is not None:
                self.add(site.host, site.guide.url, self.disclosure_guide(site))
        return self.routes

    # ---------------------------------------------------------------- portal hub pages
    def portal_pages(self) -> None:
        p = self.portal
        cols = {c.hanweb_id: c for c in p.owned_by("portal")}
        site = p.site("portal")
        xxgk = "".join(f'<a href="{site.disclosure[name]}">{name}</a>　' for name in DISCLOSURE_ITEMS)
        blocks = "\n".join(self.column_block(column, limit) for column, limit in homepage_blocks(p, site))
        home = f"""<div class="main w">
{blocks}
<div class="block"><h3>政府信息公开<a class="more" href="/zfxxgk/index.html">进入政府信息公开平台&gt;&gt;</a></h3>
<p class="xxgk-nav">{xxgk}</p></div>
<div class="block"><h3>办事服务<a class="more" href="/zwfw/index.html">更多&gt;&gt;</a></h3>
<p><a href="/zwfw/index.html">个人办事</a>　<a href="/zwfw/index.html">法人办事</a>　<a href="/hdjl/index.html">区长信箱</a></p></div>
</div>"""
        self.add("portal", "/index.html", self.portal_page("首页", "首页", home))

        catalog = "".join(self.column_block(cols[n], 3) for n in (1005, 1006, 1007, 1008, 1009))
        platform = f"""<div class="main w">
{self.crumb(("政府信息公开", None))}
<h2>青溪区人民政府信息公开</h2>
<p class="xxgk-nav">{xxgk}</p>
{self.block("政府信息公开指南", site.disclosure["政府信息公开指南"], [site.guide], 1)}
{self.column_block(cols[1011], 3)}
<h3 id="fdzdgknr">法定主动公开内容</h3>
{catalog}
{self.column_block(cols[1012], 3)}
<div class="block"><h3>依申请公开</h3><p>公民、法人或者其他组织可以向青溪区人民政府办公室申请获取相关政府信息。
受理地址：{texts.CONTACTS['zfb'][1]}，联系电话：{texts.CONTACTS['zfb'][0]}。</p></div>
</div>"""
        self.add("portal", "/zfxxgk/index.html", self.portal_page("政府信息公开", "政府信息公开", platform))

        profile = "".join(f"<p>{esc(t)}</p>" for t in texts.DISTRICT_PROFILE)
        side = '<div class="side"><a href="/zjqx/index.html">青溪概况</a><a href="/zjqx/ldxx.html">区政府领导</a>' \
               '<a href="/zjqx/jgzn.html">机构职能</a></div>'
        self.add("portal", "/zjqx/index.html", self.portal_page("青溪概况", "青溪概况", f"""<div class="main w">
{self.crumb(("走进青溪", None))}{side}<div class="content-area article"><h1>青溪概况</h1>{profile}</div></div>"""))

        leaders = "".join(f'<div class="leader"><h3>{esc(n)}</h3><p>{esc(post)}</p><p>{esc(duty)}</p></div>'
                          for n, post, duty in texts.LEADERS)
        self.add("portal", "/zjqx/ldxx.html", self.portal_page("区政府领导", "区政府领导", f"""<div class="main w">
{self.crumb(("走进青溪", "/zjqx/index.html"), ("区政府领导", None))}{side}<div class="content-area">{leaders}</div></div>"""))

        self.add("portal", "/zjqx/jgzn.html", self.portal_page("机构职能", "机构职能", f"""<div class="main w">
{self.crumb(("走进青溪", "/zjqx/index.html"), ("机构职能", None))}{side}<div class="content-area article">
<h1>青溪区人民政府办公室</h1>{self.functions_html("zfb")}
<p><strong>区政府工作部门</strong></p><p>区政府办公室、区发展和改革局、区教育局、区民政局、区财政局、区人力资源和社会保障局、
区住房和城乡建设局、区卫生健康委员会、区应急管理局、区市场监督管理局等。</p></div></div>"""))

        services = "".join(f"<h3>{esc(t)}</h3><p>{esc(d)}</p>" for t, d in texts.SERVICES)
        self.add("portal", "/zwfw/index.html", self.portal_page("政务服务", "政务服务", f"""<div class="main w">
{self.crumb(("政务服务", None))}<div class="article">{services}
<p>网上办事请登录 <a href="https://www.zjzwfw.gov.cn/" target="_blank">浙江政务服务网</a>。</p></div></div>"""))

        letters = "".join(f"<p>{esc(t)}</p>" for t in texts.INTERACTION)
        self.add("portal", "/hdjl/index.html", self.portal_page("互动交流", "区长信箱", f"""<div class="main w">
{self.crumb(("互动交流", None))}<div class="article"><h1>区长信箱</h1>{letters}
<p>来信地址：{texts.CONTACTS['zfb'][1]}　邮编：330100　联系电话：{texts.CONTACTS['zfb'][0]}</p></div></div>"""))

        self.add("portal", "/lxwm.html", self.portal_page("联系我们", "联系我们", f"""<div class="main w">
{self.crumb(("联系我们", None))}<div class="article"><h1>联系我们</h1>
<p>主办单位：青溪区人民政府办公室</p><p>地址：{texts.CONTACTS['zfb'][1]}</p>
<p>联系电话：{texts.CONTACTS['zfb'][0]}　电子邮箱：zfb@qingxi.example.gov.cn</p></div></div>"""))

        # endpoints the link plants point at (govaudit.demo.plants)
        self.add("portal", "/zwfw/yuyue/index.html", Resource(WAF_CHALLENGE, "text/html; charset=utf-8", 412))
        self.add("portal", "/mzj/zxfw.html", Resource(b"", "text/html; charset=utf-8", 301,
                                                      (("Location", "/zwfw/index.html"),)))
        self.add("portal", "/col/col1002/files/cbdj_biaoge.zip", Resource(tables_zip(), "application/zip"))

        for path, title in (("/search/index.html", "站内搜索"), ("/search/advanced.html", "高级检索")):
            self.add("portal", path, self.portal_page(title, title, f"""<div class="main w">
{self.crumb((title, None))}<div class="article"><h1>{title}</h1><p>请输入关键字进行检索。</p></div></div>"""))

    def functions_html(self, dept_id: str) -> str:
        funcs = "".join(f"<p>{n + 1}. {esc(t)}</p>" for n, t in enumerate(texts.FUNCTIONS[dept_id]))
        leaders = "".join(f"<p>{esc(name)}　{esc(post)}：{esc(duty)}</p>" for name, post, duty in texts.DEPT_LEADERS[dept_id])
        return f"<p><strong>主要职责</strong></p>{funcs}<p><strong>领导信息</strong></p>{leaders}"

    # ---------------------------------------------------------------- sections on the portal host
    def dept_head(self, site: Site) -> str:
        return f'<div class="dept-head w"><a href="{site.index_path}">{esc(site.name)}</a></div>'

    def disclosure_block(self, site: Site) -> str:
        """The section's own 政府信息公开 block: only the items the section really offers."""
        links = "".join(f'<a href="{site.disclosure[name]}">{name}</a>　'
                        for name in DISCLOSURE_ITEMS if site.disclosure.get(name))
        return f'<div class="block"><h3>政府信息公开</h3><p class="xxgk-nav">{links}</p></div>'

    def section_index(self, site: Site) -> Resource:
        dept = self.dept(site)
        blocks = "".join(self.column_block(c, limit) for c, limit in homepage_blocks(self.portal, site))
        content = f"""{self.dept_head(site)}<div class="main w">
{self.crumb((dept.short, None))}
{self.disclosure_block(site)}
<div class="block"><h3>机构概况</h3><p><a href="{site.profile}">机构职能</a>　联系电话：{texts.CONTACTS[site.department][0]}</p></div>
<div id="fdzdgknr">{blocks}</div>
</div>"""
        charset = "gb2312" if site.cms == "trs" else "utf-8"
        return self.portal_page(site.name, site.name, content, charset, site=site)

    def section_profile(self, site: Site) -> Resource:
        dept = self.dept(site)
        content = f"""{self.dept_head(site)}<div class="main w">
{self.crumb((dept.short, site.index_path), ("机构职能", None))}
<div class="article"><h1>机构职能</h1>{self.functions_html(site.department)}
<p>办公地址：{texts.CONTACTS[site.department][1]}　联系电话：{texts.CONTACTS[site.department][0]}</p></div></div>"""
        charset = "gb2312" if site.cms == "trs" else "utf-8"
        return self.portal_page("机构职能", "机构职能", content, charset, site=site)

    def section_side(self, site: Site) -> str:
        links = "".join(f'<a href="{c.path}">{esc(c.name)}</a>' for c in self.portal.owned_by(site.id))
        return f'<div class="side"><a href="{site.index_path}">{esc(self.dept(site).short)}首页</a>{links}</div>'

    # ---------------------------------------------------------------- column lists
    def column_pages(self, column: Column) -> None:
        site = self.portal.site(column.site)
        pages = column.pages()
        if column.shape == HANWEB:
            self.add("portal", column.path, self.hanweb_list(column, site))
        elif column.shape == TRS:
            for n, page in enumerate(pages):
                path = column.dir + (f"index_{n}.html" if n else "index.html")
                self.add("portal", path, self.trs_list(column, site, page, n, len(pages)))
        elif site.host == "site":
            for n, page in enumerate(pages, start=1):
                path = column.path + (f"?page={n}" if n > 1 else "")
                self.add("site", path, self.fgj_list(column, page, n, len(pages)))
        else:
            for n, page in enumerate(pages, start=1):
                path = column.dir + (f"index_{n}.html" if n > 1 else "index.html")
                self.add("portal", path, self.plain_list(column, site, page, n, len(pages)))
        for item in column.items:
            self.add(site.host, item.url, self.article(column, site, item))
            for key in item.attachments:
                body = attachment_bytes(key, self.attachment_fixed(key))
                if body is not None:            # a missing attachment answers 404
                    self.add(site.host, column.dir + "files/" + key, Resource(body, ATTACHMENTS[key].content_type))

    def hanweb_crumb(self, column: Column) -> str:
        group_href = {"新闻中心": None, "政务公开": "/zfxxgk/index.html", "区卫健委": "/wjw/index.html"}
        return self.crumb((column.group, group_href[column.group]), (column.name, column.path))

    def hanweb_list(self, column: Column, site: Site) -> Resource:
        first = column.pages()[0]
        records = "\n".join(hanweb_record(i) for i in first)
        unit, cid = column.unit_id, column.hanweb_id
        webname = quote(PORTAL_SITE["name"])
        nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=%2F&columnid={cid}'
                     f'&unitid={unit}&webname={webname}&permissiontype=0"></a>')
        content = f"""<div class="main w">
{self.hanweb_crumb(column)}
<h2 class="column-title">{esc(column.name)}</h2>
<div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[{nextgroup}]]></nextgroup>
<recordset>
{records}
</recordset>
</datastore></script></div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<script type="text/javascript">
$('#{unit}').jpage({{
  dataStore: 'datastore', totalRecord: {len(column.items)}, perPage: {column.per_page}, barPosition: 'bottom',
  proxyUrl: '/module/web/jpage/dataproxy.jsp',
  ajaxParam: {{col: 1, appid: 1, webid: 1, path: '/', columnid: {cid}, sourceContentType: 1, unitid: {unit}, webname: '{PORTAL_SITE["name"]}', permissiontype: 0}}
}});
</script>
</div>"""
        return self.portal_page(column.name, column.name, content, site=site)

    def trs_list(self, column: Column, site: Site, page: list[Item], n: int, total: int) -> Resource:
        dept = self.dept(site)
        if column.placeholder:
            listing = '<div class="nodata">暂无信息</div>'
        else:
            lis = "".join(
                f'<li><a href="./{i.url[len(column.dir):]}" target="_blank" title="{esc(i.title)}">{esc(i.title)}</a>'
                f"<span>{self.dated(i)}</span></li>\n" for i in page)
            listing = f'<ul class="list">\n{lis}</ul>'
        content = f"""{self.dept_head(site)}<div class="main w">{self.section_side(site)}<div class="content-area">
{self.crumb((dept.short, site.index_path), (column.name, column.path))}
<h2 class="column-title">{esc(column.name)}</h2>
{listing}
<div class="pager"><script type="text/javascript">
var currentPage = {n};var countPage = {total};
createPageHTML({total}, {n}, "index", "html");
</script></div>
</div></div>"""
        return self.portal_page(column.name, column.name, content, "gb2312", TRS_PAGER_JS, site=site)

    @staticmethod
    def pager(total: int, n: int, url) -> str:
        """A server-side 首页/上一页/下一页/尾页 bar; ``url(k)`` gives page k's href (1-based)."""
        if total <= 1:
            return ""
        parts = [f"<span>共{total}页 第{n}/{total}页</span>", f'<a href="{url(1)}">首页</a>']
        parts.append(f'<a href="{url(n - 1)}">上一页</a>' if n > 1 else "<span>上一页</span>")
        parts.append(f'<a href="{url(n + 1)}">下一页</a>' if n < total else "<span>下一页</span>")
        parts.append(f'<a href="{url(total)}">尾页</a>')
        return '<div class="pager">' + " ".join(parts) + "</div>"

    def plain_list(self, column: Column, site: Site, page: list[Item], n: int, total: int) -> Resource:
        dept = self.dept(site)
        if column.shape == TABLE:
            rows = "".join(f'<tr><td><a href="{i.url}" target="_blank">{esc(i.title)}</a></td>'
                           f"<td>{self.dated(i, column.date_style)}</td></tr>\n" for i in page)
            listing = f'<table class="list">\n<tr><th>标题</th><th>发布日期</th></tr>\n{rows}</table>'
        else:
            lis = "".join(f'<li><a href="{i.url}" target="_blank">{esc(i.title)}</a>'
                          + (f"<span>{self.dated(i, column.date_style)}</span>" if i.date else "") + "</li>\n"
                          for i in page)
            listing = f'<ul class="list">\n{lis}</ul>'
        bar = self.pager(total, n, lambda k: "index.html" if k == 1 else f"index_{k}.html")
        content = f"""{self.dept_head(site)}<div class="main w">{self.section_side(site)}<div class="content-area">
{self.crumb((dept.short, site.index_path), (column.name, column.path))}
<h2 class="column-title">{esc(column.name)}</h2>
{listing}
{bar}
</div></div>"""
        return self.portal_page(column.name, column.name, content, site=site)

    def fgj_list(self, column: Column, page: list[Item], n: int, total: int) -> Resource:
        crumb = f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="{column.path}">{esc(column.name)}</a></div>'
        if column.shape == SCRIPT:
            data = [{"aT": i.title, "aU": i.url, "aPd": f"{i.date:%Y-%m-%d} {i.time}", "aS": "青溪区发展和改革局"}
                    for i in page]
            listing = f"""<ul class="list" id="itemList"></ul>
<script type="text/javascript">
var itemObj = {json.dumps(data, ensure_ascii=False)};
(function () {{
  var list = document.getElementById("itemList");
  for (var i = 0; i < itemObj.length; i++) {{
    var li = document.createElement("li"), a = document.createElement("a"), span = document.createElement("span");
    a.href = itemObj[i].aU; a.target = "_blank"; a.title = itemObj[i].aT; a.textContent = itemObj[i].aT;
    span.textContent = itemObj[i].aPd.substring(0, 10);
    li.appendChild(a); li.appendChild(span); list.appendChild(li);
  }}
}})();
</script>"""
        elif column.date_style == "short":
            # One list; the year is "elsewhere": in separator rows and in the article URLs.
            rows, year = [], None
            for i in page:
                if i.date.year != year:
                    year = i.date.year
                    rows.append(f'<li class="year">{year}年</li>\n')
                rows.append(f'<li><a href="{i.url}" target="_blank">{esc(i.title)}</a>'
                            f'<span>{self.dated(i, "short")}</span></li>\n')
            listing = f'<ul class="list">\n{"".join(rows)}</ul>'
        else:
            lis = "".join(f'<li><a href="{i.url}" target="_blank">{esc(i.title)}</a>'
                          f'<span class="time">{self.dated(i, column.date_style)}</span></li>\n' for i in page)
            listing = f'<ul class="list">\n{lis}</ul>'
        bar = self.pager(total, n, lambda k: column.path if k == 1 else f"{column.path}?page={k}")
        content = f"""<div class="main w">
{crumb}
<h2 class="column-title">{esc(column.name)}</h2>
{listing}
{bar}
</div>"""
        return self.fgj_page(column.name, column.name, content, column.charset)

    # ---------------------------------------------------------------- documents
    def attachments_html(self, column: Column, item: Item) -> str:
        if not item.attachments:
            return ""
        links = "".join(f'<p><a href="{column.dir}files/{key}" target="_blank">{esc(ATTACHMENTS[key].label)}</a></p>'
                        for key in item.attachments)
        return f'<div class="attachments"><p>附件：</p>{links}</div>'

    def attachment_fixed(self, key: str) -> bool:
        """Whether a week-2 change fixed the plant the attachment ``key`` belongs to."""
        owner = attachment_plant(key)
        return owner is not None and owner.key in self.portal.fixed

    def planted_html(self, item: Item) -> str:
        """The markup of the document's plants, planted or fixed."""
        return "".join(p.fixed_html if p.key in self.portal.fixed else p.html for p in map(plant, item.plants))

    @staticmethod
    def related_html(item: Item) -> str:
        """The 相关解读 / 政策原文 box of a policy document or an interpretation."""
        if not item.related:
            return ""
        links = "".join(f'<p>{label}：<a href="{url}" target="_blank">{esc(title)}</a></p>'
                        for label, title, url in item.related)
        return f'<div class="related">{links}</div>'

    def article(self, column: Column, site: Site, item: Item) -> Resource:
        dept = self.dept(site)
        variant = next((p.body for p in map(plant, item.plants) if p.body), None)
        blocks = texts.BODIES[variant or column.body](item, column, dept)
        body = body_html(blocks) + self.planted_html(item) + self.related_html(item)
        return self.document_page(site, item, column.name, column.path, body + self.attachments_html(column, item),
                                  column)

    def disclosure_guide(self, site: Site) -> Resource:
        body = body_html(texts.disclosure_guide(self.dept(site)))
        return self.document_page(site, site.guide, "政府信息公开指南", None, body, None)

    def document_page(self, site: Site, item: Item, column_name: str, column_path: str | None,
                      body: str, column: Column | None) -> Resource:
        """One document in the style of the site's CMS (meta PubDate, 发布时间 label, TRS_Editor …)."""
        dept = self.dept(site)
        title = esc(item.title)
        stamp = f"{item.date:%Y-%m-%d} {item.time}" if item.date else None
        meta = {"ArticleTitle": item.title}
        if stamp:
            meta["PubDate"] = stamp
        meta["ContentSource"] = dept.name
        views = 100 + (item.id * 37) % 2900
        if site.cms == "client":
            info = f"发布日期：{stamp}　来源：{dept.name}" if stamp else f"来源：{dept.name}"
            crumb = '<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; ' + (
                f'<a href="{column_path}">{esc(column_name)}</a>' if column_path else esc(column_name)) + "</div>"
            content = f"""<div class="main w">{crumb}<div class="article"><h1>{title}</h1>
<div class="info">{info}</div><div class="content">{body}</div></div></div>"""
            return self.fgj_page(item.title, column_name, content, "utf-8", meta)
        if site.cms == "trs":
            crumb = self.crumb((dept.short, site.index_path), (column_name, column_path))
            content = f"""{self.dept_head(site)}<div class="main w">{crumb}<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{stamp}　来源：{dept.name}</div>
<div class="TRS_Editor">{body}</div></div></div>"""
            return self.portal_page(item.title, column_name, content, "gb2312", extra_meta=meta, site=site)
        if site.cms == "plain":
            crumb = self.crumb((dept.short, site.index_path), (column_name, column_path))
            info = f"发布时间：{item.date:%Y-%m-%d}　来源：{dept.name}" if item.date else f"来源：{dept.name}"
            content = f"""{self.dept_head(site)}<div class="main w">{crumb}<div class="article"><h1>{title}</h1>
<div class="info">{info}　浏览次数：{views}</div><div class="text">{body}</div></div></div>"""
            return self.portal_page(item.title, column_name, content, extra_meta=meta, site=site)
        # Hanweb (the portal itself and 区卫健委's columns)
        if column is not None:
            crumb = self.hanweb_crumb(column)
        else:
            crumb = self.crumb(("政府信息公开", "/zfxxgk/index.html"), (column_name, None))
        content = f"""<div class="main w">{crumb}<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{stamp}　来源：{dept.name}　浏览次数：{views}</div>
<div class="content" id="zoom">{body}</div></div></div>"""
        return self.portal_page(item.title, column_name, content, extra_meta=meta, site=site)

    # ---------------------------------------------------------------- 发改局 own site
    def fgj_pages(self) -> None:
        site = self.portal.site("fgj")
        blocks = "".join(self.column_block(c, limit) for c, limit in homepage_blocks(self.portal, site))
        content = f"""<div class="main w">
{self.disclosure_block(site)}
<div class="block"><h3>机构概况</h3><p><a href="{site.profile}">机构职能</a>　联系电话：{texts.CONTACTS['fgj'][0]}</p></div>
<div id="fdzdgknr">{blocks}</div>
</div>"""
        self.add("site", "/index.html", self.fgj_page("首页", "首页", content))
        profile = f"""<div class="main w"><div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; 机构职能</div>
<div class="article"><h1>机构职能</h1>{self.functions_html("fgj")}
<p>办公地址：{texts.CONTACTS['fgj'][1]}　联系电话：{texts.CONTACTS['fgj'][0]}</p></div></div>"""
        self.add("site", site.profile, self.fgj_page("机构职能", "机构职能", profile))


#: How many entries a section's index shows per column block, per CMS (they differ in reality).
HUB_ENTRIES = {"trs": 5, "plain": 4, "hanweb": 6, "client": 5}
#: The portal homepage's column blocks: (Hanweb column id, entries shown).
PORTAL_HOME = ((1001, 7), (1002, 7), (1003, 6), (1004, 6), (1005, 5), (1006, 5))


def homepage_blocks(portal: Portal, site: Site) -> list[tuple[Column, int]]:
    """The column blocks a site's homepage shows: (column, how many of its entries)."""
    if site.id == "portal":
        return [(portal.hanweb(cid), limit) for cid, limit in PORTAL_HOME]
    columns = portal.owned_by(site.id) if site.host == "site" else portal.columns_of(site.id)
    return [(c, HUB_ENTRIES[site.cms]) for c in columns]


def homepage_entries(portal: Portal, site: Site) -> list[Item]:
    """Every entry a site's homepage lists (the newest of each block, pinned ones first)."""
    return [item for column, limit in homepage_blocks(portal, site) for item in column.ordered()[:limit]]


def not_found_page() -> Resource:
    """The Chinese 404 page (same for both hosts)."""
    head, tail = texts.NOT_FOUND
    markup = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title></head>
<body style="text-align:center;font-family:'Microsoft YaHei',sans-serif;padding-top:80px">
<h1 style="color:#c4121c">404</h1><p>{esc(head)}</p><p>{esc(tail)}</p>
<p><a href="/index.html">返回首页</a></p></body></html>
"""
    return Resource(markup.encode("utf-8"), "text/html; charset=utf-8", 404)


def build_routes(portal: Portal, portal_url: str, site_url: str) -> dict[str, dict[str, Resource]]:
    """All static resources of both hosts for the given base URLs."""
    return Renderer(portal, portal_url, site_url).build()

