"""Attribution by provenance on a shared-host portal, from stored facts only."""
from datetime import date, datetime, timezone

import pytest

from crawler.attribution import finalize_run
from govaudit.config import parse_config
from govaudit.pipeline import config_snapshot
from govaudit.store import Store, columns, column_pages, page_sites, template_blocks

H = "http://gov.example:8000"
CONFIG = parse_config({
    "departments": [{"id": d, "name": d} for d in ("zfb", "jyj", "wjw", "mzj")],
    "sites": [
        {"id": "portal", "name": "门户", "department": "zfb", "start_urls": [f"{H}/index.html"]},
        {"id": "jyj", "name": "教育局", "department": "jyj", "start_urls": [f"{H}/jyj/index.html"], "scope": ["/jyj/"]},
        {"id": "wjw", "name": "卫健委", "department": "wjw", "start_urls": [f"{H}/wjw/index.html"], "scope": ["/wjw/"]},
        {"id": "mzj", "name": "民政局", "department": "mzj", "start_urls": [f"{H}/mzj/index.html"], "scope": ["/mzj/"]},
    ],
})
HEADER = [("/index.html", "首页"), ("/col/col1/index.html", "青溪要闻"), ("/zwgk/index.html", "政务公开")]


def page(url, kind="other", **extra):
    return {"url": H + url, "final_url": H + url, "status": 200, "kind": kind,
            "fetched_at": datetime.now(timezone.utc), **extra}


def block_links(src, block, targets, context="a"):
    return [{"page_url": H + src, "url": H + t, "text": text, "hidden": False, "context": context,
             "block": block, "internal": True} for t, text in targets]


def items(src, urls, dates):
    return [{"page_url": H + src, "position": i, "title": f"标题{i}", "url": H + u, "date": d, "date_source": "list"}
            for i, (u, d) in enumerate(zip(urls, dates))]


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    run_id = store.new_run(None, None, config_snapshot(CONFIG))
    pages_ = [page("/index.html", "hub"), page("/zwgk/index.html", "hub"),
              page("/jyj/index.html", "hub"), page("/wjw/index.html", "hub"), page("/mzj/index.html", "hub"),
              page("/jyj/tzgg/index.html", "list", column_name="通知公告", column_name_source="breadcrumb"),
              page("/col/col1/index.html", "list", column_name="青溪要闻", column_name_source="breadcrumb"),
              page("/col/col5/index.html", "list", column_name="卫生动态", column_name_source="meta"),
              page("/proxy?col=5&p=2", "datastore"),
              page("/col/col7/index.html", "list", column_name="医疗救助公示", column_name_source="heading"),
              page("/col/col9/index.html", "list", column_name="教育局 - 青溪区人民政府", column_name_source="title"),
              page("/art/1.html", "article", published=date(2026, 10, 1), published_source="meta"),
              page("/art/2.html", "article"),
              page("/art/3.html", "article", published=date(2026, 9, 9), published_source="label")]
    links_ = []
    for p in pages_:
        links_ += block_links(p["url"][len(H):], "hdr", HEADER)
    links_ += block_links("/index.html", "home", [("/col/col1/index.html", "更多")])
    links_ += block_links("/jyj/index.html", "jnav", [("/jyj/tzgg/index.html", "通知公告"), ("/col/col9/index.html", "教育资讯")])
    links_ += block_links("/wjw/index.html", "wnav", [("/col/col5/index.html", "卫生动态"), ("/col/col7/index.html", "医疗救助")])
    links_ += block_links("/mzj/index.html", "mnav", [("/col/col7/index.html", "医疗救助"), ("/mzj/zn.html", "政府信息公开指南")])
    links_ += block_links("/col/col5/index.html", "", [("/proxy?col=5&p=2", "")], context="next")
    # a portal article's "related" block must not pull the portal's columns into anybody's section
    links_ += block_links("/art/1.html", "rel", [("/col/col5/index.html", "相关")])
    entries = (items("/col/col1/index.html", ["/art/1.html"], [date(2026, 11, 1)])
               + items("/col/col5/index.html", ["/art/2.html"], [None])
               + items("/proxy?col=5&p=2", ["/art/3.html", "/art/2.html"], [None, None])
               + items("/col/col7/index.html", ["/art/1.html"], [date(2026, 1, 2)]))
    store.write_batch({"pages": [dict(p, run_id=run_id) for p in pages_],
                       "links": [dict(l, run_id=run_id) for l in links_],
                       "list_items": [dict(i, run_id=run_id) for i in entries]})
    finalize_run(store, run_id, CONFIG)
    store.run_id = run_id
    return store


def sites_of(store, path):
    frame = store.table_frame(page_sites, store.run_id)
    return set(frame.loc[frame["page_url"] == H + path, "site_id"])


def test_shared_header_is_a_template_block(store):
    assert set(store.table_frame(template_blocks, store.run_id)["block"]) == {"hdr"}


