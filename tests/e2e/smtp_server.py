"""A real SMTP server on 127.0.0.1 for mail tests (aiosmtpd), in three flavours.

``smtp_server(mode, tmp_path)`` starts one and yields a `Server` whose ``received`` lists what
arrived (envelope sender, recipients, parsed message, the login used) and whose ``mail`` is the
config `mail:` mapping that reaches it. `plain` is an unauthenticated relay; `starttls` and `ssl`
require AUTH (user ``gkb``, password in $GOVAUDIT_TEST_SMTP_PASSWORD) over TLS with a
certificate from a throwaway CA (trustme) whose PEM is ``ca_file``. Recipients at
``@refused.example`` are refused with 550.
"""
from __future__ import annotations

import email
import email.policy
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .local_http import unused_port

USER, PASSWORD, PASSWORD_ENV = "gkb", "s3cret-Pa55", "GOVAUDIT_TEST_SMTP_PASSWORD"


@dataclass
class Arrived:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    login: str | None


@dataclass
class Server:
    port: int
    mail: dict
    received: list[Arrived] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)   # (user, accepted) per AUTH


class _Handler:
    def __init__(self, server: Server):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.server.received.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos), message, login))
        return "250 Message accepted"


def _authenticator(server: Server):
    def check(smtp, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        server.logins.append((auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "", ok))
        return AuthResult(success=ok, handled=False, auth_data=auth_data)   # handled=False: aiosmtpd answers 535
    return check


@contextmanager
def smtp_server(mode: str, tmp_path: Path):
    """Start an SMTP server: mode is plain | starttls | ssl."""
    port = unused_port()
    server = Server(port, {"host": "127.0.0.1", "port": port, "from": "青溪区政务公开办 <gkb@qingxi.example>",
                           "security": "none" if mode == "plain" else mode, "timeout": 10})
    kwargs: dict = {}
    if mode != "plain":
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        ca_file = tmp_path / f"ca-{mode}.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        server.mail.update(user=USER, password_env=PASSWORD_ENV, ca_file=str(ca_file))
        kwargs = dict(authenticator=_authenticator(server), auth_required=True)
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:   # implicit TLS: aiosmtpd only knows STARTTLS as TLS, the transport is encrypted anyway
            kwargs.update(ssl_context=context, auth_require_tls=False)
    controller = Controller(_Handler(server), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
