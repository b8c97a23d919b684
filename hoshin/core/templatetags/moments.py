"""Moments on the page, in the reader's zone and named with it.

A time shown without its zone, or labelled with the wrong one, misleads an auditor: the
filter keeps the value and its label together. (Printed pages show UTC instead: they wrap
their body in ``{% timezone "UTC" %}`` and say UTC.)
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat

register = template.Library()


@register.filter(expects_localtime=True)
def local_time(value: datetime.datetime | None, fmt: str = "Y-m-d H:i") -> str:
    """``2025-06-01 19:33 IST``: in the active zone (the reader's), with the zone's name."""
    if not isinstance(value, datetime.datetime):
        return ""
    return f"{dateformat.format(value, fmt)} {value.tzname()}"
