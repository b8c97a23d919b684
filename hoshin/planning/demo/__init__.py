"""Planning at the demo manufacturer (see :mod:`hoshin.core.demo`).

The records of ``risks.yaml``, ``kpis.yaml``, ``objectives.yaml`` and ``changes.yaml``
played through the models and the workflows on the days they would have happened, by
the people who would have done it:

* risks and opportunities identified, assessed, treated with actions, reviewed with a
  signed effectiveness review, some reassessed when something changed, two closed; a few
  linked to the nonconformities that updated them, one raised from a closed one;
* KPIs with one to two years of figures, typed in by their owners each month (the
  figures from before Hoshin imported from their spreadsheets), mostly stable, some
  drifting or with a special cause, two with last month's figure still missing, three
  computed by Hoshin itself;
* quality objectives approved by top management, measured by those KPIs;
* two changes to the QMS, one being implemented and one reviewed.

Days are counted back from today ("age"). The figures come from a random generator
seeded with the demo's seed and the KPI's key, so each KPI's series is the same whatever
else the demo loads. A series is drawn again until its control chart shows what the KPI
is meant to illustrate (no signal for a stable one, the run rules for a drifting one)
and its last figure has the status meant.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import fmean
from typing import Any

from django.contrib.contenttypes.models import ContentType

from hoshin.core import trail
from hoshin.core.actor import acting_as
from hoshin.core.dates import add_months
from hoshin.core.demo import Demo, build, data, quick_signatures
from hoshin.core.models import Action, ActionStatus, User
from hoshin.planning import imports, periods, spc
from hoshin.planning.models import (
    ChangePlan,
    Kpi,
    Measurement,
    Objective,
    Risk,
    RiskAssessment,
)
from hoshin.planning.models.kpi import GRACE_DAYS, KpiKind
from hoshin.planning.workflow import (
    CHANGE_WORKFLOW,
    KPI_WORKFLOW,
    OBJECTIVE_WORKFLOW,
    RISK_WORKFLOW,
)


# --- the content of the data files ---------------------------------------------------------
@dataclass(frozen=True)
class Act:
    """A treatment action: due ``due`` days ago (negative: still to come), done ``done``
    days ago (None: still open; ``started``: in progress)."""

    text: str
    owner: str
    due: int
    done: int | None = None
    evidence: str = ""
    started: bool = False


@dataclass(frozen=True)
class Step:
    """One step of a risk's life: assess, plan, treat, review, reassess or close."""

    name: str
    age: int
    rating: tuple[int, int] | None = None  # inherent likelihood and impact
    residual: tuple[int, int] | None = None
    treatment: str = ""
    text: str = ""  # treatment plan, effectiveness review or the comment of the step
    effectiveness: str = ""
    by: str = ""  # who does it (default: the risk's owner)
    actions: tuple[Act, ...] = ()
    due: int | None = None  # the next review after the step, in days ago


@dataclass(frozen=True)
class RiskSpec:
    key: str
    kind: str  # "risk" or "opportunity"
    title: str
    description: str
    cause: str
    consequence: str
    source: str
    process: str | None
    owner: str
    raised_by: str
    age: int
    steps: tuple[Step, ...] = ()
    rating: tuple[int, int] | None = None  # rated already when identified
    due: int | None = None  # next review when identified (days ago; negative: to come)
    # Nonconformities it was updated after: (process, words in their title).
    ncs: tuple[str, str] | None = None
    # Raised from the latest closed nonconformity like this (process, words in its title).
    from_nc: tuple[str, str] | None = None


