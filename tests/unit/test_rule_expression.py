"""严重表述错误 on hand-made facts: wrong forms fire, correct terms and longer correct phrases do not."""
from datetime import date
from importlib import resources

import pandas as pd
import pytest

from rules import expression
from rules.facts import RunFacts
from rules.registry import all_rules

AS_OF = date(2026, 11, 20)
CONFIG = {
    "update_classes": {"动态要闻": "两周"},
    "sites": [{"id": "jyj", "name": "青溪区教育局", "department": "jyj", "scope": ["/jyj/"]},
              {"id": "portal", "name": "青溪区人民政府门户网站", "department": "zf", "scope": ["/"]}],
    "rules": {},
}
HOST = "http://www.qingxi.gov.cn"


def page(path, title="", text=""):
    return {"url": f"{HOST}{path}", "title": title, "text": text}


def facts(pages=(), attachments=(), links=(), sites=None):
    pages = list(pages)
    if sites is None:
        sites = [(p["url"], "jyj") for p in pages]
    return RunFacts(run_id=1, config=CONFIG,
                    pages=pd.DataFrame(pages, columns=["url", "title", "text"]),
                    attachments=pd.DataFrame(list(attachments), columns=["url", "status", "ext", "bytes", "text"]),
                    links=pd.DataFrame([(f"{HOST}{p}", u, t, False, "a", "", True) for p, u, t in links],
                                       columns=["page_url", "url", "text", "hidden", "context", "block", "internal"]),
                    page_sites=pd.DataFrame([(u, s, "scope") for u, s in sites],
                                            columns=["page_url", "site_id", "how"]))


def run(f, **overrides):
    return expression.check(f, AS_OF, expression.META.settings(overrides))


def summary(findings):
    return sorted((f.url[len(HOST):], f.site_id, f.evidence, f.detail) for f in findings)


def test_wrong_form_fires_and_the_correct_term_does_not():
    pages = [page("/jyj/a.html", "转发国务院办公厅关于进一步优化政务服务的意见",
                  "根据国务院办公厅、中华人民共和国国务院有关要求，现转发如下。"),
             page("/jyj/b.html", "转发国务园办公厅关于进一步优化政务服务的意见",
                  "各学校：现将《国务园办公厅关于进一步优化政务服务的意见》转发给你们，请认真贯彻执行。")]
    found = run(facts(pages))
    assert summary(found) == [("/jyj/b.html", "jyj", "转发国务园办公厅关于进一步优化政务服",
                               "「国务园办公厅」应为「国务院办公厅」")]
    f = found[0]
    assert (f.rule, f.category, f.severity, f.department_id) == ("expression", "expression", "veto", "jyj")
    assert f.data == {"wrong": "国务园办公厅", "correct": "国务院办公厅", "note": "机构名称错字（院→园）",
                      "source": "page", "first_in": "title", "occurrences": {"title": 1, "text": 1}, "count": 2}


def test_evidence_keeps_at_most_ten_characters_each_side():
    text = "一二三四五六七八九十甲乙丙丁：深入学习习近平新时代中国特色社会主意思想，\n坚定拥护“两个确立”，坚决做到“两个维护”。"
    found = run(facts([page("/jyj/c.html", "学习", text)]))
    assert [(f.evidence, f.detail) for f in found] == [
        ("十甲乙丙丁：深入学习习近平新时代中国特色社会主意思想， 坚定拥护“两个确",
         "「习近平新时代中国特色社会主意思想」应为「习近平新时代中国特色社会主义思想」")]


def test_longest_and_leftmost_wrong_form_wins_once_per_page():
    text = "中华人民共和国国务园办公厅印发。国务园办公厅通知。国务园办公厅通知。"
    found = run(facts([page("/jyj/d.html", "", text)]))
    assert sorted((f.data["wrong"], f.data["count"]) for f in found) == [
        ("中华人民共和国国务园", 1), ("国务园办公厅", 2)]


def test_wrong_form_inside_a_longer_correct_phrase_does_not_fire():
    pages = [page("/jyj/e.html", "", "弘扬社会主义核心价值关键在落细落小落实。"),     # correct sentence
             page("/jyj/f.html", "", "大力培育和践行社会主义核心价值关。")]             # the typo
    assert summary(run(facts(pages))) == [
        ("/jyj/f.html", "jyj", "大力培育和践行社会主义核心价值关。", "「社会主义核心价值关」应为「社会主义核心价值观」")]


