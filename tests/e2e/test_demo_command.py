"""`govaudit demo` — the README's main command — runs the supervisor's fortnight end to end."""
import json
from pathlib import Path

import docx
import pytest

from .govaudit_cli import cli

pytestmark = pytest.mark.e2e


def test_demo_writes_the_bulletin_notices_and_two_audited_runs(tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--out", out, "--no-progress")
    written = [Path(line) for line in result.stdout.splitlines()]
    assert written[:3] == [out / "bulletin.html", out / "bulletin.docx", out / "问题清单.xlsx"]
    notices = [p for p in written if p.parent == out / "整改通知书"]
    assert notices and all(p.exists() for p in written)
    assert "整改通知书" in "".join(par.text for par in docx.Document(notices[0]).paragraphs)
    runs = json.loads(cli("runs", "--db", out / "demo.db", "--format", "json").stdout)
    assert [r["status"] for r in runs] == ["complete", "complete"]
    ledger = json.loads(cli("ledger", "--db", out / "demo.db", "--format", "json").stdout)
    assert {"rectified", "new", "persisting"} <= {entry["status"] for entry in ledger}
