"""Discovers rule modules: every module in `rules/` with a META and a check()."""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import rules

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
