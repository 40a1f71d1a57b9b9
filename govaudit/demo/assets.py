"""Binary and static resources of the demo: attachments, images, CSS and JavaScript.

Everything is generated in code and byte-for-byte deterministic (zip entry times and document
properties are pinned), so two runs serve identical files. Beneficiary lists are masked
(``张*明``, ``330102********1234``, ``138****1234``), except the one planted leak: the roster
``linshi_2026_q3_mingdan.xlsx`` shows :func:`planted_personal_values` (synthetic numbers that pass
every checksum) in week 1 and a masked list in week 2. Tests must never print those values.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Callable

from .texts import BENEFICIARY_HEADERS, masked_beneficiaries

_FIXED_ZIP_TIME = (2026, 11, 10, 9, 0, 0)


def _pin_zip(data: bytes, when: tuple = _FIXED_ZIP_TIME) -> bytes:
    """Rewrite a zip (xlsx/docx) with fixed entry timestamps so the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def dibao_xlsx() -> bytes:
    """低保 公示 list for October 2026 as .xlsx, with masked IDs and phone numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "公示名单"
    ws.append(["青溪区2026年10月城乡最低生活保障对象公示名单"])
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(BENEFICIARY_HEADERS)
    for row in masked_beneficiaries(2610, 20):
        ws.append(row)
    ws.append(["", "", "", "", "", "", "合计", str(sum(int(r[7]) for r in masked_beneficiaries(2610, 20)))])
    ws.append(["监督电话：0571-86019876"])
    for col, width in zip("ABCDEFGH", (6, 12, 12, 10, 22, 15, 10, 16)):
        ws.column_dimensions[col].width = width
    when = datetime(2026, 11, 10, 9, 0, 0)
    wb.properties.creator = "青溪区民政局"
    wb.properties.lastModifiedBy = "青溪区民政局"
    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    return _pin_zip(buf.getvalue())


def dibao_docx() -> bytes:
    """低保 公示 for September 2026 as .docx (masked table)."""
    from docx import Document

    doc = Document()
    doc.add_heading("青溪区2026年9月城乡最低生活保障对象公示", level=1)
    doc.add_paragraph("根据《社会救助暂行办法》和《浙江省最低生活保障办法》有关规定，经街道审核、区民政局确认，"
                      "现将2026年9月新增城乡最低生活保障对象予以公示，公示期为7天。")
    rows = masked_beneficiaries(2609, 12)
    table = doc.add_table(rows=1, cols=len(BENEFICIARY_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, BENEFICIARY_HEADERS):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    doc.add_paragraph("监督电话：0571-86019876")
    doc.add_paragraph("青溪区民政局")
    when = datetime(2026, 10, 12, 9, 0, 0)
    props = doc.core_properties
    props.author = props.last_modified_by = "青溪区民政局"
    props.title = "青溪区2026年9月城乡最低生活保障对象公示"
    props.created = props.modified = when
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _pin_zip(buf.getvalue(), (2026, 10, 12, 9, 0, 0))


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def linshi_pdf() -> bytes:
    """A small valid one-page PDF (STSong-Light, UniGB-UCS2-H) listing masked 临时救助 recipients."""
    lines = ["青溪区2026年第三季度临时救助对象公示", ""]
    for row in masked_beneficiaries(2603, 10):
        lines.append(f"{row[0]}  {row[1]}  {row[3]}  {row[4]}  救助金额：{int(row[7]) * 2}元")
    lines += ["", "公示期为7天。监督电话：0571-86019876", "青溪区民政局"]
    ops = ["BT", "/F1 16 Tf", "56 780 Td", "20 TL"]
    for n, line in enumerate(lines):
        if n == 1:
            ops.append("/F1 11 Tf")
        ops.append(f"<{_utf16_hex(line)}> Tj T*" if line else "T*")
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")

    chars = sorted({ch for line in lines for ch in line})
    cmap_lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                  "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                  "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(chars), 100):
        chunk = chars[i:i + 100]
        cmap_lines.append(f"{len(chunk)} beginbfchar")
        cmap_lines += [f"<{_utf16_hex(c)}> <{_utf16_hex(c)}>" for c in chunk]
        cmap_lines.append("endbfchar")
    cmap_lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    cmap = "\n".join(cmap_lines).encode("ascii")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        ("<< /Title <FEFF%s> /Author <FEFF%s> /Producer (govaudit demo) "
         "/CreationDate (D:20260910093000+08'00') /ModDate (D:20260910093000+08'00') >>"
         % (_utf16_hex(lines[0]), _utf16_hex("青溪区民政局"))).encode("ascii"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, len(objects), xref))
    return out.getvalue()


def corrupt_xls() -> bytes:
    """An .xls that starts like an OLE2 compound file and then is garbage: cannot be parsed."""
    noise = b""
    block = b"qingxi-mzj-2026-10"
    while len(noise) < 1536:
        block = hashlib.sha256(block).digest()
        noise += block
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + noise[:1536]


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(body17: str) -> str:
    """A 居民身份证号 with its check character (GB 11643)."""
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS)) % 11]


def planted_personal_values() -> list[str]:
    """The raw values of the planted leak (two ID numbers, two mobile numbers). Synthetic, but
    they pass every check a screen applies: never print them."""
    return [_id_number("33010219880315042"), _id_number("33010619761102081"), "13957160123", "18867102468"]


_ROSTER_HEADERS = ["序号", "姓名", "身份证号", "联系电话", "救助金额（元）"]


def _roster_xlsx(masked: bool) -> bytes:
    """The 临时救助 roster of 2026 Q3: raw ID and mobile numbers (week 1) or masked (week 2)."""
    from openpyxl import Workbook

    ids, mobiles = planted_personal_values()[:2], planted_personal_values()[2:]
    wb = Workbook()
    ws = wb.active
    ws.title = "临时救助对象名单"
    ws.append(["青溪区2026年第三季度临时救助对象名单"])
    ws.append(_ROSTER_HEADERS)
    for n, (name, ident, mobile, amount) in enumerate(zip(("王*军", "陈*华"), ids, mobiles, (2400, 1800)), 1):
        if masked:      # local practice: first 6 + last 4 of an ID, 3 + 4 of a mobile
            ident, mobile = ident[:6] + "*" * 8 + ident[-4:], mobile[:3] + "****" + mobile[-4:]
        ws.append([n, name, ident, mobile, amount])
    ws.append(["监督电话：0571-86019876"])
    return _saved(wb)


def _saved(wb) -> bytes:
    when = datetime(2026, 9, 10, 9, 0, 0)
    wb.properties.creator = wb.properties.lastModifiedBy = "青溪区"
    wb.properties.created = wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    return _pin_zip(buf.getvalue())


def baomingbiao_xlsx() -> bytes:
    """The 艺术节 registration form (uploaded only in week 2)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "报名表"
    ws.append(["青溪区第七届中小学生艺术节报名表"])
    ws.append(["学校", "项目", "节目名称", "参演人数", "指导教师"])
    return _saved(wb)


