"""The ground truth of the demo: what a correct crawl + audit of the demo must report.

``generate()`` computes it from :mod:`govaudit.demo.content` (the same data the pages are
rendered from), applying the documented update-class table and windows. The result is
committed as ``ground_truth.json`` with ``{portal}`` / ``{site}`` URL placeholders;
``ground_truth(portal_url, site_url)`` loads it and fills them in.

Regenerate after changing the demo data::

    .venv/bin/python -m govaudit.demo ground-truth          # rewrite ground_truth.json
    .venv/bin/python -m govaudit.demo ground-truth --check  # exit 1 if the file is out of date
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .content import build_portal
from .model import DEMO_AS_OF

GROUND_TRUTH_PATH = Path(__file__).with_name("ground_truth.json")

_HOST_PLACEHOLDER = {"portal": "{portal}", "site": "{site}"}


def generate() -> dict[str, Any]:
    """The ground truth as a dict, URLs with ``{portal}`` / ``{site}`` placeholders.

    ``columns``: every column of every section (a joint column once per section), page-1 URL,
    update class, latest date, item counts and the stale/blank verdicts. ``findings``:
    column_stale, column_blank (per section) and section_missing (one per missing item).
    """
    portal = build_portal()
    columns, findings = [], []
    for site in portal.sites:
        for column in portal.columns_of(site.id):
            owner = portal.site(column.site)
            url = _HOST_PLACEHOLDER[owner.host] + column.path
            latest = column.latest
            columns.append({
                "department": site.department,
                "site": site.id,
                "name": column.name,
                "url": url,
                "update_class": column.update_class,
                "latest_date": latest.isoformat() if latest else None,
                "item_count": len({i.url for i in column.items}),
                "undated_count": sum(1 for i in column.items if i.date is None),
                "stale": column.stale,
                "blank": column.blank,
            })
            for rule, hit in (("column_stale", column.stale), ("column_blank", column.blank)):
                if hit:
                    findings.append({"rule": rule, "site": site.id, "department": site.department,
                                     "column": column.name, "url": url})
        for item in site.missing:
            findings.append({"rule": "section_missing", "site": site.id, "department": site.department,
                             "column": None, "url": None, "item": item})
    return {"as_of": DEMO_AS_OF.isoformat(), "columns": columns, "findings": findings}


def render_json(data: dict[str, Any]) -> str:
    """The exact text of ground_truth.json for ``data``: one column / finding per line."""
    def rows(key: str) -> str:
        return ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in data[key])
    return (f'{{"as_of": {json.dumps(data["as_of"])},\n "columns": [\n{rows("columns")}\n ],\n'
            f' "findings": [\n{rows("findings")}\n ]}}\n')


def write(path: Path = GROUND_TRUTH_PATH) -> None:
    """(Re)write ground_truth.json from the current demo data."""
    path.write_text(render_json(generate()), encoding="utf-8")


def _substitute(value: Any, portal_url: str, site_url: str) -> Any:
    if isinstance(value, str):
        return value.replace("{portal}", portal_url).replace("{site}", site_url)
    if isinstance(value, list):
        return [_substitute(v, portal_url, site_url) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, portal_url, site_url) for k, v in value.items()}
    return value


def ground_truth(portal_url: str, site_url: str) -> dict[str, Any]:
    """Load ground_truth.json with the placeholders replaced by the running demo's base URLs."""
    data = json.loads(GROUND_TRUTH_PATH.read_text(encoding="utf-8"))
    return _substitute(data, portal_url.rstrip("/"), site_url.rstrip("/"))


def check(path: Path = GROUND_TRUTH_PATH) -> bool:
    """True when ground_truth.json is exactly what the current demo data generates."""
    return path.exists() and path.read_text(encoding="utf-8") == render_json(generate())
