"""Context of the organisation (ISO 9001 clause 4). For now: the processes of the QMS (4.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    """A process of the quality management system; later work adds inputs, outputs, KPIs."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_processes",
        verbose_name=_("process owner"),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def selectable(cls) -> models.QuerySet["Process"]:
        """What forms offer: the processes still in use."""
        return cls.objects.filter(active=True)
