"""Text of downloaded attachments (xls/xlsx/doc/docx/pdf/wps/et), for the privacy screens.

The declared extension is only a hint: government sites routinely serve an HTML table as
".xls", an xlsx as ".xls" or a docx as ".doc", so the format is sniffed from the bytes first.
Every failure surfaces as AttachmentError; nothing else may escape (the spider records the
reason and moves on).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

#: Link path extensions treated as attachments (lower case, no dot).
ATTACHMENT_EXTS = frozenset({"xls", "xlsx", "doc", "docx", "pdf", "wps", "et", "zip", "rar"})

_DYNAMIC_PATH = re.compile(r"(?:^|/)[^/.]*$|\.(?:jsp|do|aspx?|php|action|cgi|ashx)$", re.I)


@lru_cache(maxsize=16384)      # pure, and a site repeats the same menu and footer links on every page
def attachment_ext(url: str, text: str = "") -> str | None:
    """Attachment extension of a link (lower case, no dot), or None.

    The URL path decides (`/a/名单.XLS?v=2` → "xls"). Download scripts
    (`downfile.jsp?filename=2026_10.xlsx`, `/download?id=9` with link text "名单.xls") carry the
    name in a query value or in the link text instead.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    ext = path.rsplit("/", 1)[-1].rpartition(".")[2].lower() if "." in path.rsplit("/", 1)[-1] \
        else ""
    if ext in ATTACHMENT_EXTS:
        return ext
    if not _DYNAMIC_PATH.search(path):
        return None
    for _, value in parse_qsl(parts.query):
        tail = value.rsplit(".", 1)[-1].lower() if "." in value else ""
        if tail in ATTACHMENT_EXTS:
            return tail
    m = re.search(r"\.([A-Za-z]{2,4})\s*$", text or "")
    return m.group(1).lower() if m and m.group(1).lower() in ATTACHMENT_EXTS else None


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MAX_ZIP_MEMBERS = 20_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class AttachmentError(Exception):
    """The attachment could not be read; str(error) is a short reason."""


class _Full(Exception):
    """Internal: the text budget is used up."""


class _Text:
    """Accumulates lines up to a character budget."""

    def __init__(self, max_chars: int):
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars

    def add(self, line: str) -> None:
        self.parts.append(line)
        self.size += len(line) + 1
        if self.size >= self.max_chars:
            raise _Full

    def text(self) -> str:
        return "\n".join(self.parts)[:self.max_chars]


def _collect(fill, max_chars: int) -> str:
    out = _Text(max_chars)
    try:
        fill(out)
    except _Full:
        pass
    return out.text()


def _cell(value) -> str:
    """A spreadsheet cell as text; integral floats lose their ".0" (IDs, phone numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _row_line(values) -> str | None:
    cells = [_cell(v) for v in values]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells) if cells else None


# ---------------------------------------------------------------- zip-based formats

def _open_zip(body: bytes, max_unzipped_bytes: int) -> zipfile.ZipFile:
    """Open a zip after checking its declared uncompressed size (zip-bomb guard)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise AttachmentError(f"bad zip: {exc}") from exc
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    if total > max_unzipped_bytes or len(infos) > _MAX_ZIP_MEMBERS:
        archive.close()
        raise AttachmentError(f"zip bomb guard: {total} bytes in {len(infos)} members declared")
    return archive


def _xlsx(body: bytes, out: _Text) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = _row_line(row)
                if line:
                    out.add(line)
    finally:
        book.close()


