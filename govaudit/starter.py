"""The commented starter config written by `govaudit init`."""

STARTER_CONFIG = """\
# govaudit config — one file per supervising office.
# Validate it with: govaudit crawl --help   (errors name the field and the fix)

# Who issues the bulletins (shown in their header and footer).
organization: 某某区人民政府办公室

# Where results go. A relative SQLite path is resolved next to this file.
# PostgreSQL later: postgresql://user@host/govaudit
store: sqlite:///govaudit.db

# Audits judge dates as of this day; leave it out to use today (Beijing time).
# as_of: 2026-11-20

departments:                 # every unit you supervise
  - id: zfb                  # short ASCII id used in commands and file names
    name: 某某区人民政府办公室
    email: zfb@example.gov.cn
  - id: jyj
    name: 某某区教育局
    email: jyj@example.gov.cn

sites:                       # a site is a *section*: start URLs plus an optional path scope
  - id: portal
    name: 某某区人民政府门户网站
    department: zfb
    start_urls: ["http://www.example.gov.cn/"]
    # allowed_hosts: ["www.example.gov.cn"]   # default: the hosts of start_urls
  - id: jyj
    name: 某某区教育局
    department: jyj
    start_urls: ["http://www.example.gov.cn/jyj/index.html"]
    scope: ["/jyj/"]          # pages under this prefix belong to this section;
                             # CMS pages elsewhere (/col/col123/…) are attributed by who links to them
    columns:                 # optional: columns to check even if discovery misses them
      - name: 通知公告
        url: http://www.example.gov.cn/jyj/tzgg/index.html
        update_class: 通知公告

# Update classes and their windows; write them as supervisors do:
# 一日一更新, 每周, 两周, 每月, 每季度, 半年, 每年, 14天, 6个月 …
# Defaults (国办秘函〔2019〕19号): 动态要闻 两周, 通知公告 半年, 政策文件 半年, 基础信息 每年.
update_classes:
  动态要闻: 两周
  通知公告: 半年
  政策文件: 半年
  基础信息: 每年
default_update_class: 基础信息

# Discovered columns get a class from keywords in their Chinese name (first match wins).
class_keywords:
  动态要闻: [要闻, 动态, 新闻, 资讯, 快讯]
  通知公告: [通知, 公告, 公示]
  政策文件: [政策文件, 规范性文件, 文件]

politeness:
  concurrency_per_host: 2    # parallel requests per host
  delay: 1.0                 # seconds between requests to one host
  autothrottle: true         # slow down further when the site slows down
  timeout: 20                # seconds per request
  robots_txt: true           # honour robots.txt
  max_pages_per_site: 5000
  max_depth: 12
  max_list_pages: 50         # pages followed per column (Hanweb, TRS, 下一页 …)
  max_attachment_bytes: 20000000
  # Link checks (rules dead_link / unverifiable_link). Internal links are checked by the crawl
  # itself; an external link target gets one HEAD (or small GET) per run, never a crawl.
  check_external_links: true # contact the hosts your sites link to (off when left out)
  external_concurrency: 1    # parallel checks per external host
  external_delay: 2          # seconds between checks to one external host
  max_link_checks: 2000      # distinct targets checked per run; the rest are recorded as skipped

# Per-rule settings override the rulebook defaults (`govaudit rules` lists them).
# rules:
#   section_missing:
#     items:
#       政府信息公开年报: [信息公开年报, 年度报告]
"""
