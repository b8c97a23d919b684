"""One factory per register, and the people, places and types its records need.

Records are made the way the application makes them: validated by the model
(``full_clean``, as the forms and the API do), then saved by the model inside
``acting_as`` so that the reference, the initial status, ``created_by`` and the create
event in the audit trail are real. A document gets its first version from
``versions.start``, as the document form does; a figure is entered on its KPI, an
action linked to its record, and both write into that record's trail.

Every factory takes ``actor`` (who is acting; the record's owner by default)::

    nc = NonconformityFactory(owner=owner, severity="critical")
    doc = DocumentFactory(owner=quality, body="# Purpose", doc_type=doc_type("WI"))
    kpi = KpiFactory(figures=[96, 94.5])  # with figures for the last two months
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from factory.django import DjangoModelFactory

from hoshin.context.models import Process
from hoshin.core import roles, trail
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Department, Record, Site, User
from hoshin.improvement.models import Nonconformity
from hoshin.planning import periods
from hoshin.planning.models import ChangePlan, Kpi, Measurement, Objective, Risk
from hoshin.support import versions
from hoshin.support.models import Document, DocumentType

PASSWORD = "correct-horse-battery"  # the same as tests.conftest.PASSWORD

# Fields a record gets from the model on create (``Record.before_create``), not from a form.
ASSIGNED_ON_CREATE = ["reference", "status"]


def months_ago(n: int, frequency: str = "monthly") -> datetime.date:
    """The first day of the period ``n`` periods before the current one."""
    current = periods.start_of(timezone.localdate(), frequency)
    return periods.following(current, frequency, -n)


# --- people, places and types ---------------------------------------------------------
class UserFactory(DjangoModelFactory):
    """A person who can sign in with :data:`PASSWORD`; ``role`` is a group name
    (process owner by default; ``role=None`` for someone with no role at all)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = PASSWORD
    role: str | None = roles.PROCESS_OWNER

    @classmethod
    def _build(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        kwargs.pop("role")
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        role = kwargs.pop("role")
        user = model_class.objects.create_user(*args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"Plant {n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    site = factory.SubFactory(SiteFactory)


class ProcessFactory(DjangoModelFactory):
    class Meta:
        model = Process

    code = factory.Sequence(lambda n: f"PR-{n:03d}")
    name = factory.Sequence(lambda n: f"Process {n}")
    owner = factory.SubFactory(UserFactory, role=roles.PROCESS_OWNER)


class DocumentTypeFactory(DjangoModelFactory):
    """A type of its own (the installed ones, QP, WI, REC..., come with the database:
    take them with ``DocumentType.objects.get(prefix="QP")``)."""

    class Meta:
        model = DocumentType

    name = factory.Sequence(lambda n: f"Test document type {n}")
    kind = "procedure"
    prefix = factory.Sequence(lambda n: f"TT{n}")


# --- records -------------------------------------------------------------------------------
class TrailedFactory(DjangoModelFactory):
    """Validate, then save through the model as ``actor``: the trail is written by save()."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True  # a second save would bump the version

    @classmethod
    def _build(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("actor", None)
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        actor = kwargs.pop("actor", None)
        instance = model_class(*args, **kwargs)
        instance.full_clean(exclude=ASSIGNED_ON_CREATE if isinstance(instance, Record) else None)
        with acting_as(actor):
            instance.save()
        return instance


class RecordFactory(TrailedFactory):
    class Meta:
        abstract = True

    owner = factory.SubFactory(UserFactory)
    actor = factory.SelfAttribute("owner")


class NonconformityFactory(RecordFactory):
    class Meta:
        model = Nonconformity

    title = "Burr on bore of housing H-220"
    description = "Found at final inspection, 12 of 200 parts."
    source = "process_monitoring"
    severity = "major"
    detected_on = factory.LazyFunction(timezone.localdate)


class DocumentFactory(RecordFactory):
    """A draft procedure with its first version (``body``, by ``author``: the owner)."""

    class Meta:
        model = Document

    doc_type = factory.LazyFunction(lambda: DocumentType.objects.get(prefix="QP"))
    title = "Control of documents"
    owner = factory.SubFactory(UserFactory, role=roles.QUALITY_MANAGER)
    body = "# Purpose\n\nSay what we do."
    author = factory.SelfAttribute("owner")
    change_reason = "First issue"

    @classmethod
    def _build(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        for name in ("body", "author", "change_reason"):
            kwargs.pop(name)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        body, author = kwargs.pop("body"), kwargs.pop("author")
        change_reason = kwargs.pop("change_reason")
        document = super()._create(model_class, *args, **kwargs)
        with acting_as(author):
            versions.start(document, author, change_reason=change_reason, body=body)
        document.refresh_from_db()
        return document


class RiskFactory(RecordFactory):
    """An identified risk, not yet rated (``rated=True``: likelihood 3, impact 4)."""

    class Meta:
        model = Risk

    class Params:
        rated = factory.Trait(inherent_likelihood=3, inherent_impact=4)

    title = "Single source for castings"
    description = "One foundry supplies all housings."
    source = "process"


class KpiFactory(RecordFactory):
    """A monthly KPI, higher is better, target 95 %; ``figures=[...]`` enters one figure a
    month for the months before this one, the last value for last month."""

    class Meta:
        model = Kpi

    title = "On-time delivery"
    description = "Orders shipped on time / orders shipped."
    unit = "%"
    target = Decimal(95)

    @factory.post_generation
    def figures(obj: Kpi, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        count = len(extracted)
        for i, value in enumerate(extracted):
            MeasurementFactory(kpi=obj, period=months_ago(count - i), value=value)


class MeasurementFactory(TrailedFactory):
    """Last month's figure of a KPI, entered by the KPI's owner."""

    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KpiFactory)
    period = factory.LazyFunction(lambda: months_ago(1))
    value = Decimal("96.5")
    entered_by = factory.SelfAttribute("kpi.owner")
    actor = factory.SelfAttribute("entered_by")

    @classmethod
    def _create(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        kwargs["value"] = Decimal(str(kwargs["value"]))
        return super()._create(model_class, *args, **kwargs)


class ObjectiveFactory(RecordFactory):
    """A draft organisation-wide objective (``kpis=[...]`` links KPIs to it)."""

    class Meta:
        model = Objective

    title = "Deliver on time"
    description = "Raise on-time delivery to 95 %."

    @factory.post_generation
    def kpis(obj: Objective, create: bool, extracted: Any, **kwargs: Any) -> None:
        """As the form does: set the many-to-many field and write its change to the trail."""
        if not create or not extracted:
            return
        with transaction.atomic(), acting_as(obj.owner):
            before = trail.m2m_values(obj, ["kpis"])
            obj.kpis.add(*extracted)
            trail.append_m2m_changes(obj, before, trail.m2m_values(obj, ["kpis"]))


class ChangePlanFactory(RecordFactory):
    class Meta:
        model = ChangePlan

    title = "Move to the new ERP"
    purpose = "Retire the old one."


class ActionFactory(TrailedFactory):
    """An open corrective action on ``record`` (a new nonconformity unless given), owned
    and added by the record's owner."""

    class Meta:
        model = Action

    record = factory.SubFactory(NonconformityFactory)
    description = "Add the deburring step to WI-12"
    owner = factory.SelfAttribute("record.owner")
    due_date = factory.LazyFunction(timezone.localdate)
    kind = "corrective"
    actor = factory.SelfAttribute("record.owner")

    @classmethod
    def _build(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        record = kwargs.pop("record")
        action = super()._build(model_class, *args, **kwargs)
        action.link_to(record)
        return action

    @classmethod
    def _create(cls, model_class: type[models.Model], *args: Any, **kwargs: Any) -> Any:
        record = kwargs.pop("record")
        actor = kwargs.pop("actor", None)
        action = model_class(*args, **kwargs)
        action.link_to(record)
        action.full_clean()
        with acting_as(actor):
            action.save()
        return action


# The factory of each register, by its model: tests/test_factories.py checks that every
# register of the registry has one.
REGISTER_FACTORIES: dict[type[models.Model], type[RecordFactory]] = {
    Nonconformity: NonconformityFactory,
    Document: DocumentFactory,
    Risk: RiskFactory,
    Kpi: KpiFactory,
    Objective: ObjectiveFactory,
    ChangePlan: ChangePlanFactory,
}