@dataclass(frozen=True)
class KpiSpec:
    """A KPI and how its figures behave.

    Figures scatter around ``mean`` (a percentage for a proportion) with normal noise
    ``sd`` (a proportion: binomial noise of ``size`` items a period; ``poisson``: counts).
    ``shift`` = (periods before the last, periods it takes, change): a slow drift that
    starts that many periods before the last figure. ``spike`` = (periods before the
    last, change): one special cause. The loader checks the control chart shows the
    ``signals`` named and no others (``allowed`` may show too), and that the last
    figure gives ``status``.
    """

    key: str
    title: str
    description: str
    unit: str
    direction: str
    target: str
    amber: str | None
    red: str | None
    frequency: str
    data_source: str
    process: str
    owner: str
    kind: str = "value"
    decimals: int = 1
    automatic: str = ""
    periods: int = 0  # how many periods of figures
    age: int | None = None  # created this many days ago (default: before its figures)
    mean: float = 0.0
    sd: float = 0.0
    size: int = 0
    poisson: bool = False
    shift: tuple[int, int, float] | None = None
    spike: tuple[int, float, str] | None = None  # ..., and the note given with it
    signals: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    status: str = ""
    missing: bool = False  # the last figure expected is not in
    imported_monthly: bool = False  # every figure imported from a file (an ERP export)
    retired: tuple[int, str] | None = None  # (days ago, why)
    notes: dict[int, str] = field(default_factory=dict)  # periods before the last: note


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str
    title: str
    level: str
    owner: str
    description: str
    resources: str
    evaluation: str
    commitments: tuple[str, ...]
    kpis: tuple[str, ...]
    age: int  # drafted this many days ago
    due_months: int  # to be completed this many months after it was drafted
    department: str = ""
    process: str = ""
    approved: int | None = None  # approved by top management, days ago
    then: str = ""  # "achieved" or "cancelled"
    then_age: int = 0
    then_text: str = ""  # outcome notes, or why it was cancelled


@dataclass(frozen=True)
class ChangeSpec:
    key: str
    title: str
    owner: str
    purpose: str
    consequences: str
    integrity: str
    resources: str
    responsibilities: str
    implementation: str
    review: str
    documents: tuple[str, ...]  # titles
    processes: tuple[str, ...]
    risks: tuple[str, ...]
    age: int  # proposed
    planned: int  # planned for, days ago (negative: to come)
    approved: int
    approved_by: str
    started: int
    implemented: int | None = None
    reviewed: int | None = None
    reviewed_by: str = ""


@dataclass(frozen=True)
class Content:
    risks: tuple[RiskSpec, ...]
    kpis: tuple[KpiSpec, ...]
    objectives: tuple[ObjectiveSpec, ...]
    changes: tuple[ChangeSpec, ...]


@functools.cache
def content() -> Content:
    def read(cls: type[Any], name: str) -> tuple[Any, ...]:
        return tuple(
            build(cls, item, f"{name}[{i}]") for i, item in enumerate(data(__name__, name))
        )

    return Content(
        read(RiskSpec, "risks.yaml"),
        read(KpiSpec, "kpis.yaml"),
        read(ObjectiveSpec, "objectives.yaml"),
        read(ChangeSpec, "changes.yaml"),
    )


# --- playing them -------------------------------------------------------------------------------
# The KPI register moved into Hoshin this many days ago (the demo people joined 400 days
# ago): figures from before came over from the owners' spreadsheets, through the import.
GO_LIVE = 390
# Points of the control chart the KPI page draws (``kpi.readings(36)``).
CHART_POINTS = 36
MAX_DRAWS = 3000

REVIEW_COMMENTS = {
    "effective": "Treatment verified effective.",
    "partly": "Partly effective: kept under watch.",
    "not_effective": "Not effective: a further treatment is needed.",
}


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def month_end(day: datetime.date) -> datetime.date:
    return periods.end_of(periods.start_of(day, "monthly"), "monthly")


@dataclass(frozen=True)
class Figure:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


