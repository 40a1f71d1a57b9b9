"""A Rich progress display for crawls (enabled by GOVAUDIT_PROGRESS, on an interactive terminal)."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.exceptions import NotConfigured


class CrawlProgress:
    def __init__(self, crawler):
        console = Console(stderr=True)
        if not crawler.settings.getbool("GOVAUDIT_PROGRESS") or not console.is_terminal:
            raise NotConfigured
        self.stats = crawler.stats
        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]抓取[/] {task.description}"), BarColumn(),
                                 TextColumn("{task.completed} 页 · {task.fields[errors]} 错误"), TimeElapsedColumn(),
                                 console=console, transient=True)
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response, signal=signals.response_received)
        crawler.signals.connect(ext.error, signal=signals.spider_error)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        self.progress.start()
        self.task = self.progress.add_task(spider.name, total=None, errors=0)

    def response(self, response, request, spider):
        self.progress.update(self.task, advance=1, description=response.url[:60])

    def error(self, failure, response, spider):
        self.progress.update(self.task, errors=self.progress.tasks[0].fields["errors"] + 1)

    def closed(self, spider, reason):
        self.progress.stop()
