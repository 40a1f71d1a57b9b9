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

from array import array
from collections import defaultdict, deque
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from crawler.columns import build_columns
from crawler.scope import Scope
from govaudit.config import Config
from govaudit.store import Store, links, list_items, pages

LIST_KINDS = ("list", "datastore")
NEXT, HIDDEN = 1, 2          # edge flags


@dataclass
class Graph:
    """The crawled link graph of one run, compact enough for runs of several 100,000 pages.

    Pages are numbered (nodes, in the pages table's order). Edges between fetched pages are
    kept grouped by source in parallel numpy arrays (``offsets[src]:offsets[src + 1]`` slices
    them, page order kept), and a block fingerprint becomes a small int (0 = no block). Only
    the links attribution follows are loaded: anchors and pagination. Most of a portal's ~30
    links per page are the same template links on every page: as Python tuples of strings a
    100,000-page run took 1.3 GB, as int arrays it takes some 40 MB (bench/README.md).
    """
    urls: list[str]                  # node -> page URL (the URL first requested)
    kind: list[str | None]           # node -> page kind
    offsets: list[int]               # len(urls) + 1
    dst: np.ndarray                  # int32 target node
    block: np.ndarray                # int32 block id, 0 = none
    flags: np.ndarray                # int8: NEXT | HIDDEN
    items: dict[int, list[int]]      # list page -> its entries' nodes
    blocks: list[str]                # block id -> fingerprint (id 0: no block)

    @classmethod
    def load(cls, store: Store, run_id: int, conn) -> "Graph":
        page_frame = store.table_frame(pages, run_id, conn, ["url", "final_url", "kind"])
        urls = page_frame["url"].tolist()
        node = {url: i for i, url in enumerate(urls)}
        # A page is keyed by the URL first requested; links naming where it redirected to
        # (/col/col5/ → /col/col5/index.html) reach the same page.
        target = dict(node)
        for url, final in zip(urls, page_frame["final_url"]):
            if isinstance(final, str) and final not in node:
                target[final] = node[url]
        src, dst, block, flags, blocks = _edges(conn, run_id, node, target)
        order = np.argsort(src, kind="stable")
        offsets = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=len(urls)))]).tolist()
        return cls(urls=urls, kind=page_frame["kind"].tolist(), offsets=offsets, dst=dst[order],
                   block=block[order], flags=flags[order], items=_items(conn, run_id, node, target), blocks=blocks)

    def out(self, src: int) -> zip:
        """(dst, flags, block) of every edge leaving ``src``, in page order."""
        lo, hi = self.offsets[src], self.offsets[src + 1]
        return zip(self.dst[lo:hi].tolist(), self.flags[lo:hi].tolist(), self.block[lo:hi].tolist())

    def fingerprints(self, block_ids) -> list[str]:
        return [self.blocks[i] for i in block_ids]

    def sources(self) -> np.ndarray:
        """The source node of every edge, aligned with ``dst``, ``block`` and ``flags``."""
        return np.repeat(np.arange(len(self.urls), dtype=np.int32), np.diff(self.offsets))


def _edges(conn, run_id: int, node: dict[str, int], target: dict[str, int]) -> tuple:
    """Anchor and pagination edges between fetched pages: src, dst, block, flags arrays and block names."""
    query = (select(links.c.page_url, links.c.url, links.c.context, links.c.block, links.c.hidden)
             .where(links.c.run_id == run_id, links.c.context.in_(("a", "next"))))
    block_ids: dict[str, int] = {"": 0}
    src, dst, block, flags = array("i"), array("i"), array("i"), array("b")
    for page_url, url, context, fingerprint, hidden in Store.raw_rows(conn, query):
        s, d = node.get(page_url), target.get(url)
        if s is None or d is None:
            continue
        src.append(s)
        dst.append(d)
        block.append(block_ids.setdefault(fingerprint or "", len(block_ids)))
        flags.append((NEXT if context == "next" else 0) | (HIDDEN if hidden else 0))
    return (np.frombuffer(src, np.int32), np.frombuffer(dst, np.int32),
            np.frombuffer(block, np.int32), np.frombuffer(flags, np.int8), list(block_ids))


def _items(conn, run_id: int, node: dict[str, int], target: dict[str, int]) -> dict[int, list[int]]:
    entries: dict[int, list[int]] = defaultdict(list)
    for page_url, url in Store.raw_rows(conn, select(list_items.c.page_url, list_items.c.url).where(list_items.c.run_id == run_id)):
        s, d = node.get(page_url), target.get(url)
        if s is not None and d is not None:
            entries[s].append(d)
    return dict(entries)


