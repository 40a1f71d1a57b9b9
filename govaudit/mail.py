"""Mail delivery of notices and reminders over SMTP (config `mail:`, docs/operations.md).

Each department gets its own message. Outcomes are returned one per department and never
swallowed: a refused recipient or a rejected message fails that department only; a server that
cannot be reached or refuses the login fails every message not yet sent, each saying it was not
attempted. The password is read from the environment variable the config names, before
anything is sent.
"""
from __future__ import annotations

import json
import mimetypes
import os
import smtplib
import ssl
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from govaudit.config import Mail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
mimetypes.add_type(DOCX, ".docx")


class MailError(Exception):
    """Mail cannot be sent at all (no `mail:` section, password variable unset); nothing was sent."""


@dataclass
class Outgoing:
    """One department's message."""
    department_id: str
    department: str
    to: list[str]
    subject: str
    body: str
    attachments: list[Path] = field(default_factory=list)


@dataclass
class Delivery:
    """What happened to one Outgoing: status is sent | partial | failed | skipped."""
    department_id: str
    department: str
    to: list[str]
    subject: str
    status: str
    error: str | None = None
    attachments: list[str] = field(default_factory=list)
    at: str | None = None          # when it was tried (UTC, ISO 8601)

    @property
    def ok(self) -> bool:
        return self.status == "sent"


class _ServerDown(Exception):
    """Connecting or logging in failed: no later message can get through either."""


def password(settings: Mail) -> str | None:
    """The SMTP password from the environment variable named by `password_env`."""
    if not settings.user:
        return None
    value = os.environ.get(settings.password_env or "")
    if not value:
        raise MailError(f"mail.password_env: environment variable {settings.password_env} is not set; "
                        f"export it (e.g. in the systemd unit's EnvironmentFile) before using --send")
    return value


def tls_context(settings: Mail, base_dir: Path | None = None) -> ssl.SSLContext:
    """Verifying TLS context; `ca_file` (relative to the config's folder) replaces the system CAs."""
    cafile = None
    if settings.ca_file:
        cafile = Path(settings.ca_file)
        if not cafile.is_absolute() and base_dir is not None:
            cafile = base_dir / cafile
        if not cafile.is_file():
            raise MailError(f"mail.ca_file: {cafile} does not exist; give the CA bundle's path")
    return ssl.create_default_context(cafile=str(cafile) if cafile else None)


def build_message(settings: Mail, item: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(item.to)
    if settings.cc:
        message["Cc"] = ", ".join(settings.cc)
    message["Subject"] = item.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.sender)[1].rpartition("@")[2] or None)
    message.set_content(item.body)
    for path in item.attachments:
        maintype, _, subtype = (mimetypes.guess_type(path.name)[0] or "application/octet-stream").partition("/")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


class _Connection:
    """One SMTP session, opened on first use and again after a failed message."""

    def __init__(self, settings: Mail, secret: str | None, context: ssl.SSLContext):
        self.settings, self.secret, self.context = settings, secret, context
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.smtp_port(), timeout=s.timeout, context=self.context)
            else:
                smtp = smtplib.SMTP(s.host, s.smtp_port(), timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=self.context)
            if s.user:
                smtp.login(s.user, self.secret or "")
        except (OSError, smtplib.SMTPException, UnicodeError) as exc:    # UnicodeError: a non-ASCII password
            raise _ServerDown(f"{s.host}:{s.smtp_port()} ({s.security}): {_reason(exc)}") from None
        return smtp

    def send(self, message: EmailMessage, recipients: list[str]) -> dict:
        """Send; return the refused recipients (address -> reply). Raises on failure."""
        if self.smtp is None:
            self.smtp = self._open()
        try:
            return self.smtp.send_message(message, to_addrs=recipients)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "all recipients refused: " + _refused_text(exc.recipients)
    return f"{type(exc).__name__}: {exc}"


def _refused_text(refused: dict) -> str:
    return "; ".join(f"{address} ({code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply})"
                     for address, (code, reply) in refused.items())


def deliver(settings: Mail, items: list[Outgoing], base_dir: Path | None = None,
            log: Path | None = None) -> list[Delivery]:
    """Send every item; one Delivery per item, in order. Raises MailError (before sending
    anything) only when mail cannot work at all. With `log`, the outcomes so far are rewritten
    there after every message, so even an interrupted delivery leaves its record."""
    secret, context = password(settings), tls_context(settings, base_dir)
    connection = _Connection(settings, secret, context)
    results: list[Delivery] = []
    down: str | None = None
    try:
        for item in items:
            result = Delivery(item.department_id, item.department, item.to, item.subject, "failed",
                              attachments=[p.name for p in item.attachments])
            results.append(result)
            if not item.to:
                result.status, result.error = "skipped", "no e-mail address: set departments[].email in the config"
            elif down:
                result.error = f"not attempted: {down}"
            else:
                down = _send_one(connection, settings, item, result)
            if log is not None:
                write_log(results, log)
    finally:
        connection.close()
    return results


def _send_one(connection: _Connection, settings: Mail, item: Outgoing, result: Delivery) -> str | None:
    """Send one item and fill `result`; return the reason when the server is down."""
    result.at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        refused = connection.send(build_message(settings, item), [*item.to, *settings.cc, *settings.bcc])
    except _ServerDown as exc:
        result.error = f"server unreachable or login refused: {exc}"
        return str(exc)
    except Exception as exc:      # whatever went wrong, it is this department's outcome, not the others'
        result.error = _reason(exc)
        return None
    if refused:
        missed_department = any(address in refused for address in item.to)
        result.status = "failed" if missed_department else "partial"
        result.error = "refused: " + _refused_text(refused)
    else:
        result.status = "sent"
    return None


def write_log(deliveries: list[Delivery], path: Path) -> Path:
    """Record every outcome (JSON list) next to the files that were sent."""
    path.write_text(json.dumps([asdict(d) for d in deliveries], ensure_ascii=False, indent=2), encoding="utf-8")
    return path