def tables_zip() -> bytes:
    """A small .zip of forms (an internal archive the crawl only link-checks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("参保登记表.txt", date_time=_FIXED_ZIP_TIME)
        z.writestr(info, "青溪区城乡居民医疗保险参保登记表（样表）\n".encode("utf-8"))
    return out.getvalue()


#: What a 瑞数-type WAF answers an automated client (with HTTP 412): a cookie challenge script.
WAF_CHALLENGE = (b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
                 b"<meta id='9DhefwqGPrzGxEp9hPaoag' content='qxdemo' r='m'></head><body>"
                 b"<script type='text/javascript' r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=20261;"
                 b"$_ts.cd='qEcrrpAlEaGqlqlq';</script><script src='/4QbVtADbnLVIc/c.FxJzG50F.js' r='m'></script>"
                 b"</body></html>")


@dataclass(frozen=True)
class Attachment:
    """A downloadable file linked from a document (``label`` is the anchor text). ``build`` None:
    the file is missing (404); ``fixed_build``: what it serves once a week-2 change fixed its plant."""
    label: str
    content_type: str
    build: Callable[[], bytes] | None
    fixed_build: Callable[[], bytes] | None = None


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ATTACHMENTS: dict[str, Attachment] = {
    "dibao_2026_10.xlsx": Attachment(
        "青溪区2026年10月城乡最低生活保障对象公示名单.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", dibao_xlsx),
    "dibao_xinzeng_2026_10.xls": Attachment(
        "青溪区2026年10月低保新增对象名单.xls", "application/vnd.ms-excel", corrupt_xls),
    "dibao_2026_09.docx": Attachment(
        "青溪区2026年9月城乡最低生活保障对象公示.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", dibao_docx),
    "linshi_2026_q3.pdf": Attachment(
        "青溪区2026年第三季度临时救助对象公示.pdf", "application/pdf", linshi_pdf),
    "linshi_2026_q3_mingdan.xlsx": Attachment(
        "青溪区2026年第三季度临时救助对象名单.xlsx", _XLSX, lambda: _roster_xlsx(masked=False),
        lambda: _roster_xlsx(masked=True)),
    "yishujie_baomingbiao.xlsx": Attachment("第七届中小学生艺术节报名表.xlsx", _XLSX, None, baomingbiao_xlsx),
}


@lru_cache(maxsize=None)
def attachment_bytes(key: str, fixed: bool = False) -> bytes | None:
    """The bytes of an attachment, as planted or fixed (built once per process); None when missing."""
    attachment = ATTACHMENTS[key]
    build = attachment.fixed_build if fixed and attachment.fixed_build else attachment.build
    return build() if build else None


# --- images -----------------------------------------------------------------------------------

def png(width: int, height: int, color: tuple[int, int, int], stripe: tuple[int, int, int] | None = None) -> bytes:
    """A small RGB PNG: a solid colour, optionally with a horizontal band (logo-like)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        band = stripe is not None and height // 3 <= y < 2 * height // 3
        raw += bytes(stripe if band else color) * width

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


