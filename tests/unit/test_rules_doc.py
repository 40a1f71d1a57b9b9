from pathlib import Path

from rules.registry import all_rules, rules_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_metadata():
    # regenerate with: govaudit rules --format markdown > docs/rules.md
    assert DOC.read_text(encoding="utf-8") == rules_markdown()


def test_every_rule_is_documented():
    text = rules_markdown()
    for module in all_rules():
        assert f"## `{module.META.id}` {module.META.title}" in text