class Planner:
    """Plays the planning records through the models and workflows."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.today = demo.today
        self.refs: dict[str, str] = {}
        self.risks: dict[str, Risk] = {}
        self.kpis: dict[str, Kpi] = {}
        self.figures: dict[str, list[Figure]] = {}
        self.changes: dict[str, ChangePlan] = {}
        self.quality = demo.person("quality")

    # --- helpers -------------------------------------------------------------------------
    def ago(self, days: int) -> datetime.date:
        return self.today - _days(days)

    def person(self, username: str) -> User:
        return self.demo.person(username)

    def text(self, template: str, **extra: str) -> str:
        """Fill ``{R8}``-style placeholders with references (and ``extra`` values)."""
        known = {**self.refs, **extra}

        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in known:
                raise KeyError(f"Demo text refers to {key!r}, not created yet: {template!r}")
            return known[key]

        return re.sub(r"\{([A-Za-z0-9_-]+)\}", fill, template)

    def perform(
        self,
        workflow: Any,
        record: Any,
        name: str,
        user: User,
        day: datetime.date,
        comment: str = "",
        sign: bool = False,
    ) -> None:
        with acting_as(user):
            workflow.perform(
                record,
                name,
                user,
                comment=comment,
                password=self.demo.password if sign else "",
                today=day,
            )

    def link(self, record: Any, names: list[str], by: User, **sets: Any) -> None:
        """Set many-to-many fields and say so in the record's trail, as the forms do."""
        with acting_as(by):
            before = trail.m2m_values(record, names)
            for name, values in sets.items():
                getattr(record, name).add(*values)
            trail.append_m2m_changes(record, before, trail.m2m_values(record, names))

    # --- risks and opportunities ---------------------------------------------------------
    @contextmanager
    def assessing(self, risk: Risk, day: datetime.date) -> Iterator[None]:
        """Back-date the rating snapshots a save makes. ``RiskAssessment.at`` is stamped
        with the real time; its rows are derived from the risk's trailed change and are
        not in the trail themselves, so the demo moves them to the day the assessment was
        made (a plain update; the trail is untouched)."""
        last = RiskAssessment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        RiskAssessment.objects.filter(risk=risk, pk__gt=last).update(at=self.demo.moment(day))

    def save_risk(self, risk: Risk, by: User, day: datetime.date, reason: str = "") -> None:
        risk.clean()
        with self.assessing(risk, day), acting_as(by):
            risk.save(reason=reason)

    def closed_nc(self, process: str, words: str) -> Any:
        """The latest closed nonconformity like this (any closed one of the process else)."""
        from hoshin.improvement.models import Nonconformity

        closed = Nonconformity.objects.filter(
            status="closed",
            voided_at__isnull=True,
            process__code=process,
            verified_on__lte=self.ago(5),
        ).order_by("-verified_on", "-pk")
        return closed.filter(title__icontains=words).first() or closed.first()

    def risk(self, spec: RiskSpec) -> Risk:
        owner = self.person(spec.owner)
        raiser = self.person(spec.raised_by)
        raised = self.ago(spec.age)
        description = self.text(spec.description)
        source, reason, origin = spec.source, "", None
        if spec.from_nc:
            origin = self.closed_nc(*spec.from_nc)
            if origin is None:
                source = "process"  # no nonconformity to raise it from in this demo
            else:
                closed_on = origin.verified_on or origin.updated_at.date()
                raised = min(self.today, max(raised, closed_on + _days(2)))
                description = (
                    f"Raised from nonconformity {origin.reference}: {origin.title}. {description}"
                )
                reason = f"Raised from {origin.reference}"
        risk = Risk(
            kind=spec.kind,
            title=spec.title,
            description=description,
            cause=spec.cause,
            consequence=spec.consequence,
            source=source,
            process=self.demo.processes[spec.process] if spec.process else None,
            owner=owner,
            site=owner.site,
            due_date=self.ago(spec.due) if spec.due is not None else raised + _days(30),
            created_at=self.demo.moment(raised),
        )
        if spec.rating:
            risk.inherent_likelihood, risk.inherent_impact = spec.rating
        self.save_risk(risk, raiser, raised, reason)
        self.risks[spec.key] = risk
        self.refs[spec.key] = risk.reference
        if origin is not None:
            self.link(risk, ["nonconformities"], raiser, nonconformities=[origin])

        pending: list[tuple[Action, Act]] = []
        last = raised
        for step in spec.steps:
            day = min(self.today, max(self.ago(step.age), last))
            last = day
            self.complete(pending, day)
            by = self.person(step.by or spec.owner)
            after = self.ago(step.due) if step.due is not None else None
            if step.name == "assess":
                risk.inherent_likelihood, risk.inherent_impact = _rating(step.rating)
                risk.due_date = after or day + _days(30)
                self.save_risk(risk, by, day)
                self.perform(RISK_WORKFLOW, risk, "assess", by, day)
            elif step.name == "plan":
                risk.treatment = step.treatment
                risk.treatment_plan = self.text(step.text)
                for act in step.actions:
                    pending.append((self.action(risk, act, by, day), act))
                dues = [a.due_date for a, act in pending if act.done is None]
                risk.due_date = after or (max(dues) if dues else day + _days(90))
                self.save_risk(risk, by, day)
                self.perform(RISK_WORKFLOW, risk, "plan_treatment", by, day)
            elif step.name == "treat":
                risk.due_date = after or day + _days(45)
                self.save_risk(risk, by, day)
                self.perform(RISK_WORKFLOW, risk, "treat", by, day)
            elif step.name == "review":
                risk.residual_likelihood, risk.residual_impact = _rating(step.residual)
                risk.effectiveness = step.effectiveness
                risk.effectiveness_notes = self.text(step.text)
                self.save_risk(risk, by, day)
                with self.assessing(risk, day):
                    self.perform(
                        RISK_WORKFLOW,
                        risk,
                        "review",
                        by,
                        day,
                        comment=REVIEW_COMMENTS[step.effectiveness],
                        sign=True,
                    )
            elif step.name == "reassess":
                self.perform(RISK_WORKFLOW, risk, "reassess", by, day, comment=step.text)
                risk.inherent_likelihood, risk.inherent_impact = _rating(step.rating)
                if step.residual is not None:
                    risk.residual_likelihood, risk.residual_impact = step.residual
                risk.due_date = after or day + _days(30)
                self.save_risk(risk, by, day, reason="Rated again")
            elif step.name == "close":
                self.perform(RISK_WORKFLOW, risk, "close", by, day, comment=self.text(step.text))
            else:
                raise ValueError(f"{spec.key}: unknown step {step.name!r}")
        self.complete(pending, self.today)
        for action, act in pending:
            if act.started and action.status == ActionStatus.OPEN:
                with acting_as(action.owner):
                    action.status = ActionStatus.IN_PROGRESS
                    action.save()
        if spec.ncs:
            self.link_ncs(risk, spec, owner, origin)
        return risk

    def action(self, risk: Risk, act: Act, by: User, day: datetime.date) -> Action:
        action = Action(
            description=self.text(act.text),
            owner=self.person(act.owner),
            due_date=self.ago(act.due),
            kind="treatment",
            created_at=self.demo.moment(day),
        )
        action.link_to(risk)
        with acting_as(by):
            action.save()
        return action

    def complete(self, pending: list[tuple[Action, Act]], day: datetime.date) -> None:
        """Mark done the actions finished by ``day``."""
        for action, act in pending:
            if act.done is None or action.status == ActionStatus.DONE:
                continue
            done_on = self.ago(act.done)
            if done_on > day:
                continue
            with acting_as(action.owner):
                action.status = ActionStatus.DONE
                action.completed_on = done_on
                action.evidence = self.text(act.evidence)
                action.save()

    def link_ncs(self, risk: Risk, spec: RiskSpec, owner: User, origin: Any) -> None:
        """The nonconformities that updated the risk (ISO 9001 10.2.1 e), as linked from
        each nonconformity's page."""
        from hoshin.improvement.models import Nonconformity

        if spec.ncs is None:
            return
        process, words = spec.ncs
        found = list(
            Nonconformity.objects.filter(
                process__code=process,
                title__icontains=words,
                voided_at__isnull=True,
                detected_on__lte=self.ago(2),
            )
            .exclude(pk=origin.pk if origin is not None else None)
            .order_by("-detected_on", "-pk")[:3]
        )
        for nc in reversed(found):
            with acting_as(owner):
                before = trail.m2m_values(risk, ["nonconformities"])
                risk.nonconformities.add(nc)
                trail.append_m2m_changes(
                    risk,
                    before,
                    trail.m2m_values(risk, ["nonconformities"]),
                    f"Updated after {nc.reference}",
                )

    # --- KPIs and their figures ----------------------------------------------------------
    def kpi(self, spec: KpiSpec) -> Kpi:
        rng = random.Random(f"{self.demo.seed}:{spec.key}")  # noqa: S311 - demo figures
        owner = self.person(spec.owner)
        go_live = self.ago(GO_LIVE)
        retired_on = self.ago(spec.retired[0]) if spec.retired else None
        entries = self.entries(spec, rng, retired_on)
        if spec.age is not None:
            created = self.ago(spec.age)
        elif entries:
            created = entries[0][0] - _days(rng.randint(3, 15))
        else:
            created = go_live + _days(rng.randint(1, 4))
        # The quality manager set up the register at the move; later KPIs by their owner.
        creator = owner
        if created <= go_live:
            created, creator = go_live + _days(rng.randint(0, 2)), self.quality
        kpi = Kpi(
            title=spec.title,
            description=spec.description,
            unit=spec.unit,
            direction=spec.direction,
            kind=spec.kind,
            target=Decimal(spec.target),
            amber=Decimal(spec.amber) if spec.amber is not None else None,
            red=Decimal(spec.red) if spec.red is not None else None,
            frequency=spec.frequency,
            data_source=spec.data_source,
            automatic=spec.automatic,
            process=self.demo.processes[spec.process],
            decimals=spec.decimals,
            owner=owner,
            site=owner.site,
            created_at=self.demo.moment(created),
        )
        kpi.clean()
        if not kpi.automatic:
            kpi.due_date = kpi.next_due(None, today=created)  # the first figure falls due
        with acting_as(creator):
            kpi.save()
        self.kpis[spec.key] = kpi
        if entries:
            figures = self.series(spec, kpi, len(entries), rng)
            self.figures[spec.key] = figures
            self.enter(spec, kpi, owner, entries, figures, created, rng)
        if spec.retired and retired_on is not None:
            kpi.refresh_from_db()
            self.perform(KPI_WORKFLOW, kpi, "retire", owner, retired_on, comment=spec.retired[1])
        return kpi

    def entries(
        self, spec: KpiSpec, rng: random.Random, until: datetime.date | None
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The periods measured and the day each figure was entered, oldest first."""
        if not spec.periods:
            return []
        frequency = spec.frequency
        last_day = until or self.today
        expected = periods.last_complete(self.today - _days(GRACE_DAYS), frequency)
        start = periods.last_complete(last_day, frequency)
        delays = {"weekly": (1, 3), "monthly": (2, 8), "quarterly": (4, 9)}[frequency]
        found: list[tuple[datetime.date, datetime.date]] = []
        period = start
        while len(found) < spec.periods:
            entered = periods.end_of(period, frequency) + _days(rng.randint(*delays))
            late = spec.missing and period >= expected
            if entered <= last_day and not late:
                found.append((period, entered))
            period = periods.following(period, frequency, -1)
        return list(reversed(found))

    def series(self, spec: KpiSpec, kpi: Kpi, n: int, rng: random.Random) -> list[Figure]:
        """Figures that tell the KPI's story (see the module's docstring)."""
        for _attempt in range(MAX_DRAWS):
            figures = [self.draw(spec, n - 1 - i, rng) for i in range(n)]
            found = signals(kpi, figures)
            wanted = spec.signals <= found <= spec.signals | spec.allowed
            if wanted and kpi.status_of(figures[-1].value) == spec.status:
                return figures
        raise ValueError(
            f"{spec.title}: no series of {n} figures shows {sorted(spec.signals)} "
            f"and ends {spec.status}"
        )

    def draw(self, spec: KpiSpec, before_last: int, rng: random.Random) -> Figure:
        level = spec.mean
        if spec.shift:
            begins, length, change = spec.shift
            if before_last < begins:
                level += change * min(1.0, (begins - before_last) / length)
        if spec.spike and before_last == spec.spike[0]:
            level += spec.spike[1]
        if spec.kind == KpiKind.PROPORTION:
            size = max(5, round(rng.gauss(spec.size, spec.size * 0.08)))
            p = min(0.999, max(0.001, level / 100))
            count = round(size * p + rng.gauss(0, math.sqrt(size * p * (1 - p))))
            count = min(size, max(0, count))
            value = (Decimal(count) / Decimal(size) * 100).quantize(Decimal("0.000001"))
            return Figure(value, Decimal(count), Decimal(size))
        if spec.poisson:
            return Figure(Decimal(poisson(rng, max(level, 0.0))))
        x = max(0.0, rng.gauss(level, spec.sd))
        return Figure(Decimal(f"{x:.{spec.decimals}f}"))

    def enter(
        self,
        spec: KpiSpec,
        kpi: Kpi,
        owner: User,
        entries: list[tuple[datetime.date, datetime.date]],
        figures: list[Figure],
        created: datetime.date,
        rng: random.Random,
    ) -> None:
        """The owner types each figure in (or imports it); older ones in one import."""
        n = len(entries)
        notes = dict(spec.notes)
        if spec.spike:
            notes[spec.spike[0]] = spec.spike[2]
        import_day = created + _days(rng.randint(2, 9))
        history = [
            (period, figure, notes.get(n - 1 - i, ""))
            for i, ((period, entered), figure) in enumerate(zip(entries, figures, strict=True))
            if entered <= import_day
        ]
        if history:
            self.import_figures(kpi, owner, history, import_day, "KPI history (spreadsheet).xlsx")
        for i, ((period, entered), figure) in enumerate(zip(entries, figures, strict=True)):
            if entered <= import_day:
                continue
            note = notes.get(n - 1 - i, "")
            if spec.imported_monthly:
                name = f"erp-export-{periods.label(period, kpi.frequency)}.csv"
                self.import_figures(kpi, owner, [(period, figure, note)], entered, name)
                continue
            measurement = Measurement(
                kpi=kpi,
                period=period,
                value=figure.value,
                numerator=figure.numerator,
                denominator=figure.denominator,
                note=note,
                source="manual",
                entered_by=owner,
                created_at=self.demo.moment(entered),
            )
            with acting_as(owner):
                measurement.clean()
                measurement.save()

    def import_figures(
        self,
        kpi: Kpi,
        owner: User,
        rows: list[tuple[datetime.date, Figure, str]],
        day: datetime.date,
        filename: str,
    ) -> None:
        """Through the import: every row checked, then all saved."""
        table = []
        for period, figure, note in rows:
            row = {"kpi": kpi.reference, "period": periods.label(period, kpi.frequency)}
            if kpi.kind == KpiKind.PROPORTION:
                row.update(numerator=str(figure.numerator), denominator=str(figure.denominator))
            else:
                row["value"] = str(figure.value)
            if note:
                row["note"] = note
            table.append(row)
        with acting_as(owner):
            outcome = imports.check(table, owner)
            if outcome.problems:
                raise ValueError(f"{kpi}: import refused: {outcome.problems}")
            for measurement in outcome.ready:
                measurement.created_at = self.demo.moment(day)
            imports.save(outcome, owner, filename)
        kpi.refresh_from_db(fields=["due_date"])

    # --- objectives ------------------------------------------------------------------------
    def objective(self, spec: ObjectiveSpec, policy: Any) -> Objective:
        owner = self.person(spec.owner)
        drafted = self.ago(spec.age)
        drafter = self.quality if spec.level == "organisation" else owner
        objective = Objective(
            title=spec.title,
            description=spec.description,
            resources=spec.resources,
            evaluation=spec.evaluation,
            level=spec.level,
            department=self.demo.departments[spec.department] if spec.department else None,
            process=self.demo.processes[spec.process] if spec.process else None,
            commitments=list(spec.commitments),
            policy=policy,
            owner=owner,
            site=owner.site,
            due_date=month_end(add_months(drafted, spec.due_months)),
            created_at=self.demo.moment(drafted),
        )
        objective.clean()
        with acting_as(drafter):
            objective.save()
        self.link(
            objective,
            ["kpis"],
            drafter,
            kpis=[self.kpis[k] for k in spec.kpis],
        )
        if spec.approved is None:
            return objective
        ceo = self.person("ceo")
        self.perform(
            OBJECTIVE_WORKFLOW,
            objective,
            "approve",
            ceo,
            self.ago(spec.approved),
            comment="Approved at management review.",
            sign=True,
        )
        day = self.ago(spec.then_age)
        if spec.then == "achieved":
            objective.outcome_notes = self.text(spec.then_text, **self.oee_figures())
            with acting_as(owner):
                objective.save()
            self.perform(OBJECTIVE_WORKFLOW, objective, "achieve", owner, day)
        elif spec.then == "cancelled":
            self.perform(
                OBJECTIVE_WORKFLOW,
                objective,
                "cancel",
                self.quality,
                day,
                comment=self.text(spec.then_text),
            )
        return objective

    def oee_figures(self) -> dict[str, str]:
        """The figures the achieved OEE objective quotes, from its KPIs."""
        oee = [float(f.value) for f in self.figures.get("oee", [])]
        downtime = [float(f.value) for f in self.figures.get("downtime", [])]
        if len(oee) < 16 or len(downtime) < 8:
            raise ValueError("The OEE objective quotes figures its KPIs do not have.")
        return {
            "oee_first": f"{fmean(oee[:8]):.1f}",
            "oee_last": f"{fmean(oee[-8:]):.1f}",
            "downtime_last": f"{fmean(downtime[-8:]):.1f}",
        }

    # --- changes to the QMS ----------------------------------------------------------------
    def change(self, spec: ChangeSpec) -> ChangePlan:
        """Proposed, with its documents and processes (risks are linked once they exist)."""
        from hoshin.support.models import Document

        owner = self.person(spec.owner)
        day = self.ago(spec.age)
        plan = ChangePlan(
            title=spec.title,
            purpose=spec.purpose,
            consequences=spec.consequences,
            integrity=spec.integrity,
            resources=spec.resources,
            responsibilities=spec.responsibilities,
            owner=owner,
            site=owner.site,
            due_date=self.ago(spec.planned),
            created_at=self.demo.moment(day),
        )
        plan.clean()
        with acting_as(owner):
            plan.save()
        self.changes[spec.key] = plan
        self.refs[spec.key] = plan.reference
        documents = list(Document.objects.filter(title__in=spec.documents).order_by("pk"))
        self.link(
            plan,
            ["documents", "processes"],
            owner,
            documents=documents,
            processes=[self.demo.processes[p] for p in spec.processes],
        )
        return plan

    def carry_out(self, spec: ChangeSpec) -> None:
        plan = self.changes[spec.key]
        owner = self.person(spec.owner)
        self.link(
            plan,
            ["risks"],
            owner,
            risks=[self.risks[k] for k in spec.risks if k in self.risks],
        )
        approver = self.person(spec.approved_by)
        self.perform(
            CHANGE_WORKFLOW,
            plan,
            "approve",
            approver,
            self.ago(spec.approved),
            comment="Approved: resources released.",
            sign=True,
        )
        self.perform(CHANGE_WORKFLOW, plan, "start", owner, self.ago(spec.started))
        if spec.implemented is None:
            return
        day = self.ago(spec.implemented)
        plan.implementation = self.text(spec.implementation)
        with acting_as(owner):
            plan.save()
        self.perform(CHANGE_WORKFLOW, plan, "implement", owner, day)
        if spec.reviewed is None:
            return
        day = self.ago(spec.reviewed)
        reviewer = self.person(spec.reviewed_by)
        plan.review = self.text(spec.review)
        with acting_as(reviewer):
            plan.save()
        self.perform(
            CHANGE_WORKFLOW,
            plan,
            "review",
            reviewer,
            day,
            comment="Change verified effective.",
            sign=True,
        )


def _rating(rating: tuple[int, int] | None) -> tuple[int, int]:
    if rating is None:
        raise ValueError("This step of the demo needs a rating.")
    return rating


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's method: fine for the small means of the demo)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def signals(kpi: Kpi, figures: list[Figure]) -> set[str]:
    """The run rules the KPI's control chart (as its page draws it) shows."""
    shown = figures[-CHART_POINTS:]
    if kpi.kind == KpiKind.PROPORTION:
        chart = spc.p_chart(
            [int(f.numerator or 0) for f in shown], [int(f.denominator or 0) for f in shown]
        )
    else:
        chart = spc.individuals([float(f.value) for f in shown])
    return {code for point in chart.points for code in point.signals}


