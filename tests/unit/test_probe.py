"""crawler.probe: failure labels (stdlib and Twisted exceptions alike) and what counts as loaded.
Fetching over real sockets is tested end to end (tests/e2e/test_probe_e2e.py)."""
import http.client
import socket
import ssl

import pytest
from twisted.internet import error as twisted_error
from twisted.web._newclient import ResponseNeverReceived

from crawler.probe import TooManyRedirects, describe_failure, failure_kind, outcome


@pytest.mark.parametrize("exc, kind", [
    (TimeoutError("timed out"), "timeout"),
    (socket.timeout("timed out"), "timeout"),
    (twisted_error.TimeoutError(), "timeout"),
    (twisted_error.TCPTimedOutError(), "timeout"),
    (socket.gaierror(-2, "Name or service not known"), "dns"),
    (twisted_error.DNSLookupError(), "dns"),
    (ConnectionRefusedError(111, "Connection refused"), "refused"),
    (twisted_error.ConnectionRefusedError(), "refused"),
    (ConnectionResetError(104, "Connection reset by peer"), "reset"),
    (http.client.RemoteDisconnected("Remote end closed connection"), "reset"),
    (twisted_error.ConnectionLost(), "reset"),
    (ResponseNeverReceived([]), "reset"),
    (ssl.SSLError(1, "handshake failure"), "tls"),
    (TooManyRedirects("more than 5 redirects"), "redirects"),
    (ValueError("odd"), "other"),
])
def test_failure_kind(exc, kind):
    assert failure_kind(exc) == kind
    assert describe_failure(exc).startswith(f"{kind}: ")


def test_outcome_needs_a_good_status_in_time_and_no_error():
    assert outcome(200, 1200, None, timeout=15) == (True, None)
    assert outcome(302, 100, None) == (True, None)
    assert outcome(503, 80, None) == (False, "http: HTTP 503")
    assert outcome(404, 80, None) == (False, "http: HTTP 404")
    assert outcome(200, 15001, None, timeout=15) == (False, "timeout: loaded in 15001 ms, over 15 s")
    assert outcome(200, 15000, None, timeout=15) == (True, None)
    assert outcome(None, None, "refused: Connection refused") == (False, "refused: Connection refused")
    assert outcome(None, 5, None) == (False, "other: no answer")
