"""The planted cases of the demo that live inside documents, and the declared decoys of every rule.

:data:`PLANTS` is the table: each plant sits in one document (site, column, title prefix), is a
true case or a decoy of one rule, and says why it is there. A plant adds markup to the
document's body (``html``), makes it carry an attachment (``attachment``), sets its 成文日期
(``written``) or swaps its body for a variant (``body``). A week-2 change of
:data:`govaudit.demo.content.CHANGES` can *fix* a plant: its document then shows ``fixed_html``
and its attachment serves the fixed file.

:data:`PAIRS` links policy documents and their interpretations (政策解读) both ways, or one way
where that is the planted problem. :data:`DECOYS` names, for every rule, the places that look
like a problem and must not be reported; the end-to-end test refuses a rule without one.

Columns, sites and footers carry their own plants in :mod:`govaudit.demo.content` (stale and
blank columns, missing 专栏 items, a footer without 公安备案号, flaky homepages).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Plant:
    """One planted case in one document (the first item of ``site``/``column`` whose title
    starts with ``title``)."""
    key: str
    rule: str
    true: bool                   # a true case (the rule must report it) or a decoy (it must not)
    site: str
    column: str
    title: str
    why: str
    html: str = ""               # markup appended to the document's body
    fixed_html: str = ""         # what the body shows instead once a change fixed the plant
    target: str | None = None    # link rules: the judged link target (path on the document's host);
                                 # an attachment plant is judged at its attachment's URL
    attachment: str | None = None   # an attachment key the document carries (assets.ATTACHMENTS)
    written: date | None = None  # timeliness: the 成文日期 the document's signature shows
    body: str | None = None      # a texts.BODIES variant replacing the column's body generator


_HIDDEN_LINK = ('<div style="display:none"><a href="http://www.xpj888.com/" target="_blank">'
                '澳门新葡京娱乐城官网</a></div>')
_ANTI_GAMBLING = ("<p>活动中，民警结合典型案例，提醒群众警惕“百家乐”“时时彩”等网络赌博陷阱，切勿点击来历不明的链接。"
                  "区公安分局依法打击赌博违法犯罪活动，今年以来共查处赌博案件12起，抓获违法犯罪嫌疑人36名。</p>")
_TYPO = "<p>（依据《{}办公厅关于全面推进城镇老旧小区改造工作的指导意见》）</p>"
_CREDIT = ("<p>推荐单位：青溪区数智科技有限公司（统一社会信用代码：91330102MA2H3J4K5L），"
           "项目编码：330102202608080013；联系电话：0571-86015238，经办人手机：138****6021。</p>")

PLANTS: list[Plant] = [
    # ---- integrity (暗链) ----------------------------------------------------------------------
    Plant("hidden-gambling-link", "integrity", True, "jyj", "教育动态", "青溪区举办中小学生科技节",
          "a display:none link to a gambling site injected into a news article (left in place in week 2)",
          html=_HIDDEN_LINK),
    Plant("anti-gambling-news", "integrity", False, "portal", "部门动态", "区公安分局开展打击治理跨境赌博",
          "an anti-gambling news article that names 百家乐/时时彩 to warn against them", html=_ANTI_GAMBLING),
    # ---- expression (严重表述错误) ---------------------------------------------------------------
    Plant("guowuyuan-typo", "expression", True, "portal", "政策文件", "青溪区人民政府办公室关于印发青溪区城市更新",
          "「国务园办公厅」for 国务院办公厅 in a policy document; corrected in week 2",
          html=_TYPO.format("国务园"), fixed_html=_TYPO.format("国务院")),
    Plant("guowuyuan-correct", "expression", False, "portal", "政策文件", "青溪区人民政府关于印发青溪区促进数字经济",
          "the correct 国务院办公厅 in another policy document", html=_TYPO.format("国务院")),
    Plant("core-values-phrase", "expression", False, "jyj", "教育动态", "区教育局召开冬季校园安全工作会议",
          "「社会主义核心价值关键在于…」contains the wrong form 核心价值关 inside a correct sentence",
          html="<p>会议强调，培育和弘扬社会主义核心价值关键在于落细落小落实，要把立德树人融入校园安全教育全过程。</p>"),
    # ---- privacy (个人信息) ----------------------------------------------------------------------
    Plant("raw-relief-roster", "privacy", True, "mzj", "社会救助公示", "青溪区2026年第三季度临时救助对象公示",
          "an .xlsx roster with raw 身份证号 and 手机号; replaced by a masked list in week 2",
          attachment="linshi_2026_q3_mingdan.xlsx"),
    Plant("credit-code-and-landline", "privacy", False, "fgj", "通知公告", "关于开展社会信用体系建设示范单位评选",
          "统一社会信用代码, an 18-digit project code failing the ID checksum, an office landline and a "
          "masked mobile number", html=_CREDIT),
    # ---- dead_link / unverifiable_link -----------------------------------------------------------
    Plant("missing-attachment", "dead_link", True, "jyj", "通知公告", "关于举办青溪区第七届中小学生艺术节",
          "the notice links its 报名表 attachment, which answers 404; uploaded in week 2",
          attachment="yishujie_baomingbiao.xlsx"),
    Plant("moved-page-link", "dead_link", False, "mzj", "民政动态", "青溪区新增三家社区嵌入式养老服务中心",
          "a link to an old address that answers 301 to a live page",
          html='<p>相关服务：<a href="/mzj/zxfw.html">在线办理养老服务补贴</a></p>'),
    Plant("commented-old-link", "dead_link", False, "mzj", "民政动态", "区民政局开展困难群众走访慰问",
          "a commented-out link to a removed page (no reader sees it)",
          html='<!-- <p><a href="/mzj/old/index.html">旧版民政动态</a></p> -->'),
    Plant("waf-booking", "unverifiable_link", True, "portal", "通知公告", "关于2026年国庆节期间政务服务大厅",
          "a link to the booking system behind a WAF that answers HTTP 412 with a JavaScript challenge",
          html='<p>预约办理请登录<a href="/zwfw/yuyue/index.html">网上预约系统</a>。</p>', target="/zwfw/yuyue/index.html"),
    Plant("zip-download", "unverifiable_link", False, "portal", "通知公告", "关于做好2027年度城乡居民医疗保险",
          "an internal .zip the crawl only checks: it answers 200",
          html='<p>相关表格：<a href="/col/col1002/files/cbdj_biaoge.zip">参保登记表格下载</a></p>'),
    # ---- timeliness (发布不及时) -----------------------------------------------------------------
    Plant("late-publicity", "timeliness", True, "portal", "通知公告", "青溪区2026年第二批区级重点项目计划公示",
          "signed 2026-09-22, published 2026-10-29: 22 working days after the National Day holiday",
          written=date(2026, 9, 22)),
    Plant("holiday-lag", "timeliness", False, "portal", "通知公告", "关于公开招聘社区专职工作者的公告",
          "signed 2026-09-11, published 2026-10-15: 24 weekdays but exactly 20 working days (中秋、国庆 off, "
          "调休 Sundays on)", written=date(2026, 9, 11)),
    # ---- annual_report (年报) --------------------------------------------------------------------
    Plant("old-layout-report", "annual_report", True, "jyj", "政府信息公开年报", "青溪区教育局2025年",
          "the 2025 report still uses the pre-2019 layout (一、概述 … 七、其他需要报告的事项)", body="report_old"),
    Plant("miscounted-report", "annual_report", True, "wjw", "政府信息公开年报", "青溪区卫生健康委员会2025年",
          "the 2025 report's application table does not add up: 予以公开 is 2 too many for its 总计",
          body="report_miscounted"),
]

#: Policy documents and their interpretations: (site, policy title prefix, interpretation title
#: prefix, how). ``both`` links each to the other; ``to_policy`` only the interpretation links
#: its policy (the policy page lacks the link back); ``to_interpretation`` the reverse. A pair
#: whose interpretation does not exist yet (added in week 2) is not linked that week.
PAIRS: list[tuple[str, str, str, str]] = [
    ("portal", "青溪区人民政府关于印发青溪区促进数字经济", "图解：《青溪区促进数字经济", "both"),
    ("portal", "青溪区人民政府办公室关于印发青溪区城市更新", "一图读懂《青溪区城市更新", "both"),
    ("portal", "青溪区人民政府关于调整城乡居民基本养老保险", "《关于调整城乡居民基本养老保险", "both"),
    ("portal", "青溪区人民政府办公室关于进一步做好稳就业", "《关于进一步做好稳就业", "to_policy"),
    ("portal", "青溪区人民政府办公室关于印发青溪区2026年民生实事", "解读《青溪区2026年民生实事", "both"),
    ("jyj", "青溪区教育局关于印发《青溪区中小学课后服务", "《青溪区中小学课后服务", "both"),
    ("jyj", "青溪区教育局关于进一步加强中小学生心理健康", "一图读懂：关于进一步加强中小学生心理健康", "both"),
    ("jyj", "青溪区教育局关于印发《青溪区2026年教育工作要点", "《青溪区2026年教育工作要点", "both"),
    ("jyj", "青溪区教育局关于印发《青溪区中小学教师减负", "《青溪区中小学教师减负", "both"),
    ("jyj", "青溪区教育局 青溪区财政局关于调整学前教育", "关于调整学前教育保育教育费", "to_interpretation"),
    ("jyj", "青溪区教育局关于印发《青溪区校外培训机构", "《青溪区校外培训机构", "both"),
    ("jyj", "青溪区教育局关于印发《青溪区中小学校园安全", "图解《青溪区中小学校园安全", "both"),
    ("mzj", "青溪区民政局关于印发《青溪区最低生活保障审核", "《青溪区最低生活保障审核", "both"),
    ("mzj", "青溪区民政局关于印发《青溪区居家养老服务补贴", "《青溪区居家养老服务补贴", "both"),
    ("mzj", "青溪区民政局关于印发《青溪区社区社会组织", "一图读懂《青溪区社区社会组织", "both"),
    ("mzj", "青溪区民政局关于加强困境儿童保障", "《关于加强困境儿童保障", "both"),
    ("fgj", "青溪区发展和改革局关于印发《青溪区政府投资项目", "《青溪区政府投资项目", "both"),
    ("fgj", "青溪区发展和改革局关于印发《青溪区社会信用体系", "《青溪区社会信用体系", "both"),
    ("fgj", "青溪区发展和改革局关于印发《青溪区服务业发展", "《青溪区服务业发展", "both"),
    ("fgj", "青溪区发展和改革局关于印发《青溪区节能审查", "图解《青溪区节能审查", "both"),
]

#: Per rule, the decoys the demo plants: places that look like the problem and are not. Plant
#: decoys above are added by :func:`decoys`.
DECOYS: dict[str, list[str]] = {
    "column_stale": [
        "portal 部门动态: latest item exactly on the last fresh day of the 14-day window (week 1)",
        "mzj 通知公告, mzj 政策文件, fgj 通知公告: latest exactly on the 6-month boundary (week 1)",
        "wjw 人事信息: latest exactly on the 1-year boundary (week 1)",
        "portal 财政资金: a pinned old item listed first, the newest second",
        "portal 街道动态: every page shows today's date widget and ©2019-2026",
        "jyj 政策文件: 文号 〔2026〕11号/12号 in titles that look like Nov/Dec 2026",
    ],
    "column_blank": ["mzj 社会组织: a single item is not blank"],
    "stale_count": ["jyj: 4 stale columns in week 1 — the key-column warning fires, the all-column count "
                    "stays below its warning (6)",
                    "portal, fgj: 2 stale columns each, below every threshold"],
    "blank_count": ["jyj, mzj, fgj: one blank column each, below the warning (2)"],
    "section_missing": ["the portal's shared navigation names all four 政府信息公开 items on every page "
                        "(it does not count for a department)"],
    "identity": ["every other section shows all four footer items; pages are served from 127.0.0.1, "
                 "allowed by the demo config"],
    "interpretation": ["policy-list items that are not policies (任免, 计划, 标准调整 notices) have no "
                       "interpretation and need none"],
    "homepage_stale": ["mzj: the newest item its index shows is exactly 10 days old (week 1): not yet the "
                       "early warning (more than 10 days)",
                       "wjw (week 2): a future-dated item on the index is no evidence of an update"],
    "annual_report": ["portal: its own 2025 report published 2026-03-27 is on time for a government "
                      "(3月31日, rules.annual_report.government_sites)",
                      "jyj, wjw: 2025 reports published in January, on time for a department (1月31日)",
                      "portal, fgj: 2021-format reports whose tables add up; older years are not judged"],
    "availability": ["portal homepage: its 7th request fails, 1 of 41 probes (2.4%): below the 3% early "
                     "warning"],
    "forged_date": ["portal 青溪要闻 (week 2): new items dated after week 1's crawl, at the top of the list",
                    "portal 青溪要闻 (week 2): a new item dated 2 days before week 1's crawl (within the "
                    "3-day tolerance)",
                    "portal 街道动态, mzj 政策解读, wjw 疾病预防控制 (week 2): new items at the top of a list or "
                    "in a list that was empty: nothing shows that week 1 read their place",
                    "portal 政策文件 (week 2): a new document dated 2026-10-12 between two items week 1 read: "
                    "政策文件 lists show the 成文日期, the class is not judged"],
}


def decoys() -> dict[str, list[str]]:
    """Every rule's declared decoys: :data:`DECOYS` plus the decoy plants."""
    out = {rule: list(descriptions) for rule, descriptions in DECOYS.items()}
    for plant in PLANTS:
        if not plant.true:
            out.setdefault(plant.rule, []).append(f"{plant.site} {plant.column}「{plant.title}…」: {plant.why}")
    return out


def plant(key: str) -> Plant:
    return next(p for p in PLANTS if p.key == key)


def attachment_plant(key: str) -> Plant | None:
    """The plant an attachment belongs to, if any."""
    return next((p for p in PLANTS if p.attachment == key), None)