def load(demo: Demo) -> None:
    """Risks and opportunities, KPIs with their figures, objectives and change plans."""
    from hoshin.planning.views import status_counts
    from hoshin.support.models import Document

    planner = Planner(demo)
    with quick_signatures(demo.people.values(), demo.password):
        for kpi_spec in content().kpis:
            planner.kpi(kpi_spec)
        for change_spec in content().changes:
            planner.change(change_spec)
        for risk_spec in content().risks:
            planner.risk(risk_spec)
        for change_spec in content().changes:
            planner.carry_out(change_spec)
        policy = Document.objects.filter(
            doc_type__kind="policy", status=Document.EFFECTIVE, title="Quality policy"
        ).first() or Document.objects.in_force_of_kind("policy")
        objectives = [planner.objective(spec, policy) for spec in content().objectives]

    risks = list(planner.risks.values())
    kinds = Counter(r.kind for r in risks)
    states = Counter(r.status for r in risks)
    demo.counts["risks and opportunities"] = (
        f"{kinds['risk']} risks, {kinds['opportunity']} opportunities"
    )
    demo.counts["risks by state"] = {
        s.name: states[s.name] for s in RISK_WORKFLOW.states if states[s.name]
    }
    treatment = Action.objects.filter(
        content_type=ContentType.objects.get_for_model(Risk), voided_at__isnull=True
    )
    open_ = treatment.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    demo.counts["treatment actions"] = (
        f"{treatment.count()} ({open_.count()} open, "
        f"{open_.filter(due_date__lt=demo.today).count()} overdue)"
    )
    active = Kpi.objects.filter(status="active")
    demo.counts["KPIs"] = (
        f"{active.count()} measured, {Kpi.objects.count() - active.count()} retired"
    )
    demo.counts["KPI figures"] = Measurement.objects.count()
    demo.counts["KPI status"] = {k: v for k, v in status_counts(active).items() if v}
    objective_states = Counter(o.status for o in objectives)
    demo.counts["objectives by state"] = {
        s.name: objective_states[s.name]
        for s in OBJECTIVE_WORKFLOW.states
        if objective_states[s.name]
    }
    demo.counts["change plans"] = ", ".join(
        f"{p.reference} {CHANGE_WORKFLOW.label(p.status).lower()}" for p in planner.changes.values()
    )
