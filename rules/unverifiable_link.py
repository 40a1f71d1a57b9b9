"""链接无法核验: link targets whose answer was a firewall, not the target (domain.md §2).

Anti-bot firewalls (瑞数 / WZWS / 加速乐-type WAFs) answer an automated check with HTTP 412, a
JavaScript cookie challenge (a tiny page that sets ``document.cookie`` and reloads), or a block
page. That shows neither that the target works nor that it is dead: the link is *unverifiable*
and a person should open it in a browser. Advisory, never a deduction.

Targets: ``link_checks`` rows with verdict ``unverifiable`` — external targets, internal files
checked instead of fetched, and internal pages/attachments whose own answer was a challenge or a
block page — plus internal pages/attachments stored with status 412. The crawler also calls other
4xx answers (403, 401, 429 …) unverifiable: the server refused *this* request, which does not
show that the target is gone. A redirect loop (a cookie challenge we do not answer) is too.

Grouping, referrers and fields as in rule dead_link: one finding per target per site, listing how
many pages link to it and up to ``max_examples`` of them; hidden-only targets are skipped.
"""
from __future__ import annotations

from datetime import date

from rules.base import Finding, RuleMeta
from rules.dead_link import findings_for
from rules.facts import RunFacts

META = RuleMeta(
    id="unverifiable_link",
    title="链接无法核验",
    category="unverifiable_link",
    severity="advisory",
    indicator="链接可用性",
    source="国办秘函〔2019〕19号",
    confidence="C",
    threshold={"max_examples": 5},
    description="链接目标返回HTTP 412、JavaScript Cookie验证页或防火墙拦截页等，程序无法判断链接是否可用，"
                "需人工在浏览器中核实；不计为死链、不扣分。同一链接只计一个问题（按网站分别计）。",
)


def check(facts: RunFacts, as_of: date, settings: dict) -> list[Finding]:
    return findings_for(META, "unverifiable", facts, settings)