IMAGES = {
    "/images/logo.png": lambda: png(240, 60, (196, 18, 28), (255, 215, 0)),
    "/images/dzjg.png": lambda: png(55, 65, (204, 0, 0), (255, 255, 255)),
    "/images/jiucuo.png": lambda: png(110, 55, (0, 90, 170), (255, 255, 255)),
    "/images/ga.png": lambda: png(20, 20, (30, 80, 160)),
}

# --- CSS / JavaScript -------------------------------------------------------------------------

PORTAL_CSS = """\
body{margin:0;font:14px/1.6 "Microsoft YaHei","SimSun",sans-serif;color:#333;background:#f5f5f5}
a{color:#333;text-decoration:none}a:hover{color:#c4121c}
.w{width:1200px;margin:0 auto}
.topbar{background:#eee;height:32px;line-height:32px;font-size:12px}.topbar .today{float:left}.topbar .links{float:right}
.head{background:#c4121c;height:110px}.head .logo{float:left;margin-top:25px}.head form{float:right;margin-top:38px}
.nav{background:#a20e17}.nav>ul{margin:0 auto;padding:0;width:1200px;list-style:none;height:44px}
.nav>ul>li{float:left;position:relative}.nav>ul>li>a{display:block;padding:0 38px;line-height:44px;color:#fff;font-size:17px}
.nav .sub{display:none;position:absolute;left:0;top:44px;background:#fff;border:1px solid #ddd;width:190px;z-index:9}
.nav li:hover .sub{display:block}.nav .sub a{display:block;padding:4px 14px}
.main{background:#fff;padding:20px;margin:14px auto;overflow:hidden}
.crumb{font-size:13px;color:#666;margin-bottom:12px}.crumb a{color:#666}
.dept-head{background:#fff3e8;padding:14px 20px;font-size:22px;color:#a20e17;margin:14px auto 0}
.block{float:left;width:560px;margin:0 20px 20px 0}.block h3{border-bottom:2px solid #c4121c;margin:0 0 8px;font-size:17px}
.block h3 .more{float:right;font-size:12px;font-weight:normal}
ul.list{list-style:none;padding:0;margin:0}ul.list li{border-bottom:1px dashed #ddd;line-height:34px;overflow:hidden}
ul.list li span{float:right;color:#888}
table.list{width:100%;border-collapse:collapse}table.list td,table.list th{border-bottom:1px dashed #ddd;padding:6px}
.pager{margin:16px 0;text-align:center}.pager a,.pager span{margin:0 4px}
.side{float:left;width:220px;margin-right:20px}.side a{display:block;padding:8px 12px;border-bottom:1px solid #eee}
.content-area{overflow:hidden}
.article h1{text-align:center;font-size:24px}.article .info{text-align:center;color:#888;border-bottom:1px solid #eee;padding-bottom:10px}
.article .wenhao{text-align:center}.article .sign{text-align:right}.article table{border-collapse:collapse;margin:10px auto}
.article td,.article th{border:1px solid #999;padding:4px 8px}
.nodata{padding:40px;text-align:center;color:#999}
.footer{background:#333;color:#ccc;text-align:center;padding:18px 0;font-size:13px}.footer a{color:#ccc}
.footer .dzjg{margin-top:8px}
"""