def owned_pages(scope: Scope, urls: list[str]) -> dict[int, tuple[str, str]]:
    """node -> (site id, 'start' | 'scope') for pages the config itself assigns."""
    owned = {}
    for i, url in enumerate(urls):
        if url in scope.starts:
            owned[i] = (scope.starts[url], "start")
        else:
            owner = scope.scope_owner(url)
            if owner:
                owned[i] = (owner, "scope")
    return owned


def template_blocks(graph: Graph, owned: dict[int, tuple[str, str]], references: set[int]) -> set[int]:
    """Blocks of anchors shared by owned pages of ≥2 sections or present on a host-root reference page."""
    code = {site: i for i, site in enumerate(sorted({site for site, _how in owned.values()}))}
    owner = np.full(len(graph.urls), -1, np.int32)
    for i, (site, _how) in owned.items():
        owner[i] = code[site]
    src = graph.sources()
    anchor = (graph.block != 0) & (graph.flags & NEXT == 0)
    shared = set(np.unique(graph.block[anchor & np.isin(src, list(references))]).tolist())
    owned_anchor = anchor & (owner[src] >= 0)
    pairs = np.unique(np.stack([graph.block[owned_anchor], owner[src[owned_anchor]]]), axis=1)
    blocks, count = np.unique(pairs[0], return_counts=True)
    return shared | set(blocks[count >= 2].tolist())


def walk(site_id: str, graph: Graph, scope: Scope, owned: dict, template: set[int], max_hops: int) -> dict[int, str]:
    """Pages reached by one section: node -> 'start' | 'scope' | 'link'."""
    reached = {i: how for i, (owner, how) in owned.items() if owner == site_id}
    queue = deque((i, 0) for i in reached)
    while queue:
        src, hops = queue.popleft()
        if graph.kind[src] == "article" and reached[src] == "link":
            continue
        is_home = scope.home_of(graph.urls[src]) == site_id
        steps = [(dst, 0 if flags & NEXT else 1) for dst, flags, block in graph.out(src)
                 if flags & NEXT or (not flags & HIDDEN and (is_home or block not in template))]
        steps += [(dst, 1) for dst in graph.items.get(src, ())]
        for dst, cost in steps:
            if dst in reached or (dst in owned and owned[dst][0] != site_id):
                continue
            depth = hops + cost
            if depth > max_hops and scope.home_of(graph.urls[dst]) != site_id:
                continue
            reached[dst] = "link"
            queue.append((dst, depth))
    return reached


def column_pages(graph: Graph) -> dict[str, list[str]]:
    """Column page-1 URL -> its list pages in pagination order (page 1 first)."""
    nexts = {src: [dst for dst, flags, _block in graph.out(src) if flags & NEXT and graph.kind[dst] in LIST_KINDS]
             for src, kind in enumerate(graph.kind) if kind in LIST_KINDS}
    continued = {dst for dsts in nexts.values() for dst in dsts}
    columns = {}
    for start, kind in enumerate(graph.kind):
        if kind != "list" or start in continued:
            continue
        order, queue = [start], deque([start])
        while queue:
            for dst in nexts.get(queue.popleft(), ()):
                if dst not in order:
                    order.append(dst)
                    queue.append(dst)
        columns[graph.urls[start]] = [graph.urls[i] for i in order]
    return columns


def attribute(store: Store, run_id: int, config: Config, conn) -> dict[str, list[dict]]:
    """Compute the derived tables of a run (rows for page_sites, template_blocks, column_pages)."""
    scope = Scope.from_config(config)
    graph = Graph.load(store, run_id, conn)
    owned = owned_pages(scope, graph.urls)
    roots = set(scope.reference_roots())
    references = {i for i, url in enumerate(graph.urls) if url in roots and url not in scope.starts}
    template = template_blocks(graph, owned, references)
    page_sites = []
    for site in config.sites:
        reached = walk(site.id, graph, scope, owned, template, config.politeness.max_offscope_hops)
        page_sites += [{"run_id": run_id, "page_url": graph.urls[i], "site_id": site.id, "how": how}
                       for i, how in reached.items()]
    pages_of = column_pages(graph)
    return {
        "page_sites": page_sites,
        "template_blocks": [{"run_id": run_id, "block": block} for block in sorted(graph.fingerprints(template))],
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

