"""Discovers rule modules: every module in `rules/` with a META and a check()."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import rules
from rules.base import SEVERITY_TITLES

_INFRASTRUCTURE = {"base", "registry", "facts", "audit"}


def all_rules() -> list[ModuleType]:
    modules = []
    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda m: m.name):
        if info.name in _INFRASTRUCTURE or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"rules.{info.name}")
        if hasattr(module, "META") and hasattr(module, "check"):
            modules.append(module)
    return modules


def rule(rule_id: str) -> ModuleType:
    for module in all_rules():
        if module.META.id == rule_id:
            return module
    raise KeyError(f"unknown rule {rule_id!r}; `govaudit rules` lists them")


_CONFIDENCE = {"C": "C（已确认）", "P": "P（很可能）", "U": "U（未确认，本地默认值）"}


def rules_markdown() -> str:
    """docs/rules.md, generated from the rules' metadata (`govaudit rules --format markdown`)."""
    import json

    lines = ["# Rules", "",
             "Generated from each rule's metadata by `govaudit rules --format markdown > docs/rules.md`; "
             "do not edit by hand. Thresholds are defaults: override them under `rules.<id>` in the config. "
             "Confidence: C confirmed from the official text, P very likely, U an unconfirmed local default "
             "(never a national rule).", "",
             "| id | 名称 | category | severity | indicator | source | confidence |",
             "|---|---|---|---|---|---|---|"]
    modules = all_rules()
    for module in modules:
        m = module.META
        lines.append(f"| `{m.id}` | {m.title} | {m.category} | {SEVERITY_TITLES[m.severity]} | {m.indicator} | "
                     f"{m.source} | {m.confidence} |")
    for module in modules:
        m = module.META
        lines += ["", f"## `{m.id}` {m.title}", "", m.description or "", "",
                  f"- category: `{m.category}`; severity: {SEVERITY_TITLES[m.severity]}"
                  + ("; a site-level count over other findings" if m.aggregate else ""),
                  f"- indicator: {m.indicator}", f"- source: {m.source}",
                  f"- same problem across runs (ledger identity): {', '.join(m.identity)}",
                  f"- confidence: {_CONFIDENCE[m.confidence]}",
                  "- default settings:", "", "```json",
                  json.dumps(m.threshold, ensure_ascii=False, indent=2), "```"]
    return "\n".join(lines) + "\n"
