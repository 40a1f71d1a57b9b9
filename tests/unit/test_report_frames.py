import pandas as pd

from reports.frames import category_totals, departments_frame, problem_counts, problems_by_department

CONFIG = {"departments": [{"id": d, "name": n, "email": None} for d, n in
                          [("a", "甲局"), ("b", "乙局"), ("c", "丙局"), ("d", "丁局")]],
          "sites": [{"id": "a1", "department": "a"}, {"id": "a2", "department": "a"}, {"id": "b1", "department": "b"},
                    {"id": "c1", "department": "c"}, {"id": "d1", "department": "d"}]}


def findings(rows):
    return pd.DataFrame(rows, columns=["rule", "department_id", "category", "site_id", "column", "url", "detail"])


F = findings([("column_stale", "a", "column_stale", "a1", "x", "u1", ""),
              ("column_blank", "a", "column_blank", "a2", "y", "u2", ""),
              ("column_stale", "b", "column_stale", "b1", "z", "u3", ""),
              ("section_missing", "c", "section_missing", "c1", None, None, ""),
              ("dead_link", "c", "dead_link", "c1", None, "u9", ""),
              ("blank_count", "b", "column_blank", "b1", None, None, "")])   # a site-level count: not a problem again


def test_departments_count_their_sites():
    frame = departments_frame(CONFIG).set_index("department_id")
    assert frame.loc["a", "sites"] == 2 and frame.loc["d", "sites"] == 1


def test_ranking_fewest_problems_first_with_ties():
    table = problem_counts(F, departments_frame(CONFIG))
    assert list(table["department_id"]) == ["d", "b", "c", "a"]
    assert list(table["rank"]) == [1, 2, 2, 4]       # b and c tie; other categories are not counted here
    assert table.set_index("department_id").loc["a", ["column_stale", "column_blank", "section_missing", "total"]].tolist() == [1, 1, 0, 2]


def test_category_totals_in_rulebook_order():
    frame = category_totals(F)
    assert list(frame["category"]) == ["column_stale", "column_blank", "section_missing", "dead_link"]
    assert list(frame["count"]) == [2, 1, 1, 1] and frame["title"].iloc[0] == "栏目不更新"


def test_problems_grouped_per_department_in_category_order():
    groups = problems_by_department(F)
    assert list(groups["a"]["category"]) == ["column_stale", "column_blank"]
    assert set(groups) == {"a", "b", "c"}
