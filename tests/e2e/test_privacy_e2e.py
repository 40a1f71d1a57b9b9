"""Privacy first: planted raw personal data never reaches the store, the logs or any output."""
import io
import json
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import openpyxl
import pytest

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent / "govaudit"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body17: str) -> str:
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


RAW_IDS = [id_number("33010219850312041"), id_number("33010619720101002")]
RAW_MOBILES = ["13957112345", "18867154321"]
RAW_CARD = "6222021202041234567"   # padded below to pass Luhn


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in prefix + d][::-1]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x * 2 > 9 else x * 2) for i, x in enumerate(digits))
        if total % 10 == 0:
            return prefix + d
    raise AssertionError


CARD = luhn_complete(RAW_CARD[:18])
RAW = RAW_IDS + RAW_MOBILES + [CARD]


def roster_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号", "联系电话", "救助金额"])
    sheet.append([1, "王某某", RAW_IDS[1], RAW_MOBILES[1], 800])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PAGE = f"""<html><head><meta charset="utf-8"><title>2026年10月临时救助公示</title>
<meta name="PubDate" content="2026-11-02 09:00"></head><body>
<div class="crumb">当前位置：首页 &gt; 通知公告</div>
<div class="TRS_Editor"><p>根据《社会救助暂行办法》，现将临时救助对象公示如下：</p>
<table><tr><td>姓名</td><td>身份证号</td><td>电话</td></tr>
<tr><td>张某某</td><td>{RAW_IDS[0]}</td><td>{RAW_MOBILES[0]}</td></tr></table>
<p>救助金发放至申请人本人银行卡号：{CARD}。</p>
<p>已去标识化示例：330102********1234，138****1234。统一社会信用代码：91330102MA2H3J4K5L。</p>
<p>发布时间：2026-11-02</p><a href="/files/roster.xlsx">临时救助对象名单.xlsx</a></div></body></html>"""
LIST = ("<html><head><meta charset='utf-8'><title>通知公告</title></head><body><ul class='list'>"
        "<li><a href='/gs.html'>2026年10月临时救助公示</a><span>2026-11-02</span></li>"
        "<li><a href='/tz.html'>关于做好冬季防火工作的通知</a><span>2026-11-01</span></li></ul></body></html>")


class Site(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        routes = {"/index.html": (LIST.encode(), "text/html; charset=utf-8"),
                  "/gs.html": (PAGE.encode(), "text/html; charset=utf-8"),
                  "/tz.html": ("<html><body>通知 发布时间：2026-11-01</body></html>".encode(), "text/html; charset=utf-8"),
                  "/files/roster.xlsx": (roster_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
        body, ctype = routes.get(self.path, (b"not found", "text/plain"))
        self.send_response(200 if self.path in routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def output_text(path: Path) -> str:
    """A written file's text; a Word file's paragraphs and table cells (its XML is zipped)."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_bytes().decode("utf-8", "replace")


def test_no_raw_personal_value_anywhere(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = tmp_path / "p.yaml"
    config.write_text(json.dumps({
        "store": "sqlite:///p.db", "as_of": "2026-11-20",
        "departments": [{"id": "mzj", "name": "民政局"}],
        "sites": [{"id": "mzj", "name": "民政局网站", "department": "mzj", "start_urls": [base + "/index.html"],
                   "columns": [{"name": "通知公告", "url": base + "/index.html"}]}],
        "politeness": {"delay": 0, "autothrottle": False, "robots_txt": False},
    }, ensure_ascii=False), encoding="utf-8")
    outputs = []
    for args in (["run", config, "--out", tmp_path / "out", "--month", "2026-11", "--no-progress"],
                 ["findings", "--config", config, "--format", "json"],
                 ["findings", "--config", config, "--format", "csv"],
                 ["columns", "--config", config, "--format", "json"]):
        result = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    server.shutdown()

    findings = json.loads(outputs[2])
    privacy = {f["url"]: f for f in findings if f["rule"] == "privacy"}
    assert set(privacy) == {base + "/gs.html", base + "/files/roster.xlsx"}
    assert "身份证号1处" in privacy[base + "/gs.html"]["detail"] and "银行卡号1处" in privacy[base + "/gs.html"]["detail"]
    assert "330102********0412" in privacy[base + "/gs.html"]["evidence"] or "********" in privacy[base + "/gs.html"]["evidence"]

    db = sqlite3.connect(tmp_path / "p.db")
    dump = "\n".join(db.iterdump())
    tables = [json.loads(cells) for (cells,) in db.execute("SELECT cells FROM page_tables WHERE page_url = ?",
                                                          (base + "/gs.html",))]
    db.close()
    masked_id = RAW_IDS[0][:6] + "*" * 8 + RAW_IDS[0][-4:]
    assert tables == [[["姓名", "身份证号", "电话"], ["张某某", masked_id, RAW_MOBILES[0][:3] + "****" + RAW_MOBILES[0][-4:]]]]
    files = [output_text(path) for path in (tmp_path / "out").rglob("*") if path.is_file()]
    assert any(path.suffix == ".docx" for path in (tmp_path / "out").rglob("*"))     # the 整改通知书 too
    for raw in RAW:
        for where, text in [("store", dump), *[(f"output {i}", o) for i, o in enumerate(outputs)],
                            *[("report", f) for f in files]]:
            assert raw not in text, f"raw value {raw[:3]}… found in {where}"
    assert "138****1234" in dump          # already-masked values are kept as they are
