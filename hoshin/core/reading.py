"""Read-and-understood: ask people to read a record, and keep their confirmation.

Distribution is stated as people, roles and departments; it is expanded to the
people who hold them at the moment of the request, so someone who joins a
department later is asked when the next version is issued, not retroactively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core import trail
from hoshin.core.models import Department, ReadRequest, User


def people_in(
    people: Iterable[User] = (),
    roles: Iterable[str] = (),
    departments: Iterable[Department] = (),
) -> models.QuerySet[User]:
    """Active people named directly, or holding one of the roles, or in one of the departments."""
    condition = Q(pk__in=[p.pk for p in people])
    role_names = list(roles)
    if role_names:
        condition |= Q(groups__in=Group.objects.filter(name__in=role_names))
    department_ids = [d.pk for d in departments]
    if department_ids:
        condition |= Q(department__in=department_ids)
    return User.objects.filter(condition, is_active=True).distinct().order_by("pk")


def request(record: models.Model, people: Iterable[User]) -> int:
    """Ask each person to read ``record``; returns how many new requests were made."""
    existing = set(ReadRequest.objects.for_record(record).values_list("person_id", flat=True))
    new = []
    for person in people:
        if person.pk in existing or person.access_expired:
            continue
        item = ReadRequest(person=person)
        item.link_to(record)
        new.append(item)
        existing.add(person.pk)
    if new:
        ReadRequest.objects.bulk_create(new)
    return len(new)


class NotRequested(Exception):
    pass


def acknowledge(record: models.Model, user: User) -> ReadRequest:
    """Record that ``user`` read and understood ``record`` (once; repeating changes nothing)."""
    with transaction.atomic():
        item = (
            ReadRequest.objects.for_record(record).select_for_update().filter(person=user).first()
        )
        if item is None:
            raise NotRequested(_("You were not asked to read this."))
        if item.acknowledged_at is None:
            item.acknowledged_at = timezone.now()
            ReadRequest.objects.filter(pk=item.pk).update(acknowledged_at=item.acknowledged_at)
            trail.append(
                action=trail.TrailAction.ACKNOWLEDGE,
                instance=record,
                actor=user,
                changes={"person": user.get_username()},
                message=_("Read and understood"),
            )
        return item


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def outstanding(self) -> int:
        return self.total - self.done


def progress(record: models.Model) -> Progress:
    counts: dict[str, Any] = ReadRequest.objects.for_record(record).aggregate(
        total=models.Count("pk"),
        done=models.Count("pk", filter=Q(acknowledged_at__isnull=False)),
    )
    return Progress(counts["done"], counts["total"])


def outstanding_for(user: User) -> models.QuerySet[ReadRequest]:
    return ReadRequest.objects.filter(person=user, acknowledged_at__isnull=True).order_by(
        "requested_at", "id"
    )