def test_columns_are_attributed_by_who_links_to_them(store):
    assert sites_of(store, "/col/col1/index.html") == {"portal"}         # only the portal's own block links it
    assert sites_of(store, "/col/col5/index.html") == {"wjw"}
    assert sites_of(store, "/col/col7/index.html") == {"wjw", "mzj"}     # really linked by both
    assert sites_of(store, "/col/col9/index.html") == {"jyj"}
    assert sites_of(store, "/jyj/tzgg/index.html") == {"jyj"}            # by scope
    assert sites_of(store, "/proxy?col=5&p=2") == {"wjw"}                # pagination follows its column


def test_pagination_pages_belong_to_their_column(store):
    frame = store.table_frame(column_pages, store.run_id)
    col5 = frame[frame["column_url"] == H + "/col/col5/index.html"].sort_values("page_no")
    assert list(col5["page_url"]) == [H + "/col/col5/index.html", H + "/proxy?col=5&p=2"]
    assert H + "/proxy?col=5&p=2" not in set(frame["column_url"])


def test_column_rows(store):
    frame = store.table_frame(columns, store.run_id).set_index(["site_id", "url"])
    col5 = frame.loc[("wjw", H + "/col/col5/index.html")]
    assert (col5["name"], col5["update_class"], col5["window"]) == ("卫生动态", "动态要闻", "14天")
    assert (col5["item_count"], col5["undated_count"], col5["pages"]) == (2, 1, 2)
    assert col5["latest_date"] == date(2026, 9, 9) and col5["latest_source"] == "page:label"
    col9 = frame.loc[("jyj", H + "/col/col9/index.html")]
    assert (col9["name"], col9["name_source"], col9["update_class"]) == ("教育资讯", "link", "动态要闻")
    assert col9["item_count"] == 0
    assert frame.loc[("mzj", H + "/col/col7/index.html"), "update_class"] == "通知公告"
    assert len(frame) == 6   # col1, col5, col7 twice, col9, jyj/tzgg
    assert store.run(store.run_id)["status"] == "complete"


def test_lone_department_on_a_portal_host_does_not_inherit_the_portal(tmp_path):
    config = parse_config({
        "departments": [{"id": "wjw", "name": "卫健委"}],
        "sites": [{"id": "wjw", "name": "卫健委", "department": "wjw", "start_urls": [f"{H}/col/col100/index.html"]}],
    })
    store = Store(f"sqlite:///{tmp_path / 'lone.db'}")
    run_id = store.new_run(None, None, config_snapshot(config))
    pages_ = [page("/", "hub"), page("/col/col100/index.html", "hub"),
              page("/col/col1/index.html", "list", column_name="青溪要闻", column_name_source="breadcrumb"),
              page("/col/col5/index.html", "list", column_name="卫生动态", column_name_source="breadcrumb")]
    links_ = [l for p in pages_ for l in block_links(p["url"][len(H):], "hdr", HEADER)]
    links_ += block_links("/col/col100/index.html", "wnav", [("/col/col5/index.html", "卫生动态")])
    store.write_batch({"pages": [dict(p, run_id=run_id) for p in pages_],
                       "links": [dict(l, run_id=run_id) for l in links_]})
    finalize_run(store, run_id, config)
    frame = store.table_frame(columns, run_id)
    assert list(frame["url"]) == [H + "/col/col5/index.html"]


def test_redirected_pages_keep_the_url_that_was_linked(tmp_path):
    """A start URL that redirects (/ → /index.html) and a column reached through a redirect
    (/col/col5/ → /col/col5/index.html) are keyed by the URL first requested; links naming
    either URL reach them, so the section still owns its columns."""
    config = parse_config({
        "departments": [{"id": "zfb", "name": "办公室"}],
        "sites": [{"id": "portal", "name": "门户", "department": "zfb", "start_urls": [f"{H}/"]}],
    })
    store = Store(f"sqlite:///{tmp_path / 'redirect.db'}")
    run_id = store.new_run(None, None, config_snapshot(config))
    pages_ = [dict(page("/", "hub"), final_url=H + "/index.html"),
              dict(page("/col/col5/", "list", column_name="卫生动态", column_name_source="breadcrumb"),
                   final_url=H + "/col/col5/index.html"),
              page("/col/col6/index.html", "list", column_name="通知公告", column_name_source="breadcrumb")]
    # the homepage names the column by the URL it redirects to
    links_ = (block_links("/", "nav", [("/col/col5/index.html", "卫生动态")])
              + block_links("/col/col5/", "side", [("/index.html", "首页"), ("/col/col6/index.html", "通知公告")]))
    store.write_batch({"pages": [dict(p, run_id=run_id) for p in pages_],
                       "links": [dict(l, run_id=run_id) for l in links_]})
    finalize_run(store, run_id, config)
    store.run_id = run_id
    assert sites_of(store, "/") == {"portal"}
    assert sites_of(store, "/col/col5/") == {"portal"}
    assert sites_of(store, "/col/col6/index.html") == {"portal"}
    assert set(store.table_frame(columns, run_id)["url"]) == {H + "/col/col5/", H + "/col/col6/index.html"}
