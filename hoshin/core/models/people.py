"""People, sites and departments."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import roles


class Site(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    name = models.CharField(_("name"), max_length=200)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("site")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["name", "site"], name="department_unique_per_site")
        ]

    def __str__(self) -> str:
        return self.name


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA zone names this machine knows (read once: it scans the zone files)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    if name and name not in time_zones():
        raise ValidationError(_("%(name)s is not a time zone."), params={"name": name})


def time_zone_choices() -> list[tuple[str, str]]:
    """Every zone by name, after the empty choice that follows the organisation's."""
    default = _("The organisation's (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", default), *((name, name) for name in sorted(time_zones()))]


class User(AbstractUser):
    """A person who uses Hoshin; their roles are their groups."""

    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("department"),
        related_name="people",
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("site"),
        related_name="people",
    )
    access_expires_on = models.DateField(
        _("access expires on"),
        null=True,
        blank=True,
        help_text=_("After this day the person can no longer sign in (external auditors)."),
    )
    # Empty follows the organisation's zone (settings.TIME_ZONE), even when that changes.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Times are shown in this zone."),
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active or self.access_expired:
            return frozenset()
        names = frozenset(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names |= {roles.QUALITY_MANAGER}
        return names

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def zone(self) -> datetime.tzinfo:
        """The zone this person reads times in: their own, else the organisation's."""
        if self.time_zone in time_zones():
            return zoneinfo.ZoneInfo(self.time_zone)
        return timezone.get_default_timezone()

    @property
    def access_expired(self) -> bool:
        expires = self.access_expires_on
        return expires is not None and expires < timezone.localdate()

    @property
    def is_read_only(self) -> bool:
        return not self.roles or self.roles <= roles.READ_ONLY
