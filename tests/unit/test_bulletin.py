"""The monthly bulletin on a hand-built history (tests/unit/bulletin_store.py explains every figure)."""
from datetime import date

import openpyxl
import pytest
from docx import Document

from govaudit.store import Store
from reports.bulletin import FILES, build_bulletin, issue, write_bulletin
from reports.workbook import HEADERS
from bulletin_store import MASKED_ID, ORG, build

DAY = date(2026, 11, 24)          # a Tuesday: +10 working days is Tuesday 2026-12-08


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('bulletin') / 'b.db'}")
    build(store)
    return store


@pytest.fixture(scope="module")
def november(store):
    return build_bulletin(store, "2026-11", day=DAY, with_charts=False)


@pytest.fixture(scope="module")
def written(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return dict(zip(("html", "docx", "xlsx"), write_bulletin(store, "2026-11", out, day=DAY)))


def test_overview_figures(november):
    fig = november.figures
    assert (fig.departments, fig.sites, fig.passed, fig.failed, fig.vetoed, fig.pass_rate) == (4, 5, 4, 1, 1, "80.0%")
    assert fig.as_of == date(2026, 11, 20) and fig.runs == 2 and fig.mean_score == 98.0
    assert dict(zip(fig.categories["category"], fig.categories["count"])) == {
        "column_stale": 6, "column_blank": 3, "section_missing": 1, "privacy": 1}
    assert fig.problems == 11            # b1's site-level count (stale_count) is not a 12th problem
    assert "合格网站4个，不合格网站1个（其中单项否决1个），合格率80.0%" in november.overview
    assert "共发现问题11个，其中栏目不更新6个、空白栏目3个、专栏缺失1个、个人信息泄露1个。" in november.overview


def test_rectification_from_the_ledger(november):
    ch = november.figures.changes
    # new: uw (run 2) + 9 in run 3; rectified: uz late (deadline 11-03, gone 11-13), uw on time
    assert (ch.new, ch.reopened, ch.rectified, ch.rectified_on_time, ch.rectified_late) == (10, 0, 2, 1, 1)
    assert (ch.open, ch.overdue, ch.marked) == (11, 2, 0)           # ux and uy overdue since 11-03
    assert ("新发现问题10个；已整改问题2个（其中按期整改1个，逾期整改1个）；截至检查基准日，尚未整改问题11个，"
            "其中逾期未整改2个。") in november.overview


def test_marked_problems_leave_the_rectification_figures(tmp_path):
    from govaudit.ledger import ledger_frame, set_mark
    from reports.bulletin import ledger_changes

    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    runs = build(store)
    overdue = ledger_frame(store, site="b1", status="overdue")
    assert len(overdue) == 1                                    # uy, stale since October
    set_mark(store, overdue["id"].iloc[0], "false-positive", "栏目已撤并", "tester")
    ch = ledger_changes(store, runs[1:])
    assert (ch.new, ch.rectified, ch.open, ch.overdue, ch.marked) == (10, 2, 10, 1, 1)


def test_ranking_with_ties_changes_grades_and_warning(november):
    rows = november.ranking.values.tolist()
    assert list(november.ranking.columns) == ["排名", "单位", "网站数", "检查结果", "得分", "较上月", "等次", "备注"]
    assert rows == [
        [1, "丁局", 1, "合格", "100", "+1（↑1位）", "满分", ""],
        [2, "丙局", 1, "合格", "97", "−3（↓1位）", "满分", ""],
        [2, "甲局", 2, "合格", "97", "−2", "满分", ""],
        [4, "乙局", 1, "不合格", "单项否决", "转为不合格（↓2位）", "—", "效能预警"],
    ]
    assert november.warning.startswith("根据得分排名，对排名后1位（含并列）的乙局予以效能预警")


def test_failed_site_lists_its_veto_reason(november):
    failed = november.failed.to_dict("records")
    assert [(f["site"], f["department"], f["veto"]) for f in failed] == [("乙局网站", "乙局", True)]
    assert failed[0]["reasons"] == ["b1共有5个栏目不更新，达到单项否决标准（5个）"]


def test_problem_lines_per_department_with_ledger_state(november):
    items = november.items
    a = items[items["department"] == "甲局"]
    assert [(i["site"], i["category"], i["state_title"]) for i in a.to_dict("records")] == [
        ("甲局门户", "column_stale", "逾期未整改"), ("甲局政务公开", "column_blank", "新发现"),
        ("甲局政务公开", "column_blank", "新发现"), ("甲局门户", "privacy", "新发现")]
    assert list(items["department"].drop_duplicates()) == ["丙局", "甲局", "乙局"]       # ranking order
    assert items["evidence"].dropna().tolist() == [f"身份证号 {MASKED_ID}"]               # privacy only
    assert len(items) == 11


def test_deadline_in_working_days_from_the_bulletin_date(november):
    assert november.deadline == date(2026, 12, 8) and november.deadline_workdays == 10
    assert november.requirements[0].startswith("请各单位对照本通报及问题清单逐项整改，于2026年12月8日前（自本通报印发之日起10个工作日内）")


def test_trend_judges_each_month_alike(november):
    trend = november.trend
    assert trend["month"].tolist() == ["2026-10", "2026-11"]
    assert trend["problems"].tolist() == [3, 11] and trend["pass_rate"].tolist() == [1.0, 0.8]


def test_numbers_count_per_year_and_stay_with_their_month(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    first = issue(store, "2026-11", date(2026, 11, 24))
    second = issue(store, "2026-10", None, earliest=date(2099, 1, 1))     # never before the inspection
    assert (first.doc_number, second.doc_number, second.issued) == ("〔2026〕第1期", "〔2026〕第2期", date(2099, 1, 1))
    assert issue(store, "2026-11") == first                                # re-rendering keeps number and date
    assert issue(store, "2026-11", date(2026, 11, 30)).issued == date(2026, 11, 30)
    assert issue(store, "2026-11").issued == date(2026, 11, 30)
    assert issue(store, "2027-01", date(2027, 2, 1)).doc_number == "〔2027〕第1期"


def _docx_text(path) -> tuple[list[str], list]:
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs], doc.tables


def test_docx_content(written, november):
    paragraphs, tables = _docx_text(written["docx"])
    assert paragraphs[:3] == ["政府网站检查情况通报", "〔2026〕第1期", f"{ORG}\t2026年11月24日"]
    assert paragraphs[3:5] == ["", "各单位："]
    assert "一、总体情况" in paragraphs and "四、各单位存在的问题" in paragraphs
    assert november.overview in paragraphs
    ranking = [[c.text for c in row.cells] for row in tables[0].rows]
    assert ranking[0] == list(november.ranking.columns)
    assert ranking[1:] == [[str(v) for v in row] for row in november.ranking.values.tolist()]
    stale_id = int(november.items[(november.items["site"] == "甲局门户")
                                  & (november.items["category"] == "column_stale")]["id"].iloc[0])
    line = next(p for p in paragraphs if p.startswith("1．甲局门户："))
    assert line.startswith(f"1．甲局门户：栏目「栏目ux」更新至2026年10月1日，已超过14天未更新（问题编号{stale_id}，逾期未整改）")
    text = "\n".join(paragraphs)
    assert f"证据：身份证号 {MASKED_ID}" in text
    assert "最新信息日期" not in text                  # evidence is printed for privacy findings only
    assert "附表：各网站检查得分情况" in paragraphs
    assert [[c.text for c in row.cells][:2] for row in tables[-1].rows][1] == ["1", "丁局网站"]


def test_docx_is_gongwen_layout(written):
    doc = Document(str(written["docx"]))
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.page_width.mm)) == (37, 28, 210)
    body = doc.styles["公文正文"].element.rPr.rFonts
    assert body.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert doc.styles["公文正文"].font.size.pt == 16
    heading = doc.styles["Heading 1"].element.rPr.rFonts
    assert heading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    assert len(doc.inline_shapes) == 3          # the three charts


def test_xlsx_is_the_months_ledger(written):
    sheet = openpyxl.load_workbook(written["xlsx"]).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS and sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    body = [dict(zip(HEADERS, r)) for r in rows[1:]]
    assert len(body) == 13                       # 11 open + uw and uz rectified (stale_count left out)
    states = [r["状态"] for r in body]
    assert states.count("已整改") == 2 and states.count("逾期未整改") == 2 and states.count("新发现") == 9
    assert [r["证据"] for r in body if r["问题类别"] == "个人信息泄露"] == [f"身份证号 {MASKED_ID}"]


def test_html_is_standalone_and_lists_problems(written, november):
    html = written["html"].read_text(encoding="utf-8")
    assert written["html"].name == FILES["html"] and "〔2026〕第1期" in html
    for item in november.items.to_dict("records"):
        assert f"{item['detail']}<span class=\"fid\">（问题编号 {item['id']}）</span>" in html
    assert html.count("data:image/png;base64,") == 3 and "<link" not in html and "src=\"http" not in html
    assert MASKED_ID in html and "最新信息日期" not in html
