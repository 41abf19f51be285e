"""The address a request comes from, for the login throttle.

Behind reverse proxies every request arrives from the nearest proxy, so the throttle
would lock a user name out from everywhere. Each proxy appends the address it received
the request from to X-Forwarded-For; with TRUSTED_PROXY_COUNT = n (our own n proxies),
the client is the n-th address from the right. Anything to the left of that was written
by the client and cannot be trusted. With 0 (the default) the header is ignored.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: the header is not ours
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
