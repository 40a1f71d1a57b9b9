"""Shipped lexicons of the rules: plain UTF-8 text files users can read and extend.

Formats (every file: one entry a line, blank lines ignored, a line starting with ``#`` is a
comment, and `` #`` after an entry starts a trailing comment):

* term lists (``spam_terms.txt``, ``spam_generic.txt``, ``spam_signals.txt``,
  ``condemnation_context.txt``, ``spam_domains.txt``, ``expression_exceptions.txt``): one term a
  line; a line ``[类别]`` starts a section, and the terms after it belong to that category;
* ``expression_errors.tsv``: ``wrong<TAB>correct<TAB>note`` (the note is optional).

The files are package data of ``rules.data`` (``importlib.resources``); rules read them once
per audit, together with the extra files and entries a config names (see each rule).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

_SECTION = re.compile(r"^\[(.+)\]$")
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


@lru_cache(maxsize=None)
def shipped_text(name: str) -> str:
    """The text of a shipped data file (``rules/data/<name>``)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def user_text(path: str | Path) -> str:
    """The text of a lexicon file a config names (UTF-8, BOM allowed); a missing file is an
    error, never silently an empty lexicon."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f"lexicon file {str(path)!r} not found (resolved to {file.resolve()})")
    return file.read_text(encoding="utf-8-sig")


def entries(text: str) -> list[str]:
    """The entry lines of a data file: comments and blank lines removed, entries stripped."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = _TRAILING_COMMENT.sub("", line).strip()
        if line:
            out.append(line)
    return out


def sectioned_terms(text: str, default: str) -> list[tuple[str, str]]:
    """(term, category) pairs of a term list; ``[类别]`` lines switch the category."""
    category, out = default, []
    for line in entries(text):
        section = _SECTION.match(line)
        if section:
            category = section.group(1).strip() or default
        else:
            out.append((line, category))
    return out


def paths_of(value) -> list[str]:
    """A config value naming files: one path or a list of paths (None: none)."""
    if value is None:
        return []
    if isinstance(value, (str, Path)):
        return [str(value)]
    return [str(v) for v in value]


def literal_pattern(words: Iterable[str], flags: int = 0) -> re.Pattern | None:
    """One compiled regex matching any of ``words`` literally, leftmost then longest.

    The alternation is factored into a character trie (``国务院(?:办公厅|常务会议)?`` rather
    than one branch per word), so the regex engine checks a single branch per text position
    and skips positions whose character starts no word: one pass over a text costs about the
    same for 10 words as for 10,000. Returns None for an empty word list.
    """
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None
    return re.compile(_render(trie), flags)


def _render(node: dict) -> str:
    """Regex of a trie node's continuations (the node itself ends a word when it has "")."""
    branches, leaves = [], []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        if set(child) == {""}:
            leaves.append(ch)
        else:
            branches.append(re.escape(ch) + _render(child))
    if len(leaves) == 1:
        branches.append(re.escape(leaves[0]))
    elif leaves:
        branches.append("[" + "".join(_class_escape(ch) for ch in leaves) + "]")
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:   # a word may end here: prefer going on (longest match), else stop
        return "(?:" + body + ")?"
    return body


def _class_escape(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch
