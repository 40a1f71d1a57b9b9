"""After the crawl: which section each page belongs to, and which pages are columns.

Attribution is by provenance, not by URL shape (docs/crawler.md has the full story):

1. A page is **owned** by a section when it is one of its start pages or lies in its scope
   (longest path prefix wins).
2. **Template blocks** are link blocks (same set of targets) that appear on owned pages of
   two or more sections, or on a host-root reference page: the portal's shared header,
   footer and navigation.
3. Each section then walks the link graph from its owned pages: through pagination and list
   entries always; through ordinary visible links unless they sit in a template block (only
   the host's *home* section, usually the portal, may follow its own template); never out of
   an article (a document's "related links" do not make their targets the section's); never
   into a page another section owns. Sections without a home on the host stop after
   `max_offscope_hops` links.

Columns are list pages that no other list page paginates to; their pages are gathered by
following pagination edges, so arrival order during the crawl never matters.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

from crawler.columns import build_columns
from crawler.scope import Scope
from govaudit.config import Config
from govaudit.store import Store, links, list_items, pages

LIST_KINDS = ("list", "datastore")


@dataclass
class Graph:
    """The crawled link graph of one run, in memory."""
    kind: dict[str, str]
    edges: dict[str, list[tuple[str, str, str, bool]]] = field(default_factory=dict)  # src -> (dst, ctx, block, hidden)
    items: dict[str, list[str]] = field(default_factory=dict)                          # list page -> entry URLs

    @classmethod
    def load(cls, store: Store, run_id: int, conn) -> "Graph":
        page_frame = store.table_frame(pages, run_id, conn, ["url", "final_url", "kind"])
        graph = cls(kind=dict(zip(page_frame["url"], page_frame["kind"])))
        # A page is keyed by the URL first requested; links naming where it redirected to
        # (/col/col5/ → /col/col5/index.html) reach the same page.
        redirected = page_frame[page_frame["final_url"].notna() & (page_frame["final_url"] != page_frame["url"])
                                & ~page_frame["final_url"].isin(graph.kind.keys())]
        alias = dict(zip(redirected["final_url"], redirected["url"]))
        link_frame = store.table_frame(links, run_id, conn, ["page_url", "url", "context", "block", "hidden"])
        link_frame["url"] = link_frame["url"].replace(alias)
        link_frame = link_frame[link_frame["url"].isin(graph.kind.keys())]
        for src, group in link_frame.groupby("page_url", sort=False):
            graph.edges[src] = list(zip(group["url"], group["context"], group["block"].fillna(""),
                                        group["hidden"].fillna(False).astype(bool)))
        item_frame = store.table_frame(list_items, run_id, conn, ["page_url", "url"])
        item_frame["url"] = item_frame["url"].replace(alias)
        item_frame = item_frame[item_frame["url"].isin(graph.kind.keys())]
        graph.items = {src: list(group["url"]) for src, group in item_frame.groupby("page_url", sort=False)}
        return graph


def owned_pages(scope: Scope, urls) -> dict[str, tuple[str, str]]:
    """page URL -> (site id, 'start' | 'scope') for pages the config itself assigns."""
    owned = {}
    for url in urls:
        if url in scope.starts:
            owned[url] = (scope.starts[url], "start")
        else:
            owner = scope.scope_owner(url)
            if owner:
                owned[url] = (owner, "scope")
    return owned


def template_blocks(graph: Graph, owned: dict[str, tuple[str, str]], references: set[str]) -> set[str]:
    """Blocks shared by owned pages of ≥2 sections or present on a host-root reference page."""
    sections_by_block: dict[str, set[str]] = defaultdict(set)
    shared = set()
    for src, out in graph.edges.items():
        owner = owned.get(src)
        for _dst, context, block, _hidden in out:
            if not block or context != "a":
                continue
            if src in references:
                shared.add(block)
            elif owner:
                sections_by_block[block].add(owner[0])
    return shared | {block for block, sites in sections_by_block.items() if len(sites) >= 2}


def walk(site_id: str, graph: Graph, scope: Scope, owned: dict, template: set[str], max_hops: int) -> dict[str, str]:
    """Pages reached by one section: URL -> 'start' | 'scope' | 'link'."""
    reached = {url: how for url, (owner, how) in owned.items() if owner == site_id}
    queue = deque((url, 0) for url in reached)
    while queue:
        src, hops = queue.popleft()
        if graph.kind.get(src) == "article" and reached[src] == "link":
            continue
        is_home = scope.home_of(src) == site_id
        steps = [(dst, 0 if ctx == "next" else 1) for dst, ctx, block, hidden in graph.edges.get(src, ())
                 if ctx == "next" or (ctx == "a" and not hidden and (is_home or block not in template))]
        steps += [(dst, 1) for dst in graph.items.get(src, ())]
        for dst, cost in steps:
            if dst in reached or (dst in owned and owned[dst][0] != site_id):
                continue
            depth = hops + cost
            if depth > max_hops and scope.home_of(dst) != site_id:
                continue
            reached[dst] = "link"
            queue.append((dst, depth))
    return reached


def column_pages(graph: Graph) -> dict[str, list[str]]:
    """Column page-1 URL -> its list pages in pagination order (page 1 first)."""
    nexts = {src: [dst for dst, ctx, _b, _h in out if ctx == "next" and graph.kind.get(dst) in LIST_KINDS]
             for src, out in graph.edges.items() if graph.kind.get(src) in LIST_KINDS}
    continued = {dst for dsts in nexts.values() for dst in dsts}
    columns = {}
    for url, kind in graph.kind.items():
        if kind != "list" or url in continued:
            continue
        order, queue = [url], deque([url])
        while queue:
            for dst in nexts.get(queue.popleft(), ()):
                if dst not in order:
                    order.append(dst)
                    queue.append(dst)
        columns[url] = order
    return columns


def attribute(store: Store, run_id: int, config: Config, conn) -> dict[str, list[dict]]:
    """Compute the derived tables of a run (rows for page_sites, template_blocks, column_pages)."""
    scope = Scope.from_config(config)
    graph = Graph.load(store, run_id, conn)
    owned = owned_pages(scope, graph.kind)
    references = {url for url in graph.kind if url in set(scope.reference_roots()) and url not in scope.starts}
    template = template_blocks(graph, owned, references)
    page_sites = []
    for site in config.sites:
        reached = walk(site.id, graph, scope, owned, template, config.politeness.max_offscope_hops)
        page_sites += [{"run_id": run_id, "page_url": url, "site_id": site.id, "how": how} for url, how in reached.items()]
    pages_of = column_pages(graph)
    return {
        "page_sites": page_sites,
        "template_blocks": [{"run_id": run_id, "block": block} for block in sorted(template)],
        "column_pages": [{"run_id": run_id, "column_url": col, "page_url": url, "page_no": i + 1}
                         for col, urls in pages_of.items() for i, url in enumerate(urls)],
    }


def finalize_run(store: Store, run_id: int, config: Config) -> None:
    """Build attribution and columns for a finished crawl and mark the run complete, atomically."""
    with store.tx() as conn:
        derived = attribute(store, run_id, config, conn)
        derived["columns"] = build_columns(store, run_id, config, conn, derived)
        store.replace_derived(conn, run_id, derived)
        store.finish_run(conn, run_id, "complete")

