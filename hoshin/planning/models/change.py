"""Planning of changes to the QMS (ISO 9001 6.3)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.core.models import Record
from hoshin.core.workflow import Workflow
from hoshin.planning.workflow import CHANGE_WORKFLOW


class ChangePlan(Record):
    reference_prefix: ClassVar[str] = "CHG"
    workflow: ClassVar[Workflow] = CHANGE_WORKFLOW

    purpose = models.TextField(_("purpose of the change"))
    consequences = models.TextField(_("potential consequences"), blank=True)
    integrity = models.TextField(
        _("effect on the integrity of the QMS"),
        blank=True,
        help_text=_("How the QMS keeps working during and after the change."),
    )
    resources = models.TextField(_("resources"), blank=True)
    responsibilities = models.TextField(_("responsibilities and authorities"), blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    review = models.TextField(_("review of the change"), blank=True)
    documents = models.ManyToManyField(
        "support.Document", blank=True, related_name="change_plans", verbose_name=_("documents")
    )
    processes = models.ManyToManyField(
        "context.Process", blank=True, related_name="change_plans", verbose_name=_("processes")
    )
    risks = models.ManyToManyField(
        "planning.Risk",
        blank=True,
        related_name="change_plans",
        verbose_name=_("risks and opportunities"),
    )
    due_date = models.DateField(_("planned for"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change plan")
        verbose_name_plural = _("change plans")
