"""Where a webhook may be sent: https (unless DEBUG), and only to public addresses.

A webhook URL is typed by a person and fetched by our server, so it could point into
our own network (a database port, a cloud metadata service). Every address the host
name resolves to is checked when the endpoint is saved and again at each send, and the
request goes to the very address that was checked, so a DNS answer that changes in
between (DNS rebinding) cannot redirect it. WEBHOOK_ALLOW_PRIVATE_ADDRESSES lifts the
address rule for tests and local development.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

# IPv6 addresses that carry an IPv4 address inside; the IPv4 one is what is reached.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeTarget(Exception):
    """The address may not be sent to; the message says why, for the manager."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif ip in NAT64:
            ip = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """The parts of the address we can judge without the network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(_("Enter a web address that starts with https://."))
    if parts.scheme != "https" and not settings.DEBUG:
        raise UnsafeTarget(_("Use an https address: webhooks are sent only over https."))
    if parts.username or parts.password:
        raise UnsafeTarget(
            _(
                "Leave the user name and password out of the address: the signature proves the sender."
            )
        )


def port_of(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def vetted_addresses(url: str) -> list[str]:
    """The addresses the URL's host resolves to, each one checked; raises UnsafeTarget
    if any of them is loopback, private, link-local or otherwise not public."""
    check_url(url)
    host = urlsplit(url).hostname
    try:
        port = port_of(url)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeTarget(_("The host %(host)s cannot be found.") % {"host": host}) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise UnsafeTarget(_("The host %(host)s cannot be found.") % {"host": host})
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not is_public(address):
                raise UnsafeTarget(
                    _(
                        "%(host)s points to %(address)s, a private or local address. Webhooks "
                        "are sent only to public addresses."
                    )
                    % {"host": host, "address": address}
                )
    return addresses
