"""网站标识: every page shows the site's identity in its footer; the site uses a .gov.cn domain.

《政府网站发展指引》(国办发〔2017〕47号) requires, at the bottom of every page, the 党政机关网站标识,
the 网站标识码, the ICP备案号 and the 公安机关备案号, and an English domain ending in ``.gov.cn``.

What is judged, per site (a section of the config):

* the sample is every page attributed to the site (``page_sites``) that is HTML with status 200 and
  kind list / article / hub / other, on one of the site's own hosts (``allowed_hosts``/``start_urls``
  when the config gives them: a page of another host carries that host's footer, not this site's);
* 网站标识码 / ICP备案号 / 公安机关备案号 are the crawler's footer fields ``pages.site_code/icp/police``;
* the 党政机关网站标识 is the crawler's ``pages.badge`` (the conac script, a badge image or a visible
  link to ``*.conac.cn``; crawler.extract.page). A page without the field (a run crawled before it
  existed) is *unknown*, not missing;
* one finding per site per missing item (count, sample size, up to ``max_examples`` example URLs),
  never one per page: a footer missing on 2,000 pages is one problem;
* one finding when the site's pages show more than one 网站标识码 (网站标识码不一致);
* one finding per start host that does not match ``domain_suffixes`` (suffix or exact host).

The requirement is confirmed (C); the points are unknown nationally (U): ``points_each`` is a
labelled local default, never a national rule.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from rules.base import Finding, RuleMeta
from rules.facts import RunFacts

META = RuleMeta(
    id="identity",
    title="网站标识不规范",
    category="identity",
    severity="deduct",
    indicator="扣分·网站标识（域名、网站标识码、ICP备案号、公安机关备案号、党政机关网站标识）",
    source="《政府网站发展指引》(国办发〔2017〕47号)；国办秘函〔2019〕19号",
    confidence="C",
    identity=("site_id", "data.item", "data.host"),    # per missing item (and per off-suffix host)
    threshold={
        "domain_suffixes": [".gov.cn"],
        "max_examples": 5,
        "points_each": 0.5,
        "note": "扣分分值为本地默认值，国家未明确分值（要求本身见国办发〔2017〕47号）",
    },
    description="网站英文域名应以.gov.cn结尾；每个页面底部应展示党政机关网站标识、网站标识码、ICP备案号、"
                "公安机关备案号，且同一网站的网站标识码应一致。",
)

#: Pages that carry the site's template (the sample).
SAMPLED_KINDS = ("list", "article", "hub", "other")
#: (item name, pages field) of the footer fields the crawler records.
FOOTER_FIELDS = (("网站标识码", "site_code"), ("ICP备案号", "icp"), ("公安机关备案号", "police"))
BADGE = "党政机关网站标识"


def _present(value) -> bool:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return bool(str(value).strip())


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def host_allowed(host: str, suffixes: list[str]) -> bool:
    """``host`` matches one of ``suffixes``: exactly, or as a domain suffix (``.gov.cn`` and
    ``gov.cn`` both accept ``www.x.gov.cn``; ``127.0.0.1`` accepts only that host)."""
    host = host.lower().rstrip(".")
    for suffix in suffixes:
        bare = suffix.lower().strip().lstrip(".").rstrip(".")
        if bare and (host == bare or host.endswith("." + bare)):
            return True
    return False


def _candidates(facts: RunFacts) -> pd.DataFrame:
    """Pages that can be sampled at all: status 200, kind list/article/hub/other; one row per URL."""
    frame = facts.pages
    status = pd.to_numeric(frame["status"], errors="coerce")
    return frame[(status == 200) & frame["kind"].isin(SAMPLED_KINDS)].drop_duplicates("url")


def sampled_pages(facts: RunFacts, site: dict, candidates: pd.DataFrame | None = None) -> pd.DataFrame:
    """The site's sampled pages (see module doc), one row per URL, sorted by URL."""
    attributed = facts.page_sites.loc[facts.page_sites["site_id"] == site["id"], "page_url"]
    frame = _candidates(facts) if candidates is None else candidates
    frame = frame[frame["url"].isin(set(attributed))]
    hosts = {h.lower() for h in site.get("allowed_hosts") or []} | {_netloc(u) for u in site.get("start_urls") or []}
    if hosts:
        frame = frame[frame["url"].map(lambda u: _netloc(u) in hosts).astype(bool)]
    return frame.drop_duplicates("url").sort_values("url")


