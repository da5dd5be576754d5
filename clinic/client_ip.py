"""The address of the client that really sent a request, for rate limits and logs.

Behind a reverse proxy every request comes from the proxy, so the client is in
``X-Forwarded-For``. Anyone can send that header, though, with whatever they like at its start.
Each proxy appends the address it received the request from, so with ``TRUSTED_PROXY_COUNT``
proxies of our own in front, the client is the entry that many places from the right; what a
client wrote to the left of it is ignored. With no proxy (the default) the header is ignored.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through all of them, so nothing
        # in the header can be trusted.
        return remote
    return forwarded[-proxies]
