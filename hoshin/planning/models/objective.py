"""Quality objectives (ISO 9001 6.2): what will be done, with what, by whom, by when, and
how the result is judged; measured by KPIs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.context.models import Process
from hoshin.core.models import Department, Record
from hoshin.core.workflow import Workflow
from hoshin.planning.workflow import OBJECTIVE_WORKFLOW


class ObjectiveLevel(models.TextChoices):
    ORGANISATION = "organisation", _("Whole organisation")
    DEPARTMENT = "department", _("Department")
    PROCESS = "process", _("Process")


class PolicyCommitment(models.TextChoices):
    """The commitments ISO 9001 5.2.1 asks the quality policy to make, plus customer focus."""

    REQUIREMENTS = "requirements", _("Meet applicable requirements")
    CUSTOMER = "customer", _("Enhance customer satisfaction")
    IMPROVEMENT = "improvement", _("Continual improvement of the QMS")
    OBJECTIVES = "objectives", _("A framework for quality objectives")


class Objective(Record):
    reference_prefix: ClassVar[str] = "OBJ"
    workflow: ClassVar[Workflow] = OBJECTIVE_WORKFLOW

    description = models.TextField(_("what will be done"))
    resources = models.TextField(_("resources required"), blank=True)
    evaluation = models.TextField(_("how results are evaluated"), blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=ObjectiveLevel.choices, default="organisation"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("process"),
    )
    commitments = models.JSONField(_("quality policy commitments"), default=list, blank=True)
    policy = models.ForeignKey(
        "support.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quality policy"),
        limit_choices_to={"doc_type__kind": "policy"},
    )
    kpis = models.ManyToManyField(
        "planning.Kpi", blank=True, related_name="objectives", verbose_name=_("KPIs")
    )
    # "When it will be completed" is the record's due date.
    due_date = models.DateField(_("to be completed by"), null=True, blank=True, db_index=True)
    outcome_notes = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["due_date", "title"]
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.level == ObjectiveLevel.DEPARTMENT and self.department_id is None:
            errors["department"] = _("Name the department this objective is for.")
        if self.level == ObjectiveLevel.PROCESS and self.process_id is None:
            errors["process"] = _("Name the process this objective is for.")
        unknown = set(self.commitments or []) - set(PolicyCommitment.values)
        if unknown:
            errors["commitments"] = _("Unknown commitment: %(c)s.") % {
                "c": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)

    def get_commitments_display(self) -> str:
        labels = dict(PolicyCommitment.choices)
        return ", ".join(str(labels.get(c, c)) for c in self.commitments or [])
