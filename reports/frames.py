"""Tidy frames for reports, one function per table. They read stored findings; they never re-check."""
from __future__ import annotations

import pandas as pd

from rules.base import CATEGORIES, CATEGORY_TITLES

#: Categories the first bulletin reports, in the order its columns show them.
BULLETIN_CATEGORIES = ("column_stale", "column_blank", "section_missing")


def departments_frame(config: dict) -> pd.DataFrame:
    """department_id, department, email, sites (count) from a run's config snapshot."""
    depts = pd.DataFrame(config["departments"]).rename(columns={"id": "department_id", "name": "department"})
    sites = pd.DataFrame(config["sites"]).groupby("department").size().rename("sites")
    return depts.merge(sites, left_on="department_id", right_index=True, how="left").fillna({"sites": 0})


def aggregate_rules() -> frozenset[str]:
    """Rules whose findings are site-level counts of other findings (not counted again)."""
    from rules.registry import all_rules

    return frozenset(module.META.id for module in all_rules() if module.META.aggregate)


def problem_counts(findings: pd.DataFrame, departments: pd.DataFrame,
                   categories: tuple[str, ...] = BULLETIN_CATEGORIES) -> pd.DataFrame:
    """Per department: one count column per category, `total`, and `rank` (fewest problems first,
    ties share the better rank: 1, 2, 2, 4). Site-level counts (aggregate rules) are verdicts
    over problems already counted, so they are not counted again."""
    relevant = findings[findings["category"].isin(categories) & ~findings["rule"].isin(aggregate_rules())]
    counts = (relevant.groupby(["department_id", "category"]).size().unstack(fill_value=0)
              .reindex(columns=list(categories), fill_value=0))
    table = departments.merge(counts, left_on="department_id", right_index=True, how="left")
    table[list(categories)] = table[list(categories)].fillna(0).astype(int)
    table["total"] = table[list(categories)].sum(axis=1)
    table["rank"] = table["total"].rank(method="min").astype(int)
    return table.sort_values(["rank", "department_id"]).reset_index(drop=True)


def category_totals(findings: pd.DataFrame) -> pd.DataFrame:
    """category, title, count — for the overview sentence, in CATEGORIES order (aggregate
    rules' site-level counts excluded)."""
    counts = findings[~findings["rule"].isin(aggregate_rules())].groupby("category").size()
    frame = pd.DataFrame({"category": [c for c in CATEGORIES if c in counts.index]})
    frame["title"] = frame["category"].map(CATEGORY_TITLES)
    frame["count"] = frame["category"].map(counts).astype(int)
    return frame


def problems_by_department(findings: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """department_id -> its findings ordered by category then site and column."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    ordered = findings.assign(_order=findings["category"].map(order)).sort_values(
        ["_order", "site_id", "column", "url"], na_position="last")
    return {dept: group.drop(columns="_order") for dept, group in ordered.groupby("department_id", sort=False)}
