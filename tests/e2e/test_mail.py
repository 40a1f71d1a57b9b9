"""govaudit.mail against a real SMTP server on 127.0.0.1: plain relay, STARTTLS and SMTPS with AUTH."""
import io
import json

import pytest
from docx import Document

from govaudit.config import Mail
from govaudit.mail import MailError, Outgoing, deliver
from .smtp_server import PASSWORD, PASSWORD_ENV, USER, smtp_server

# SMTPS: aiosmtpd counts only STARTTLS as TLS and warns about AUTH on the (encrypted) implicit-TLS port
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _docx(path, *paragraphs):
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def _outgoing(tmp_path, dept_id, name, to, problem):
    attachment = _docx(tmp_path / f"{name}.docx", f"{name}：", problem)
    return Outgoing(dept_id, name, to, f"关于{name}政府网站检查问题的整改通知", f"{name}：\n请查收附件。", [attachment])


def _attachment_text(message) -> tuple[str, str]:
    (part,) = list(message.iter_attachments())
    document = Document(io.BytesIO(part.get_content()))
    return part.get_filename(), "\n".join(p.text for p in document.paragraphs)


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


@pytest.mark.parametrize("mode", ["plain", "starttls", "ssl"])
def test_each_department_gets_its_own_notice(mode, tmp_path, password):
    items = [_outgoing(tmp_path, "jyj", "青溪区教育局", ["jyj@qingxi.example"], "栏目「通知公告」已超过6个月未更新"),
             _outgoing(tmp_path, "mzj", "青溪区民政局", ["mzj@qingxi.example"], "栏目「工作动态」已超过2周未更新")]
    with smtp_server(mode, tmp_path) as server:
        results = deliver(Mail.model_validate(server.mail), items)
    assert [(r.department_id, r.status, r.error) for r in results] == [("jyj", "sent", None), ("mzj", "sent", None)]
    assert len(server.received) == 2
    by_rcpt = {tuple(a.rcpt_tos): a for a in server.received}
    for item, problem, other in ((items[0], "通知公告", "工作动态"), (items[1], "工作动态", "通知公告")):
        arrived = by_rcpt[tuple(item.to)]
        assert arrived.mail_from == "gkb@qingxi.example"
        assert arrived.message["To"] == item.to[0]
        assert arrived.message["Subject"] == item.subject
        assert "请查收附件" in arrived.message.get_body(("plain",)).get_content()
        filename, text = _attachment_text(arrived.message)
        assert filename == f"{item.department}.docx"
        assert problem in text and other not in text
        assert arrived.login == (None if mode == "plain" else USER)
    if mode != "plain":   # one login for the session, not one per message
        assert server.logins == [(USER, True)]


def test_cc_and_bcc_receive_copies_and_bcc_stays_hidden(tmp_path, password):
    item = _outgoing(tmp_path, "jyj", "青溪区教育局", ["jyj@qingxi.example"], "问题")
    with smtp_server("starttls", tmp_path) as server:
        settings = Mail.model_validate({**server.mail, "cc": ["leader@qingxi.example"], "bcc": ["archive@qingxi.example"]})
        (result,) = deliver(settings, [item])
    assert result.status == "sent"
    (arrived,) = server.received
    assert arrived.rcpt_tos == ["jyj@qingxi.example", "leader@qingxi.example", "archive@qingxi.example"]
    assert arrived.message["Cc"] == "leader@qingxi.example"
    assert arrived.message["Bcc"] is None and "archive@" not in arrived.message.as_string()


def test_a_refused_recipient_fails_only_its_department(tmp_path, password):
    items = [_outgoing(tmp_path, "a", "甲局", ["nobody@refused.example"], "甲"),
             _outgoing(tmp_path, "b", "乙局", [], "乙"),
             _outgoing(tmp_path, "c", "丙局", ["c@qingxi.example"], "丙")]
    with smtp_server("starttls", tmp_path) as server:
        results = deliver(Mail.model_validate(server.mail), items, log=tmp_path / "delivery.json")
    assert [r.status for r in results] == ["failed", "skipped", "sent"]
    log = json.loads((tmp_path / "delivery.json").read_text(encoding="utf-8"))
    assert [(d["department_id"], d["status"], d["to"]) for d in log] == [
        ("a", "failed", ["nobody@refused.example"]), ("b", "skipped", []), ("c", "sent", ["c@qingxi.example"])]
    assert log[2]["attachments"] == ["丙局.docx"] and log[2]["at"]
    assert "550" in results[0].error and "nobody@refused.example" in results[0].error
    assert "departments[].email" in results[1].error
    assert [a.rcpt_tos for a in server.received] == [["c@qingxi.example"]]


def test_a_refused_cc_is_a_partial_delivery(tmp_path, password):
    item = _outgoing(tmp_path, "a", "甲局", ["a@qingxi.example"], "甲")
    with smtp_server("ssl", tmp_path) as server:
        (result,) = deliver(Mail.model_validate({**server.mail, "cc": ["x@refused.example"]}), [item])
    assert result.status == "partial" and "x@refused.example" in result.error
    assert [a.rcpt_tos for a in server.received] == [["a@qingxi.example"]]


def test_wrong_password_sends_nothing_and_says_so_for_every_department(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    items = [_outgoing(tmp_path, d, d, [f"{d}@qingxi.example"], d) for d in ("a", "b")]
    with smtp_server("starttls", tmp_path) as server:
        results = deliver(Mail.model_validate(server.mail), items)
    assert [r.status for r in results] == ["failed", "failed"]
    assert "535" in results[0].error and results[1].error.startswith("not attempted")
    assert server.received == [] and server.logins and not any(ok for _, ok in server.logins)


def test_an_untrusted_certificate_is_refused(tmp_path, password):
    item = _outgoing(tmp_path, "a", "甲局", ["a@qingxi.example"], "甲")
    with smtp_server("starttls", tmp_path) as server:
        settings = Mail.model_validate({**server.mail, "ca_file": None})   # the system CAs do not know it
        (result,) = deliver(settings, [item])
    assert result.status == "failed" and "CERTIFICATE_VERIFY_FAILED" in result.error
    assert server.received == [] and server.logins == []


def test_an_unset_password_variable_stops_before_sending(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with smtp_server("starttls", tmp_path) as server:
        with pytest.raises(MailError, match=PASSWORD_ENV):
            deliver(Mail.model_validate(server.mail), [_outgoing(tmp_path, "a", "甲局", ["a@qingxi.example"], "甲")])
    assert server.received == [] and server.logins == []


def test_a_password_smtp_cannot_send_fails_every_department_instead_of_crashing(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "口令")                 # SMTP AUTH in Python takes ASCII only
    items = [_outgoing(tmp_path, d, d, [f"{d}@qingxi.example"], d) for d in ("a", "b")]
    with smtp_server("ssl", tmp_path) as server:
        results = deliver(Mail.model_validate(server.mail), items)
    assert [r.status for r in results] == ["failed", "failed"]
    assert "UnicodeEncodeError" in results[0].error and results[1].error.startswith("not attempted")
    assert server.received == []
