from datetime import date

import pytest

from govaudit.config import ConfigError, load_config, parse_config
from govaudit.starter import STARTER_CONFIG
from govaudit.windows import Window, WindowError, parse_window

BASE = {
    "departments": [{"id": "jyj", "name": "青溪区教育局", "email": "jyj@example.gov.cn"}],
    "sites": [{"id": "jyj", "name": "教育局", "department": "jyj", "start_urls": ["http://a.gov.cn/jyj/"]}],
}


def problems(data, path="sites.yaml"):
    with pytest.raises(ConfigError) as info:
        parse_config(data, path)
    return str(info.value)


@pytest.mark.parametrize("phrase,window", [
    ("一日一更新", Window(days=1)), ("每周", Window(days=7)), ("两周", Window(days=14)), ("每月", Window(months=1)),
    ("每季度", Window(months=3)), ("半年", Window(months=6)), ("每年", Window(months=12)), ("14天", Window(days=14)),
    ("6个月", Window(months=6)), ("1 year", Window(months=12)), ("十五天", Window(days=15)), (30, Window(days=30)),
])
def test_supervisor_phrases_parse(phrase, window):
    assert parse_window(phrase) == window


@pytest.mark.parametrize("phrase", ["sometimes", "尽快", "", 0])
def test_unreadable_window_is_an_error(phrase):
    with pytest.raises(WindowError):
        parse_window(phrase)


def test_month_windows_are_calendar_months():
    assert Window(months=6).start(date(2026, 11, 20)) == date(2026, 5, 20)
    assert Window(days=14).start(date(2026, 11, 20)) == date(2026, 11, 6)
    assert Window(months=12).start(date(2024, 2, 29)) == date(2023, 2, 28)


def test_defaults_follow_the_rulebook():
    cfg = parse_config(BASE)
    windows = cfg.windows()
    assert windows["动态要闻"] == Window(days=14)
    assert windows["通知公告"] == windows["政策文件"] == Window(months=6)
    assert windows["基础信息"] == Window(months=12)
    assert cfg.sites[0].allowed_hosts == ["a.gov.cn"]


@pytest.mark.parametrize("name,cls", [("工作动态", "动态要闻"), ("青溪要闻", "动态要闻"), ("通知公告", "通知公告"),
                                      ("公示公告", "通知公告"), ("规范性文件", "政策文件"), ("政策解读", "基础信息"),
                                      ("人事信息", "基础信息")])
def test_discovered_columns_are_classed_by_keyword(name, cls):
    assert parse_config(BASE).class_for(name) == cls


def test_partial_update_classes_keep_the_other_defaults():
    cfg = parse_config({**BASE, "update_classes": {"动态要闻": "每周"}})
    assert cfg.windows()["动态要闻"] == Window(days=7)
    assert cfg.windows()["通知公告"] == Window(months=6)


def test_unknown_department_names_file_field_and_fix():
    data = {**BASE, "sites": [{**BASE["sites"][0], "department": "jyjj"}]}
    message = problems(data)
    assert "sites.yaml: sites[0].department: unknown department 'jyjj'" in message
    assert "fix: use one of the department ids (jyj)" in message


def test_misspelled_field_is_named():
    site = {k: v for k, v in BASE["sites"][0].items() if k != "start_urls"}
    message = problems({**BASE, "sites": [{**site, "start_url": ["http://a.gov.cn/"]}], "polite": {}})
    assert "sites[0].start_urls: Field required" in message
    assert "sites[0].start_url: Extra inputs are not permitted\n  fix: did you mean `start_urls`?" in message
    assert "polite: Extra inputs are not permitted\n  fix: did you mean `politeness`?" in message


def test_bad_values_are_explained():
    data = {**BASE, "update_classes": {"动态要闻": "经常"}, "politeness": {"delay": "slow"},
            "sites": [{**BASE["sites"][0], "start_urls": ["www.a.gov.cn"], "scope": ["jyj"]}]}
    message = problems(data)
    assert "update_classes: 动态要闻: cannot read update window '经常'" in message
    assert "politeness.delay" in message and "fix: write a number" in message
    assert "sites[0].start_urls[0]: 'www.a.gov.cn' is not an absolute http(s) URL" in message
    assert "sites[0].scope: scope prefix 'jyj'" in message and "must be a URL path starting with '/'" in message


def test_duplicate_ids_and_unknown_classes():
    data = {**BASE, "departments": BASE["departments"] * 2,
            "sites": [{**BASE["sites"][0], "columns": [{"name": "x", "url": "http://a.gov.cn/x", "update_class": "每日"}]}]}
    message = problems(data)
    assert "departments[1].id: duplicate id 'jyj'" in message
    assert "sites[0].columns[0].update_class: unknown class '每日'" in message


def test_broken_yaml_names_line(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text("departments:\n  - id: a\n   name: x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and "line" in str(info.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_starter_config_is_valid(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(STARTER_CONFIG, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.store_url() == f"sqlite:///{tmp_path.resolve() / 'govaudit.db'}"
    assert [s.id for s in cfg.sites] == ["portal", "jyj"]