def _docx_block(element, out: _Text) -> None:
    """Paragraphs and (nested) tables of a WordprocessingML container, in document order."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph(child)
            if text.strip():
                out.add(text)
        elif tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                cells: list[str] = []
                for tc in row.iterchildren(f"{_W}tc"):
                    sub = _Text(10**9)
                    _docx_block(tc, sub)
                    text = " ".join(p for p in sub.parts if p.strip())
                    if not cells or text != cells[-1]:
                        cells.append(text)
                if any(cells):
                    out.add("\t".join(cells))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"):
            _docx_block(child, out)


def _paragraph(p) -> str:
    parts = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append(node.text or "" if node.tag == f"{_W}t" else
                     "\t" if node.tag == f"{_W}tab" else "\n")
    return "".join(parts)


def _docx(body: bytes, out: _Text) -> None:
    import docx

    document = docx.Document(io.BytesIO(body))
    _docx_block(document.element.body, out)


# ---------------------------------------------------------------- binary formats

class _NullLog:
    def write(self, *_args) -> None:
        pass


def _xls(body: bytes, out: _Text) -> None:
    import xlrd

    book = xlrd.open_workbook(file_contents=body, on_demand=True, logfile=_NullLog(),
                              verbosity=0)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            for r in range(sheet.nrows):
                values = []
                for cell in sheet.row(r):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            values.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                        except (ValueError, OverflowError):
                            values.append(cell.value)
                    elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY,
                                        xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(cell.value)
                line = _row_line(values)
                if line:
                    out.add(line)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _pdf(body: bytes, out: _Text) -> None:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise AttachmentError("encrypted pdf")
        except AttachmentError:
            raise
        except Exception as exc:  # noqa: BLE001 - pypdf raises assorted errors here
            raise AttachmentError("encrypted pdf") from exc
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one broken page must not lose the others
            continue
        if text.strip():
            out.add(text)


_PRINTABLE_RUN = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uffee\u2010-\u2027\u00b7\u0020-\u007e\t\r\n]{4,}")
_OLE_NAMES = re.compile(r"^(?:Root Entry|WordDocument|[01]Table|Data|ObjectPool|CompObj|"
                        r"\x05?(?:Document)?SummaryInformation|WpsCustomData|KSOProductBuildVer|"
                        r"Microsoft (?:Office )?Word.*|Normal(?:\.dotm?)?|Times New Roman|"
                        r"Calibri|Arial|Symbol|Wingdings|Cambria Math)$")


#: Frequent Chinese characters. Real text has most of its characters here; byte noise that
#: happens to decode to CJK code points almost never does (500 of ~21,000 code points).
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第"
    "向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处"
    "队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单"
    "风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土"
    "许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省"
    "列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置"
    "派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞镇街村乡户籍救助贫困补贴残疾低保李刘陈"
    "杨黄赵吴周徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_MIN_COMMON_SHARE = 0.25


def _plausible(run: str) -> bool:
    """Keep UTF-16 runs that read as Chinese (or as ASCII words/numbers); drop byte noise."""
    cjk = [c for c in run if "\u4e00" <= c <= "\u9fff"]
    if cjk:
        common = sum(1 for c in cjk if c in _COMMON_HANZI)
        return common >= 1 and common / len(cjk) >= _MIN_COMMON_SHARE
    stripped = run.strip()
    return len(stripped) >= 6 and not _OLE_NAMES.match(stripped) and bool(
        re.search(r"[A-Za-z]{3}|\d{6}", stripped))


def _utf16_runs(body: bytes) -> list[str]:
    """Readable UTF-16LE text runs of a binary Word/WPS file, at the better byte alignment."""
    best: list[str] = []
    best_cjk = -1
    for offset in (0, 1):
        chunk = body[offset:]
        text = chunk[:len(chunk) - len(chunk) % 2].decode("utf-16-le", errors="replace")
        runs = [collapse_lines(m.group()) for m in _PRINTABLE_RUN.finditer(text)]
        runs = [r for r in runs if r and _plausible(r)]
        cjk = sum(1 for r in runs for c in r if "\u4e00" <= c <= "\u9fff")
        if cjk > best_cjk:
            best, best_cjk = runs, cjk
    return best


def collapse_lines(text: str) -> str:
    lines = (re.sub(r"[ \t\u3000]+", " ", line).strip() for line in re.split(r"[\r\n]+", text))
    return "\n".join(line for line in lines if line)


_WORD_STREAM = "WordDocument".encode("utf-16-le")


def _word_binary(body: bytes, out: _Text) -> None:
    # An OLE file without a WordDocument stream (a broken .xls, say) would only yield byte
    # noise that happens to decode as CJK: refuse it rather than invent text.
    if body.startswith(_OLE_MAGIC) and _WORD_STREAM not in body:
        raise AttachmentError("unsupported: no Word document stream in this file")
    runs = _utf16_runs(body)
    cjk = sum(1 for r in runs for c in r if "\u4e00" <= c <= "\u9fff")
    if cjk < 2 and sum(len(r) for r in runs) < 20:
        raise AttachmentError("unsupported: no readable text in binary document")
    for run in runs:
        out.add(run)


def _markup(body: bytes, out: _Text) -> None:
    """An HTML/XML page saved with an office extension (very common for ".xls" exports)."""
    import lxml.html

    from .encoding import decode_html
    from .html_util import visible_lines

    text, _ = decode_html(body)
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    doc = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    for line in visible_lines(doc, cap=out.max_chars):
        out.add(line)


# ---------------------------------------------------------------- dispatch

def _looks_like_markup(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")) and (
        b"<html" in body[:4096].lower() or b"<table" in body[:65536].lower()
        or b"<?xml" in head[:10] or b"<!doctype" in head[:10])


def _zip_kind(archive: zipfile.ZipFile, ext: str) -> str:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise AttachmentError(f"unsupported: zip archive ({ext or 'no extension'})")


def _sniff(body: bytes, ext: str, max_unzipped_bytes: int) -> str:
    if not body:
        raise AttachmentError("empty file")
    if body.startswith(_ZIP_MAGICS):
        with _open_zip(body, max_unzipped_bytes) as archive:
            return _zip_kind(archive, ext)
    if b"%PDF-" in body[:1024]:
        return "pdf"
    if body.startswith(_OLE_MAGIC):
        return "xls" if ext in ("xls", "et", "xlt") else "word"
    if body.lstrip().startswith(b"{\\rtf"):
        raise AttachmentError("unsupported: rtf document")
    if _looks_like_markup(body):
        return "markup"
    if ext == "rar" or body.startswith(b"Rar!"):
        raise AttachmentError("unsupported: rar archive")
    if ext in ("xls", "et"):
        return "xls"  # xlrd also reads a bare BIFF stream
    if ext in ("doc", "wps"):
        return "word"
    raise AttachmentError(f"unsupported: .{ext or '?'} file")


_READERS = {"xlsx": _xlsx, "docx": _docx, "xls": _xls, "pdf": _pdf, "word": _word_binary,
            "markup": _markup}


def extract_attachment_text(body: bytes, ext: str, *, max_chars: int = 2_000_000,
                            max_unzipped_bytes: int = 200_000_000) -> str:
    """Plain text of an attachment (cells tab-separated, rows/paragraphs newline-separated).

    Raises AttachmentError (never anything else) when the file is unreadable, unsupported,
    encrypted or a zip bomb. At most max_chars characters are returned.
    """
    ext = (ext or "").lower().strip().lstrip(".")
    kind = "?"
    try:
        kind = _sniff(body, ext, max_unzipped_bytes)
        reader = _READERS[kind]
        if kind == "xls":
            try:
                return _collect(lambda out: reader(body, out), max_chars)
            except AttachmentError:
                raise
            except Exception:  # noqa: BLE001 - an OLE file named .xls may be a Word file
                if not body.startswith(_OLE_MAGIC):
                    raise
                return _collect(lambda out: _word_binary(body, out), max_chars)
        return _collect(lambda out: reader(body, out), max_chars)
    except AttachmentError:
        raise
    except Exception as exc:  # noqa: BLE001 - contract: only AttachmentError escapes
        raise AttachmentError(f"{kind} parse failed: {type(exc).__name__}: {str(exc)[:120]}") \
            from exc