SITE_CSS = PORTAL_CSS.replace("#c4121c", "#1d5fa8").replace("#a20e17", "#164a84").replace("#fff3e8", "#e8f1fb")

# A tiny, dependency-free implementation of the Hanweb jpage plugin, so list pages work in a
# browser: it renders the first page from the <datastore> and fetches further pages from
# dataproxy.jsp with the same startrecord/endrecord/perpage POST the real plugin sends.
JPAGE_JS = r"""/* jpage (demo build): renders Hanweb datastore lists and pages through dataproxy.jsp */
(function () {
  function records(xml) {
    var out = [], re = /<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g, m;
    while ((m = re.exec(xml))) { out.push(m[1]); }
    return out;
  }
  function jpage(container, opts) {
    var store = container.querySelector('script[type="text/xml"]');
    var list = document.createElement('ul'); list.className = 'list';
    var bar = document.createElement('div'); bar.className = 'pager';
    container.appendChild(list); container.appendChild(bar);
    var pages = Math.max(1, Math.ceil(opts.totalRecord / opts.perPage));
    function show(html, page) {
      list.innerHTML = html.join('') || '<li class="nodata">暂无信息</li>';
      var s = '<span>共' + opts.totalRecord + '条 ' + page + '/' + pages + '页</span>';
      for (var p = 1; p <= pages; p++) { s += p === page ? '<span>' + p + '</span>' : '<a href="#" data-p="' + p + '">' + p + '</a>'; }
      bar.innerHTML = s;
    }
    function load(page) {
      if (page === 1) { show(records(store ? store.text : ''), 1); return; }
      var start = (page - 1) * opts.perPage + 1, end = page * opts.perPage;
      var body = [], k;
      for (k in opts.ajaxParam) { body.push(encodeURIComponent(k) + '=' + encodeURIComponent(opts.ajaxParam[k])); }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', opts.proxyUrl + '?startrecord=' + start + '&endrecord=' + end + '&perpage=' + opts.perPage);
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
      xhr.onload = function () { show(records(xhr.responseText), page); };
      xhr.send(body.join('&'));
    }
    bar.addEventListener('click', function (e) {
      var p = e.target.getAttribute('data-p'); if (p) { e.preventDefault(); load(parseInt(p, 10)); }
    });
    load(1);
  }
  if (typeof window.$ === 'undefined') {
    window.$ = function (sel) {
      var el = document.querySelector(sel);
      return { jpage: function (opts) { if (el) { jpage(el, opts); } return this; } };
    };
  }
})();
"""

STATIC = {
    "/css/style.css": ("text/css; charset=utf-8", PORTAL_CSS.encode("utf-8")),
    "/module/jslib/jquery/jpage/jquery.page.min.js": ("application/javascript; charset=utf-8",
                                                      JPAGE_JS.encode("utf-8")),
}

SITE_STATIC = {
    "/css/style.css": ("text/css; charset=utf-8", SITE_CSS.encode("utf-8")),
}
