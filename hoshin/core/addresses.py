"""The address a request came from, for login throttling, token throttling and the trail.

By default it is the connection's own address (REMOTE_ADDR) and no header is believed:
anyone can send ``X-Forwarded-For``. Behind a reverse proxy every request comes from the
proxy, so the operator names the header the proxy sets (``HOSHIN_TRUSTED_PROXY_HEADER``)
and how many proxies in front of Hoshin append to it (``HOSHIN_TRUSTED_PROXY_COUNT``).
Each proxy appends the address it was reached from, so the client is the entry that many
places from the right; whatever a client wrote into the header itself stands further
left and is never taken.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def meta_key(header: str) -> str:
    """``X-Forwarded-For`` as Django's request.META names it."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_address(request: Any) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    header = getattr(settings, "HOSHIN_TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote
    value = str(request.META.get(meta_key(header), "") or "")
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    count = max(1, int(getattr(settings, "HOSHIN_TRUSTED_PROXY_COUNT", 1)))
    if len(entries) < count:
        return remote  # it did not come through every trusted proxy
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