def test_configured_exceptions_and_automatic_ones():
    pages = [page("/jyj/g.html", "", "他对学习近乎痴迷。"),
             page("/jyj/h.html", "", "深刻领会习近乎同志重要讲话精神。"),
             page("/jyj/i.html", "", "国务院办公厅印发通知。"),
             page("/jyj/j.html", "", "国务院办印发通知。")]
    # a bare "习近乎" would hit "学习近乎"; the configured exception keeps it out
    settings = {"extra_entries": {"习近乎": "习近平", "国务院办": ["国务院办公厅", "本地补充"]},
                "exceptions": ["学习近乎"]}
    found = run(facts(pages), **settings)
    assert summary(found) == [
        ("/jyj/h.html", "jyj", "深刻领会习近乎同志重要讲话精神。", "「习近乎同志」应为「习近平同志」"),
        ("/jyj/j.html", "jyj", "国务院办印发通知。", "「国务院办」应为「国务院办公厅」"),
    ]
    # "国务院办公厅" is a correct form containing the wrong form "国务院办": an exception by construction
    without = run(facts(pages), extra_entries={"习近乎": "习近平"})
    assert sorted(f.url[len(HOST):] for f in without) == ["/jyj/g.html", "/jyj/h.html"]


def test_attachment_text_belongs_to_the_sites_of_the_pages_linking_it():
    att = f"{HOST}/jyj/files/report.pdf"
    pages = [page("/jyj/k.html", "2025年工作总结", "附件：工作总结")]
    attachments = [{"url": att, "status": 200, "ext": "pdf", "bytes": 1000,
                    "text": "深入学习贯彻习近平总书纪重要讲话精神"},
                   {"url": f"{HOST}/jyj/files/ok.pdf", "status": 200, "ext": "pdf", "bytes": 1000,
                    "text": "深入学习贯彻习近平总书记重要讲话精神"}]
    links = [("/jyj/k.html", att, "工作总结"), ("/jyj/k.html", f"{HOST}/jyj/files/ok.pdf", "附件")]
    found = run(facts(pages, attachments, links))
    assert [(f.url, f.site_id, f.evidence, f.detail) for f in found] == [
        (att, "jyj", "深入学习贯彻习近平总书纪重要讲话精神", "「习近平总书纪」应为「习近平总书记」")]
    assert found[0].data["source"] == "attachment" and found[0].data["linked_from"] == [f"{HOST}/jyj/k.html"]


def test_one_finding_per_site_and_unattributed_pages():
    pages = [page("/jyj/l.html", "", "中国共产觉"), page("/x/m.html", "", "中国共产觉")]
    sites = [(f"{HOST}/jyj/l.html", "jyj"), (f"{HOST}/jyj/l.html", "portal")]
    found = run(facts(pages, sites=sites))
    assert sorted((f.url[len(HOST):], f.site_id or "", f.department_id or "") for f in found) == [
        ("/jyj/l.html", "jyj", "jyj"), ("/jyj/l.html", "portal", "zf"), ("/x/m.html", "", "")]


def test_dictionary_files_extend_and_malformed_lines_fail(tmp_path):
    extra = tmp_path / "local.tsv"
    extra.write_text("# 本地补充\n青溪区人民正府\t青溪区人民政府\t区名错字\n", encoding="utf-8")
    pages = [page("/jyj/n.html", "", "青溪区人民正府办公室")]
    assert run(facts(pages)) == []
    found = run(facts(pages), dictionary_paths=[str(extra)])
    assert [(f.detail, f.data["note"]) for f in found] == [("「青溪区人民正府」应为「青溪区人民政府」", "区名错字")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("没有制表符的一行\n", encoding="utf-8")
    with pytest.raises(ValueError, match="wrong<TAB>correct"):
        run(facts(pages), dictionary_paths=str(bad))
    with pytest.raises(FileNotFoundError):
        run(facts(pages), dictionary_paths=[str(tmp_path / "missing.tsv")])


def test_shipped_dictionary_is_sound():
    text = resources.files("rules.data").joinpath("expression_errors.tsv").read_text(encoding="utf-8")
    entries = expression.parse_tsv(text, "expression_errors.tsv")
    assert len(entries) >= 60
    corrects = {e.correct for e in entries.values()}
    for wrong, entry in entries.items():
        assert entry.correct != wrong and entry.note, wrong
        # a wrong form is never part of a correct form the dictionary knows
        assert not any(wrong in correct for correct in corrects), wrong
    # every correct form (and a page made of all of them) is silent
    dictionary = expression.Dictionary.from_settings(expression.META.settings({}))
    assert dictionary.find("。".join(sorted(corrects))) == []
    assert dictionary.find("学习近乎痴迷，复习近乎完成，一代一代一路走来，娱乐场所。") == []
    # one combined pattern, not one per entry
    assert dictionary.pattern.pattern.count("|") < sum(len(w) for w in entries)


def test_registered_as_veto_rule():
    meta = next(m.META for m in all_rules() if m.META.id == "expression")
    assert (meta.category, meta.severity, meta.source, meta.confidence) == (
        "expression", "veto", "国办秘函〔2019〕19号", "C")
