"""Scrapy settings for the govaudit crawler.

`govaudit crawl` starts from these and overrides politeness and limits from the config file
(see `crawler.runner.settings_for`). They are also what `scrapy crawl sections` uses.
"""
BOT_NAME = "govaudit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "govaudit/0.1 (+government website inspection)"
ROBOTSTXT_OBEY = True

# Polite defaults; a config's `politeness:` section overrides them.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# The store pipeline is synchronous (batched writes): Scrapy's default of 100 parallel item
# workers per callback only adds asyncio tasks (bench/README.md, profile).
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10_000_000
DOWNLOAD_WARNSIZE = 0
DEPTH_LIMIT = 12
DEPTH_PRIORITY = 1           # breadth-first: list pages near the start come before deep archives
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False      # inspection is anonymous; no session state between pages
HTTPERROR_ALLOW_ALL = True   # 404/500 pages are facts to store, not errors to drop
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"

ITEM_PIPELINES = {
    "crawler.pipelines.StorePipeline": 500,
}
EXTENSIONS = {
    "crawler.extensions.CrawlProgress": 500,
}
# Hostile sites (crawler/middlewares.py): spider-trap guard before DepthMiddleware (900) sees the
# links; Retry-After back-off before RetryMiddleware (550) sees the 429/503; the redirect-loop
# guard before RedirectMiddleware (600) follows a 3xx.
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.TrapGuard": 950,
    # depth of links found on pages reused from the store inside a callback (crawler.incremental)
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "crawler.incremental.StoredDepth": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's robots.txt middleware lets all but the first request waiting for robots.txt through
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
    "crawler.middlewares.RetryAfterMiddleware": 560,
    "crawler.middlewares.RedirectLoopGuard": 610,
}
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# govaudit-specific settings (set from the config by crawler.runner)
GOVAUDIT_CONFIG = None        # path of sites.yaml
GOVAUDIT_STORE = None         # store URL override
GOVAUDIT_RUN_ID = None        # set by the runner after creating the run
GOVAUDIT_BATCH_SIZE = 500     # rows per store transaction
GOVAUDIT_PROGRESS = False     # rich progress bar on stderr
GOVAUDIT_RESUME = False       # continue GOVAUDIT_RUN_ID from its stored facts (crawler.resume)
GOVAUDIT_INCREMENTAL = True   # revalidate what the last complete run of the config read (crawler.incremental)
