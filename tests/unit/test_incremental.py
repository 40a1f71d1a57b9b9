"""Which stored documents an incremental crawl answers from the store (crawler.incremental)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.incremental import STORED_DEPTH, Revalidator, StoredDepth, due_after
from govaudit.store import Store

NOW = datetime.now(timezone.utc)
H = "http://gov.example"


def test_due_dates_spread_between_half_and_all_of_the_period():
    dues = [due_after(f"{H}/art/t{i}.html", 28) for i in range(2000)]
    assert all(timedelta(days=14) <= due <= timedelta(days=28) for due in dues)
    early = sum(due < timedelta(days=21) for due in dues)
    assert 800 < early < 1200                                   # about half come due in the first week
    assert due_after(f"{H}/a.html", 28) == due_after(f"{H}/a.html", 28)     # fixed per URL


@pytest.fixture
def previous(tmp_path):
    """A complete run with reusable documents of several ages and one named by a finding."""
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    run = store.new_run("sites.yaml", "d", {})
    ages = {"fresh": 1, "recent": 13, "old": 29, "flagged": 2, "never": None, "list": 1}
    store.write_batch({
        "pages": [{"run_id": run, "url": f"{H}/{name}.html", "status": 200, "depth": 3,
                   "kind": "list" if name == "list" else "article",
                   "fetched_at": NOW} for name in ages],
        "page_validators": [{"run_id": run, "url": f"{H}/{name}.html", "etag": '"x"', "last_modified": None,
                             "verified_at": None if age is None else NOW - timedelta(days=age)}
                            for name, age in ages.items()],
    })
    store.replace_findings(run, date.today(), ["privacy"], [{
        "rule": "privacy", "category": "privacy", "severity": "veto", "url": f"{H}/flagged.html"}])
    return store, run


def test_documents_not_due_are_trusted_with_their_depth(previous):
    store, run = previous
    revalidator = Revalidator(store, run, revalidate_after_days=28)
    assert revalidator.trusted == {f"{H}/fresh.html": 3, f"{H}/recent.html": 3}
    assert set(revalidator.known) == {f"{H}/{n}.html" for n in ("fresh", "recent", "old", "flagged", "never", "list")}
    assert revalidator.headers(f"{H}/list.html") == {"If-None-Match": '"x"'}    # a list page: always revalidated
    assert revalidator.headers(f"{H}/old.html") == {"If-None-Match": '"x"'}     # due: revalidated


def test_zero_days_asks_for_everything(previous):
    store, run = previous
    assert Revalidator(store, run, revalidate_after_days=0).trusted == {}


def test_requests_found_on_a_stored_page_count_depth_from_it():
    crawler = get_crawler(settings_dict={"DEPTH_LIMIT": 5, "DEPTH_PRIORITY": 1})
    middleware = StoredDepth.from_crawler(crawler)
    response = HtmlResponse(f"{H}/list.html", body=b"", request=Request(f"{H}/list.html", meta={"depth": 1}))
    plain, stored, too_deep = (Request(f"{H}/{n}.html") for n in ("a", "b", "c"))
    stored.meta[STORED_DEPTH] = 3
    too_deep.meta[STORED_DEPTH] = 5
    assert middleware.get_processed_request(plain, response).meta["depth"] == 2
    kept = middleware.get_processed_request(stored, response)
    assert kept.meta["depth"] == 4 and STORED_DEPTH not in kept.meta and kept.priority == -4
    assert middleware.get_processed_request(too_deep, response) is None       # past DEPTH_LIMIT, as Scrapy drops it


def _list_page(*raw_dates, source="list", **page):
    from crawler.items import EntryRow, PageItem

    entries = [EntryRow(i, f"标题{i}", f"{H}/art/{i}.html", date(2026, 3, 5), source, raw)
               for i, raw in enumerate(raw_dates)]
    return PageItem(url=f"{H}/tzgg/index.html", final_url=None, status=200, fetched_at=NOW, entries=entries, **page)


def test_pages_whose_facts_follow_from_the_body_alone_may_be_reused():
    from crawler.incremental import depends_on_the_day

    assert not depends_on_the_day(_list_page("2026-03-05", "2026年3月4日", "[2025/12/30]"))
    assert not depends_on_the_day(_list_page(published=date(2026, 3, 5), published_source="meta", published_raw="2026-03-05 10:00"))
    assert not depends_on_the_day(_list_page(None, source=None))                     # undated entries
    # decoys: the crawl date decides these facts
    assert depends_on_the_day(_list_page("2026-03-05", "[03-04]"))                  # the year is inferred
    assert depends_on_the_day(_list_page("3天前", source="relative"))
    assert depends_on_the_day(_list_page(published_source="label", published_raw="发布时间：03-05"))
