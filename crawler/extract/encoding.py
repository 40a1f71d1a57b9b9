"""Turn the raw bytes of an HTML page into text.

Chinese government pages are often GBK/GB2312, frequently declare the wrong charset (a GBK page
whose template says utf-8, or a UTF-8 page left with a gb2312 meta tag) and sometimes declare
nothing at all. Declarations are therefore only hints: a strict decode has to succeed before a
declaration is believed.
"""
from __future__ import annotations

import codecs
import re

#: Codec aliases we fold together. GB18030 is a strict superset of GB2312 and GBK, so decoding
#: with it never loses characters that a GBK page may legitimately contain.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "ms936": "gb18030", "windows-936": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030",
    "euc-cn": "gb18030", "gb18030": "gb18030", "hz-gb-2312": "gb18030",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs",
}
#: Declarations that are almost always template defaults, never trusted over UTF-8/GB18030.
_WESTERN = {"iso8859-1", "latin-1", "cp1252", "ascii"}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""")
#: A truncated download may cut the last multi-byte character: tolerate a few broken bytes.
_MAX_BAD_FRACTION = 0.001


def normalize_charset(name: str | None) -> str | None:
    """Canonical Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _ALIASES.get(canonical, canonical)


def declared_charsets(body: bytes, header_charset: str | None = None) -> list[str]:
    """Charsets declared by the HTTP header, an XML prolog or a <meta> tag, in that order."""
    found: list[str] = []
    head = body[:8192]
    xml = _XML_ENCODING.match(head)
    metas = [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)]
    for raw in [header_charset, xml.group(1).decode("ascii", "ignore") if xml else None, *metas]:
        name = normalize_charset(raw)
        # UTF-16/32 declared in an ASCII-compatible document is meaningless (HTML spec: use UTF-8).
        if name and not name.startswith(("utf-16", "utf-32")) and name not in found:
            found.append(name)
    return found


def _strict(body: bytes, codec: str) -> str | None:
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\ufffd" in text else text


def _lenient(body: bytes, codec: str) -> tuple[str, int]:
    text = body.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _charset_normalizer(body: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is None:
        return None
    return str(best), normalize_charset(best.encoding) or best.encoding


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode an HTML (or XML) body; return (text, name of the codec actually used).

    Order: BOM; UTF-8 when the bytes are valid non-ASCII UTF-8 (GBK text essentially never is,
    while UTF-8 text often decodes "successfully" but wrongly as GB18030); the declared
    charsets, strictly; UTF-8 and GB18030 strictly; the same with a few broken bytes tolerated
    (truncated downloads); charset-normalizer; finally the least-damaged lenient decode.
    """
    for bom, codec, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec.replace("-sig", ""), errors="replace"), name
    declared = declared_charsets(body, header_charset)
    if body.isascii():
        # Every ASCII-compatible codec gives the same text; report the declared one if any, as
        # it is what the site expects for e.g. query strings.
        return body.decode("ascii"), declared[0] if declared else "ascii"
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    trusted = [c for c in declared if c not in _WESTERN and c != "utf-8"]
    for codec in [*trusted, "gb18030"]:
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    candidates = [*dict.fromkeys([*trusted, "utf-8", "gb18030"])]
    scored = sorted((_lenient(body, c)[1], i, c) for i, c in enumerate(candidates))
    bad, _, codec = scored[0]
    if bad <= max(2, int(len(body) * _MAX_BAD_FRACTION)):
        return body.decode(codec, errors="replace"), codec
    for codec in declared:
        if codec in _WESTERN:
            return body.decode(codec, errors="replace"), codec
    try:
        guessed = _charset_normalizer(body)
    except Exception:  # noqa: BLE001 - a detector failure must not lose the page
        guessed = None
    if guessed is not None:
        return guessed
    return body.decode(codec, errors="replace"), codec


def looks_binary(body: bytes) -> bool:
    """A body no HTML page has: NUL bytes near the start, with no UTF-16/32 BOM to explain them
    (an image, archive or executable served as text/html)."""
    return b"\0" in body[:4096] and not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def charset_mismatch(header_charset: str | None, used: str) -> str | None:
    """A note when the Content-Type header declares a charset the body was not decoded as."""
    declared = normalize_charset(header_charset)
    if not header_charset or declared == used or used == "ascii":
        return None
    return f"charset {header_charset!r} declared in the Content-Type header, body decoded as {used}"
