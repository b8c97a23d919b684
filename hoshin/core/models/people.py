"""People, sites and departments."""

from __future__ import annotations

import datetime
import functools
import ipaddress
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


def external_auditor_needs_end_date() -> str:
    return str(_("An external auditor's access needs an end date."))


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
    # Set when an administrator gives the person a password: only they should know theirs.
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("The person is asked for a new password at their next sign-in."),
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
    def access_ended(self) -> bool:
        """Deactivated, or past the end of a time-boxed access: no sign-in, no token."""
        return not self.is_active or self.access_expired

    def clean(self) -> None:
        super().clean()
        if self.access_expires_on is None and roles.EXTERNAL_AUDITOR in self.roles_to_save():
            raise ValidationError({"access_expires_on": external_auditor_needs_end_date()})

    def roles_to_save(self) -> set[str]:
        """The roles being saved: a form sets ``pending_roles`` (its groups are saved after
        the person), otherwise the person's stored ones."""
        pending = getattr(self, "pending_roles", None)
        if pending is not None:
            return set(pending)
        if self.pk is None:
            return set()
        return set(self.groups.values_list("name", flat=True))

    @property
    def is_read_only(self) -> bool:
        return not self.roles or self.roles <= roles.READ_ONLY


def source_of(address: str) -> str:
    """The source failed sign-ins are counted by: the address, or its /64 network for IPv6
    (one machine usually holds a whole /64, so counting addresses would not bound it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class UnknownSignIns(models.Model):
    """Failed sign-ins with user names nobody has, counted per source and hour.

    Each such failure would otherwise be one trail event, and anyone could write events
    without end by trying made-up names. The count, the first and last time and the first
    names tried are what an investigator needs; the trail holds one event per source and
    hour at the 1st, 10th, 100th... attempt (see hoshin.core.signals).
    """

    SAMPLE_SIZE = 20

    source = models.CharField(_("source address"), max_length=64)
    period = models.DateTimeField(_("hour starting (UTC)"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    names = models.JSONField(_("first names tried"), default=list, blank=True)
    first_at = models.DateTimeField(_("first attempt"))
    last_at = models.DateTimeField(_("last attempt"))

    class Meta:
        ordering = ["-period", "source"]
        verbose_name = _("failed sign-ins by unknown names")
        verbose_name_plural = _("failed sign-ins by unknown names")
        constraints = [
            models.UniqueConstraint(fields=["source", "period"], name="unknown_sign_ins_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.period:%Y-%m-%d %H:00}: {self.attempts}"