def badge_state(facts: RunFacts, urls) -> dict[str, bool | None]:
    """Per page URL: the crawler's ``pages.badge`` — True (shown), False (not shown), None (not
    recorded: unknown)."""
    recorded = facts.pages.drop_duplicates("url").set_index("url")["badge"]
    return {u: None if pd.isna(recorded.get(u)) else bool(recorded.get(u)) for u in urls}


def _points(settings: dict) -> dict:
    return {"points_each": settings.get("points_each"), "points_note": settings.get("note")}


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    findings: list[Finding] = []
    suffixes = list(settings.get("domain_suffixes") or [])
    limit = int(settings.get("max_examples", 5))
    candidates = _candidates(facts)
    badges = badge_state(facts, candidates["url"].tolist())
    for site_id, site in facts.sites.items():
        site = {"id": site_id, **site}

        def finding(**fields) -> Finding:
            fields["data"] = {**fields.get("data", {}), **_points(settings)}
            return Finding.of(META, department_id=site.get("department"), site_id=site_id, **fields)

        # -- domain
        starts: dict[str, str] = {}
        for start in site.get("start_urls") or []:
            starts.setdefault(_host(start), start)
        for host, start in sorted(starts.items()):
            if host and not host_allowed(host, suffixes):
                findings.append(finding(
                    url=start, evidence=host,
                    detail=f"网站域名「{host}」不符合要求（应以{'、'.join(suffixes) or '.gov.cn'}结尾）",
                    data={"item": "域名", "host": host, "domain_suffixes": suffixes}))

        sample = sampled_pages(facts, site, candidates)
        total = len(sample)
        if not total:
            continue

        # -- footer fields
        for item, column in FOOTER_FIELDS:
            missing = sample.loc[~sample[column].map(_present), "url"].tolist()
            if missing:
                findings.append(finding(
                    url=missing[0], evidence=f"{len(missing)}/{total}个页面未展示{item}",
                    detail=f"网站共抽查{total}个页面，其中{len(missing)}个页面底部未展示{item}",
                    data={"item": item, "field": column, "checked": total, "missing": len(missing),
                          "examples": missing[:limit]}))

        # -- 党政机关网站标识 (pages.badge; pages without it are unknown)
        known = [u for u in sample["url"] if badges[u] is not None]
        missing = [u for u in known if badges[u] is False]
        unknown = total - len(known)
        if missing:
            extra = f"（另有{unknown}个页面未记录标识信息，无法判断）" if unknown else ""
            findings.append(finding(
                url=missing[0], evidence=f"{len(missing)}/{len(known)}个页面未展示{BADGE}",
                detail=f"网站共抽查{len(known)}个页面，其中{len(missing)}个页面底部未展示{BADGE}{extra}",
                data={"item": BADGE, "field": "badge", "checked": len(known), "missing": len(missing),
                      "unknown": unknown, "examples": missing[:limit]}))

        # -- 网站标识码 consistency
        codes = sample[sample["site_code"].map(_present).astype(bool)]
        codes = codes.assign(code=codes["site_code"].map(lambda v: str(v).strip()))
        if codes["code"].nunique() > 1:
            counts = codes.groupby("code").size().sort_values(ascending=False, kind="stable")
            listed = "；".join(f"{code}：{n}个页面" for code, n in counts.items())
            examples = {code: codes.loc[codes["code"] == code, "url"].tolist()[:limit] for code in counts.index}
            findings.append(finding(
                url=examples[counts.index[1]][0], evidence="/".join(counts.index),
                detail=f"网站标识码不一致：网站共抽查{total}个页面，底部出现{len(counts)}个不同的网站标识码（{listed}）",
                data={"item": "网站标识码不一致", "checked": total, "codes": {c: int(n) for c, n in counts.items()},
                      "examples": examples}))
    return findings
