"""The demo's organisation, exchange rates, sites, departments and people (the core's loader)."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from hoshin.core import roles
from hoshin.core.demo import Demo, organisation_data
from hoshin.core.models import Department, ExchangeRate, Organisation, Site, User


def ascii_name(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def load(demo: Demo) -> None:
    content = organisation_data()
    org = Organisation.objects.order_by("pk").first() or Organisation()
    org.name = content["name"]
    org.base_currency = content["base_currency"]
    org.save()

    # One rate every 91 days, from a year ago to today's.
    for currency, values in content["rates"].items():
        for i, value in enumerate(values):
            valid_from = demo.today - datetime.timedelta(days=365 - i * 91)
            ExchangeRate.objects.get_or_create(
                currency=currency, valid_from=valid_from, defaults={"rate": Decimal(value)}
            )

    for site in content["sites"]:
        demo.sites[site["code"]] = Site.objects.create(**site)
    for department in content["departments"]:
        demo.departments[department["name"]] = Department.objects.create(
            name=department["name"], site=demo.sites[department["site"]]
        )

    # One PBKDF2 hash for everyone: hashing 30 times would take longer than the rest.
    hashed = make_password(demo.password)
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    for role in roles.ALL_ROLES:
        if role not in groups:
            groups[role] = Group.objects.create(name=role)
    joined = timezone.make_aware(
        datetime.datetime.combine(demo.today - datetime.timedelta(days=400), datetime.time(9))
    )
    access_days = datetime.timedelta(days=content["external_access_days"])
    for person in content["people"]:
        department, site = person["department"], person["site"]
        user = User(
            username=person["username"],
            first_name=person["first_name"],
            last_name=person["last_name"],
            email=f"{ascii_name(person['first_name'])}.{ascii_name(person['last_name'])}"
            "@example.com",
            job_title=person["job_title"],
            department=demo.departments[department] if department else None,
            site=demo.sites[site] if site else None,
            password=hashed,
            date_joined=joined,
        )
        if roles.EXTERNAL_AUDITOR in person["roles"]:
            user.access_expires_on = demo.today + access_days
        user.save()
        user.groups.set([groups[r] for r in person["roles"]])
        demo.people[user.username] = user
    demo.counts.update(
        sites=len(content["sites"]),
        departments=len(content["departments"]),
        people=len(content["people"]),
    )
