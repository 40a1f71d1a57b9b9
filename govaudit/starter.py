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
    email: jyj@example.gov.cn  # notices and reminders are mailed here (--send)
    contact: 李四              # optional: printed on the 整改通知书
    phone: 0000-00000001

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
  # Hostile sites (docs/crawler.md "Hostile sites"): traps, zip bombs, Retry-After back-off.
  # max_url_length: 1024       # longer links are not followed
  # max_path_repeats: 3        # /a/a/a/… : a path segment repeated more often is a trap
  # max_unzipped_bytes: 100000000   # xlsx/docx declaring more uncompressed bytes are refused
  # max_retry_after: 120       # longest Retry-After (s) honoured before retrying a 429/503
  # Incremental crawls (docs/crawler.md "Incremental crawls"): an article or attachment the last
  # run read is reused without asking the site until it is due (14–28 days after its last check,
  # spread by URL); list pages, homepages and pages named by a finding are always read again.
  # revalidate_after_days: 28  # 0: ask for every page on every crawl
  # Link checks (rules dead_link / unverifiable_link). Internal links are checked by the crawl
  # itself; an external link target gets one HEAD (or small GET) per run, never a crawl.
  check_external_links: true # contact the hosts your sites link to (off when left out)
  external_concurrency: 1    # parallel checks per external host
  external_delay: 2          # seconds between checks to one external host
  max_link_checks: 2000      # distinct targets checked per run; the rest are recorded as skipped

# Scores (国办秘函〔2019〕19号: 单项否决 first, then 100 minus deductions, below 60 不合格).
# Every default and its source: docs/scoring.md. Uncomment to change them.
# scoring:
#   pass_mark: 60              # below it a site is 不合格
#   month_judgement: last      # a site's month: its last run of the month, or `worst`
#   department_score: min      # a department: its lowest site score, or `mean` (any 不合格 site fails it)
#   bottom_n: 3                # 效能预警 for the N lowest-ranked departments (ties included); 0: none
#   grades:                    # optional marks from scores: [minimum score, mark], highest first
#     - [90, 满分]
#     - [80, 90]
#     - [70, 60]
#     - [0, 0]
#   indicators:                # points per finding and cap per site of an indicator
#     column_stale: {points: 1, cap: 10}
#   rules:                     # which indicator a rule's findings count under
#     privacy: privacy

# Who departments contact about a 整改通知书 or 临期提醒 (printed on them).
contact:
  office: 某某区政务公开办
  name: 张三
  phone: 0000-00000000
  email: gkb@example.gov.cn

# Weekly operation: cron runs `govaudit run sites.yaml` every week (docs/operations.md).
schedule:
  every_days: 7              # days between two runs
  monthly_day: 1             # bulletin + 整改通知书 at the first run on or after this day of the month,
                             # for the previous month (keep it <= 22 with weekly runs);
                             # `last`: at the month's last run, for that month
  notices: true              # write the 整改通知书 on the monthly day
  send_notices: false        # and mail them (needs `mail:`)
  reminders: true            # write the 临期提醒 at every run
  send_reminders: false      # and mail them (needs `mail:`)
  reminder_days: 7           # columns going stale before the next run
  out_dir: govaudit-out      # out_dir/2026-11/ the month's files, out_dir/2026-12/2026-12-01/ a run's

# Mail for notices and reminders (--send, send_notices, send_reminders). The password is never
# written here: export it in the environment variable that password_env names.
# mail:
#   host: smtp.example.gov.cn
#   port: 465                # default: 587 starttls, 465 ssl, 25 none
#   security: ssl            # starttls, ssl, or none (a relay without login)
#   user: gkb@example.gov.cn
#   password_env: GOVAUDIT_SMTP_PASSWORD
#   from: 某某区政务公开办 <gkb@example.gov.cn>
#   cc: [leader@example.gov.cn]
#   bcc: []
#   ca_file: ca.pem          # certificate of a private CA (relative: next to this file)
#   subject_notice: "关于{department}政府网站检查问题的整改通知（{month}）"   # also {organization} {deadline}
#   subject_reminder: "{department}政府网站栏目更新临期提醒（{date}）"        # also {organization} {count}

# The problem ledger (问题清单, `govaudit ledger`): a problem's 整改期限 is this many working days
# (official calendar, 调休 included) after the audit that first found it.
# ledger:
#   deadline_workdays: 10

# Per-rule settings override the rulebook defaults (`govaudit rules` lists them).
# rules:
#   section_missing:
#     items:
#       政府信息公开年报: [信息公开年报, 年度报告]
"""
