"""One HTTP POST to a webhook endpoint, to an address vetted by webhooks.addresses.

The standard library's http.client, with the connection opened to the checked address
while the Host header and the TLS certificate check still use the host name. Redirects
are not followed: a 3xx answer is a failed delivery (it could lead anywhere).
"""

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhooks.addresses import port_of, vetted_addresses

# How much of a receiver's answer is kept in the delivery log.
ANSWER_KEPT = 500


@dataclass(frozen=True)
class Answer:
    status: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> Answer:
    """POST the body; raises webhooks.addresses.UnsafeTarget or OSError (refused,
    timed out, TLS) when nothing could be delivered."""
    addresses = vetted_addresses(url)
    parts = urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname, port_of(url), address=addresses[0], timeout=timeout
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(ANSWER_KEPT).decode("utf-8", errors="replace")
        return Answer(status=response.status, text=text)
    finally:
        connection.close()
