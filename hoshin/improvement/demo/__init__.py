"""A year of nonconformities at the demo manufacturer (see :mod:`hoshin.core.demo`).

The scenarios of ``scenarios.yaml``, at the plant of ``plant.yaml``, each played through
the real workflow on the days it would have happened: reported by the person who found
it, contained, investigated with a 5-whys chain and fishbone notes, corrective actions
planned and done with evidence, verified and signed off by someone other than its
owner. Older ones are mostly closed; recent ones sit in every open state, some of them
overdue. A few are voided duplicates and two failed their first verification.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from hoshin.core.actor import acting_as
from hoshin.core.demo import Demo, build, data, quick_signatures
from hoshin.core.models import Action, ActionStatus, User
from hoshin.improvement.models import DUE_DAYS, CostItem, Nonconformity, Severity
from hoshin.improvement.workflow import WORKFLOW

# How likely each root-cause category is where a scenario allows several. Most
# scenarios can only be method or people (as in most plants), so the others are
# weighted up: the Pareto comes out led by method and people, with a long tail.
CATEGORY_WEIGHTS = {
    "method": 18,
    "people": 22,
    "machine": 30,
    "measurement": 30,
    "material": 30,
    "environment": 16,
}
SOURCE_WEIGHTS = {
    "customer_complaint": 22,
    "process_monitoring": 22,
    "employee_report": 20,
    "internal_audit": 18,
    "supplier": 12,
    "external_audit": 6,
}
# Where an open state is empty by chance, a nonconformity about this old is put in it.
PREFERRED_AGE = {
    "reported": 2,
    "contained": 6,
    "investigated": 15,
    "actions": 35,
    "verification": 50,
    "closed": 200,
}
# The process whose parts a scenario's ``parts`` draws from (others: any part).
PART_PROCESS = {"machined": "P-04", "assembled": "P-05"}


# --- the content of plant.yaml and scenarios.yaml -------------------------------------------
@dataclass(frozen=True)
class Part:
    code: str
    description: str
    process: str
    unit_cost: str  # EUR
    revision: str


@dataclass(frozen=True)
class Customer:
    name: str
    currency: str  # of their credit notes and freight


@dataclass(frozen=True)
class Supplier:
    name: str
    currency: str
    supplies: str


@dataclass(frozen=True)
class Plant:
    parts: tuple[Part, ...]
    customers: tuple[Customer, ...]
    suppliers: tuple[Supplier, ...]
    machines: tuple[str, ...]
    gauges: tuple[str, ...]
    features: tuple[str, ...]
    spc_rules: tuple[str, ...]


@dataclass(frozen=True)
class ActionSpec:
    description: str
    owner: str  # username
    evidence: str  # of completion


@dataclass(frozen=True)
class Cause:
    category: str
    whys: tuple[str, ...]
    root_cause: str
    actions: tuple[ActionSpec, ...]
    verification: str


@dataclass(frozen=True)
class Scenario:
    source: str
    process: str
    title: str
    description: str
    containment: str
    correction: str
    causes: tuple[Cause, ...]
    fishbone: dict[str, str]
    detectors: tuple[str, ...]
    severity: tuple[int, int, int] = (5, 4, 1)  # weights of minor, major, critical
    output: bool = False  # nonconforming product (8.7): quantities and a disposition
    dispositions: tuple[str, ...] = ()
    costs: tuple[str, ...] = ()  # cost categories that apply
    parts: str = "machined"  # machined | assembled | any | material (bought-in)
    suppliers: tuple[str, ...] = ()  # the suppliers it fits (default: any)
    containers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    scenarios: tuple[Scenario, ...]
    verification_notes: tuple[str, ...]
    failed_verification: str  # the notes of a verification that failed
    second_action: ActionSpec  # the further action after it


@functools.cache
def plant() -> Plant:
    return build(Plant, data(__name__, "plant.yaml"), "plant.yaml")


@functools.cache
def story() -> Story:
    return build(Story, data(__name__, "scenarios.yaml"), "scenarios.yaml")


# --- playing them -------------------------------------------------------------------------------
@dataclass
class Plan:
    detected_on: datetime.date
    scenario: Scenario
    target: str = "closed"
    special: str = ""  # "", "duplicate", "fail_close", "fail_actions"
    original: Plan | None = None
    nc: Nonconformity | None = None
    context: dict[str, Any] = field(default_factory=dict)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _pick(demo: Demo, weights: dict[str, int]) -> str:
    return demo.rng.choices(list(weights), weights=list(weights.values()))[0]


def _target(demo: Demo, age: int) -> str:
    rng = demo.rng
    if age <= 7:
        return rng.choice(["reported", "reported", "contained"])
    if age <= 21:
        return rng.choice(["contained", "investigated", "investigated", "actions"])
    if age <= 60:
        return rng.choice(["investigated", "actions", "actions", "verification", "closed"])
    if age <= 120:
        return rng.choices(["actions", "verification", "closed"], weights=[15, 10, 75])[0]
    return rng.choices(["actions", "verification", "closed"], weights=[5, 2, 93])[0]


def plan(demo: Demo) -> list[Plan]:
    """Which nonconformities, when, and how far each gets; oldest first."""
    rng, n = demo.rng, demo.nonconformities
    by_source: dict[str, list[Scenario]] = {}
    for scenario in story().scenarios:
        by_source.setdefault(scenario.source, []).append(scenario)
    voids = max(1, round(n * 0.03)) if n >= 10 else 0
    count = n - voids
    ages = [
        rng.randint(0, 30) if rng.random() < 0.15 else rng.randint(0, 360) for _ in range(count)
    ]
    plans = []
    for age in sorted(ages, reverse=True):
        scenario = rng.choice(by_source[_pick(demo, SOURCE_WEIGHTS)])
        plans.append(Plan(demo.today - _days(age), scenario, _target(demo, age)))

    # Every open state has something in it to look at: where chance left one empty,
    # the nonconformity of the most fitting age is taken there.
    for state, age in PREFERRED_AGE.items():
        if plans and not any(p.target == state for p in plans):
            taken = Counter(p.target for p in plans)
            candidates = [p for p in plans if taken[p.target] > 1] or plans
            best = min(candidates, key=lambda p: abs((demo.today - p.detected_on).days - age))
            best.target = state
    # Two failed their first verification: one was closed after, one is back in actions.
    old = [p for p in plans if (demo.today - p.detected_on).days > 150]
    middle = [p for p in plans if 60 < (demo.today - p.detected_on).days <= 150]
    if old:
        chosen = rng.choice(old)
        chosen.target, chosen.special = "closed", "fail_close"
    if middle or old:
        candidates = [p for p in (middle or old) if not p.special]
        if candidates:
            chosen = rng.choice(candidates)
            chosen.target, chosen.special = "actions", "fail_actions"
    # Duplicates, reported again a day or two later and voided by the quality manager.
    originals = [p for p in plans if not p.special]
    for original in rng.sample(originals, min(voids, len(originals))):
        day = min(demo.today, original.detected_on + _days(rng.randint(0, 2)))
        plans.append(Plan(day, original.scenario, "void", special="duplicate", original=original))
    plans.sort(key=lambda p: (p.detected_on, p.special == "duplicate"))
    return plans


def _context(demo: Demo, item: Plan) -> dict[str, Any]:
    rng = demo.rng
    sc = item.scenario
    world = plant()
    process = PART_PROCESS.get(sc.parts)
    part = rng.choice([p for p in world.parts if process in (None, p.process)])
    customer = rng.choice(world.customers)
    suppliers = [s for s in world.suppliers if not sc.suppliers or s.name in sc.suppliers]
    supplier = rng.choice(suppliers)
    d = item.detected_on
    qty = rng.choice([40, 60, 80, 120, 150, 200, 250, 400, 500, 800])
    bad = max(1, round(qty * rng.uniform(0.02, 0.3)))
    wk = d.isocalendar().week
    return {
        "pn": part.code,
        "part": part.description,
        "unit": Decimal(part.unit_cost),
        "rev": part.revision,
        "rev0": chr(ord(part.revision) - 1),
        "rev2": chr(ord(part.revision) + 1),
        "customer": customer.name,
        "customer_currency": customer.currency,
        "supplier": supplier.name,
        "supplier_currency": supplier.currency,
        "material": supplier.supplies,
        "lot": f"L{d:%y}{wk:02d}-{rng.randint(1, 240):03d}",
        "lot2": f"L{d:%y}{min(wk + 6, 52):02d}-{rng.randint(1, 240):03d}",
        "qty": qty,
        "bad": bad,
        "pct": f"{rng.uniform(2.4, 6.8):.1f}",
        "po": f"PO-{rng.randint(451000, 459999)}",
        "cc": f"CC-{d:%y}-{rng.randint(10, 180):03d}",
        "ia": f"IA-{d.year}-{rng.randint(1, 12):02d}",
        "wi": f"WI-{part.code}-{rng.randint(1, 9):02d}",
        "machine": rng.choice(world.machines),
        "gauge": rng.choice(world.gauges),
        "feature": rng.choice(world.features),
        "spc": rng.choice(world.spc_rules),
        "n": rng.randint(100, 999),
        "n2": rng.randint(100, 999),
        "n3": rng.randint(2, 9),
        "wk": wk,
        "k": rng.randint(3, 8),
        "m": rng.randint(400, 3000),
    }


def _fill(text: str, ctx: dict[str, Any]) -> str:
    return text.format(**ctx)


def _schedule(demo: Demo, item: Plan) -> list[datetime.date]:
    """The days of: reported, contained, investigated, actions started, submitted,
    closed (as far as the target goes), squeezed to fit between detection and today."""
    rng = demo.rng
    gaps = [
        rng.choice([0, 0, 0, 1]),
        rng.choice([0, 0, 1, 1, 2, 3]),
        rng.randint(2, 12),
        rng.randint(0, 4),
        rng.randint(12, 40),
        rng.randint(10, 35),
    ]
    if item.special == "fail_close":
        gaps[-1] += 45  # a second round of actions before the close
    steps = {"reported": 1, "contained": 2, "investigated": 3, "actions": 4, "verification": 5}
    steps.update(closed=6, void=2)
    target = "verification" if item.special == "fail_actions" else item.target
    gaps = gaps[: steps[target]]
    total = sum(gaps)
    room = (demo.today - item.detected_on).days
    if target not in ("closed", "void") and room > total:
        # Open ones stay where they are for a while: leave a little time since the last step.
        room = max(total, room - rng.randint(1, 5))
    offsets, running = [], 0
    for gap in gaps:
        running += gap
        offsets.append(running)
    if offsets[-1] > room:
        offsets = [int(o * room / offsets[-1]) for o in offsets]
    return [item.detected_on + _days(o) for o in offsets]


def _choose_cause(demo: Demo, sc: Scenario) -> Cause:
    weights = [CATEGORY_WEIGHTS[c.category] for c in sc.causes]
    return demo.rng.choices(sc.causes, weights=weights)[0]


def _verifier(demo: Demo, nc: Nonconformity) -> User:
    quality, auditor = demo.person("quality"), demo.person("auditor")
    if nc.owner_id == quality.pk:
        return auditor
    return quality if demo.rng.random() < 0.65 else auditor


def _perform(
    demo: Demo, nc: Nonconformity, name: str, user: User, day: datetime.date, **kw: Any
) -> None:
    with acting_as(user):
        WORKFLOW.perform(nc, name, user, today=day, **kw)


def _add_action(
    demo: Demo,
    nc: Nonconformity,
    spec: ActionSpec,
    ctx: dict[str, Any],
    planned: datetime.date,
    by: User,
) -> tuple[Action, str]:
    action = Action(
        description=_fill(spec.description, ctx),
        owner=demo.person(spec.owner),
        due_date=planned + _days(demo.rng.randint(10, 35)),
        created_at=demo.moment(planned),
    )
    action.link_to(nc)
    with acting_as(by):
        action.save()
    return action, _fill(spec.evidence, ctx)


def _complete(
    demo: Demo, action: Action, evidence: str, on: datetime.date, *, partly: bool = False
) -> None:
    """Mark ``action`` done on ``on`` (or, when ``partly``, only in progress)."""
    with acting_as(action.owner):
        if partly:
            action.status = ActionStatus.IN_PROGRESS
            action.save()
            return
        action.status = ActionStatus.DONE
        action.completed_on = on
        action.evidence = evidence
        action.save()


def _costs(demo: Demo, item: Plan, nc: Nonconformity, ctx: dict[str, Any], by: User) -> int:
    rng = demo.rng
    sc = item.scenario
    if not sc.costs or rng.random() < 0.15:
        return 0
    lines = []
    bad = nc.quantity_nonconforming or 0
    for category in sc.costs:
        currency = "EUR"
        if category == "scrap":
            amount = ctx["unit"] * bad
            text = f"{bad} × {ctx['pn']} scrapped at standard cost"  # noqa: RUF001
        elif category == "rework":
            hours = max(1, round(bad * rng.uniform(0.05, 0.25)))
            amount = Decimal(hours * 52)
            text = f"{hours} h rework at €52/h"
        elif category == "inspection":
            hours = rng.randint(2, 16)
            amount = Decimal(hours * 48)
            text = f"{hours} h of extra inspection and sorting"
        elif category == "freight":
            if sc.source == "supplier":
                currency = ctx["supplier_currency"]
                text = f"Return freight to {ctx['supplier']}"
            else:
                currency = ctx["customer_currency"]
                text = f"Express freight of replacement parts to {ctx['customer']}"
            amount = Decimal(rng.randint(180, 1900))
        elif category == "warranty":
            currency = ctx["customer_currency"]
            amount = Decimal(rng.randint(400, 6000))
            text = f"Credit note to {ctx['customer']}"
        else:
            amount = Decimal(rng.randint(90, 900))
            text = "Administration and overtime"
        lines.append((category, text, amount.quantize(Decimal("0.01")), currency))
    if sc.source == "customer_complaint" and rng.random() < 0.4:
        currency = ctx["customer_currency"]
        amount = Decimal(rng.randint(300, 4500)).quantize(Decimal("0.01"))
        lines.append(("warranty", f"Credit note to {ctx['customer']}", amount, currency))
    for category, text, amount, currency in lines:
        incurred = min(demo.today, nc.detected_on + _days(rng.randint(0, 25)))
        line = CostItem(
            nonconformity=nc,
            category=category,
            description=text[:200],
            amount=amount,
            currency=currency,
            incurred_on=incurred,
            created_at=demo.moment(incurred),
        )
        with acting_as(by):
            line.save()
    return len(lines)


def _build(demo: Demo, item: Plan) -> Nonconformity:
    rng = demo.rng
    sc = item.scenario
    people = demo.people
    if item.special == "duplicate" and item.original is not None:
        ctx = dict(item.original.context)
    else:
        ctx = _context(demo, item)
    item.context = ctx
    process = demo.processes[sc.process]
    owner: User = process.owner
    detector = people[rng.choice(sc.detectors)]
    # External auditors are read-only: the quality manager records what they found.
    reporter = people["quality"] if detector.username == "extaudit" else detector
    severity = rng.choices(list(Severity.values), weights=sc.severity)[0]
    days = _schedule(demo, item)
    reported = days[0]

    nc = Nonconformity(
        title=_fill(sc.title, ctx)[:200],
        description=_fill(sc.description, ctx),
        source=sc.source,
        severity=severity,
        process=process,
        owner=owner,
        site=(owner.site or people["quality"].site),
        detected_by=detector,
        detected_on=item.detected_on,
        due_date=item.detected_on + _days(DUE_DAYS[Severity(severity)]),
        created_at=demo.moment(reported),
    )
    if sc.output and sc.parts == "material":
        nc.product_ref = f"{ctx['material']} ({ctx['supplier']})"[:120]
        nc.lot_ref = ctx["lot"]
        nc.quantity_checked = ctx["qty"]
        nc.quantity_nonconforming = ctx["qty"]
    elif sc.output:
        nc.product_ref = f"{ctx['pn']} rev {ctx['rev']} – {ctx['part']}"  # noqa: RUF001
        nc.lot_ref = ctx["lot"]
        nc.quantity_checked = ctx["qty"]
        nc.quantity_nonconforming = ctx["bad"]
    if item.special == "duplicate":
        nc.detected_by = people[rng.choice(sc.containers or sc.detectors)]
        reporter = nc.detected_by
        if reporter.username == "extaudit":
            reporter = people["quality"]
        nc.description += " (Reported again by the other shift.)"
    with acting_as(reporter):
        nc.save()
    item.nc = nc
    if item.special == "duplicate":
        original = item.original.nc if item.original else None
        ref = original.reference if original else "an earlier report"
        what = f"lot {ctx['lot']}" if sc.output else "finding"
        _perform(
            demo,
            nc,
            "void",
            people["quality"],
            days[-1],
            comment=f"Duplicate of {ref}: the same {what} reported twice. Handled there.",
        )
        return nc
    if item.target == "reported":
        return nc

    # Contained ------------------------------------------------------------------------
    handler = owner if rng.random() < 0.85 else people["quality"]
    day = days[1]
    with acting_as(handler):
        nc.containment_action = _fill(sc.containment, ctx)
        nc.containment_by = people[rng.choice(sc.containers)] if sc.containers else owner
        nc.containment_on = day
        nc.correction = _fill(sc.correction, ctx)
        if sc.output:
            nc.disposition = rng.choice(sc.dispositions)
        nc.save()
    if sc.output:
        # The authoriser takes the signed step themselves: nobody types their name in.
        authoriser = {
            "concession": "quality",
            "return_to_supplier": rng.choice(["sbyrne", "quality"]),
        }.get(nc.disposition, rng.choice(["emccarthy", "quality", owner.username]))
        _perform(
            demo,
            nc,
            "authorise_disposition",
            people[authoriser],
            day,
            password=demo.password,
            comment=f"{nc.get_disposition_display()} authorised.",
        )
    _perform(demo, nc, "contain", handler, day)
    _costs(demo, item, nc, ctx, handler)
    if item.target == "contained":
        return nc

    # Investigated ----------------------------------------------------------------------
    cause = _choose_cause(demo, sc)
    day = days[2]
    whys = [_fill(w, ctx) for w in cause.whys][:5]
    if len(whys) > 2 and rng.random() < 0.3:
        whys = whys[: rng.randint(2, len(whys))]
    with acting_as(handler):
        nc.whys = whys
        nc.fishbone = {k: _fill(v, ctx) for k, v in sc.fishbone.items()}
        nc.cause_category = cause.category
        nc.root_cause = _fill(cause.root_cause, ctx)
        nc.save()
    _perform(demo, nc, "investigate", handler, day)
    planned = day
    specs = list(cause.actions[: rng.randint(1, 3)]) if item.target != "investigated" else []
    if item.target == "investigated" and rng.random() < 0.6:
        specs = list(cause.actions[:1])  # planned already, not started
    actions = [_add_action(demo, nc, s, ctx, planned, handler) for s in specs]
    if item.target == "investigated":
        return nc

    # Corrective actions -----------------------------------------------------------------
    day = days[3]
    _perform(demo, nc, "start_actions", handler, day)
    if item.target == "actions" and item.special != "fail_actions":
        # Some done, at least one still open (overdue when its date has passed).
        for i, (action, evidence) in enumerate(actions):
            done_on = action.due_date - _days(rng.randint(0, 6))
            if i < len(actions) - 1 and done_on <= demo.today:
                _complete(demo, action, evidence, done_on)
            elif rng.random() < 0.5:
                _complete(demo, action, evidence, done_on, partly=True)
        return nc
    submitted = days[4]
    for action, evidence in actions:
        done_on = min(submitted, action.due_date + _days(rng.randint(-8, 4)))
        _complete(demo, action, evidence, max(done_on, day))
    with acting_as(handler):
        nc.refresh_from_db()
        nc.verification_method = _fill(cause.verification, ctx)
        nc.verification_due = submitted + _days(rng.randint(14, 45))
        nc.save()
    _perform(demo, nc, "submit_verification", handler, submitted)

    if item.special in ("fail_close", "fail_actions"):
        verifier = _verifier(demo, nc)
        failed_on = submitted + _days(rng.randint(7, 20))
        if item.special == "fail_actions":
            failed_on = min(failed_on, demo.today - _days(rng.randint(3, 12)))
        failed_on = max(failed_on, submitted)
        with acting_as(verifier):
            nc.verification_result = "not_effective"
            nc.verification_notes = _fill(story().failed_verification, ctx)
            nc.save()
        _perform(
            demo,
            nc,
            "fail_verification",
            verifier,
            failed_on,
            comment="Not effective: the problem came back during verification. "
            "A further action is needed.",
        )
        action, evidence = _add_action(demo, nc, story().second_action, ctx, failed_on, handler)
        if item.special == "fail_actions":
            return nc
        resubmitted = failed_on + _days(rng.randint(10, 25))
        _complete(demo, action, evidence, resubmitted)
        with acting_as(handler):
            nc.refresh_from_db()
            nc.verification_result = ""
            nc.verification_notes = ""
            nc.verification_due = resubmitted + _days(30)
            nc.save()
        _perform(demo, nc, "submit_verification", handler, resubmitted)
        days[5] = max(days[5], resubmitted + _days(14))
    if item.target == "verification":
        return nc

    # Closed ------------------------------------------------------------------------------
    verifier = _verifier(demo, nc)
    closed = min(days[5], demo.today)
    with acting_as(verifier):
        nc.verification_result = "effective"
        nc.verification_notes = _fill(rng.choice(story().verification_notes), ctx)
        nc.save()
    _perform(
        demo,
        nc,
        "close",
        verifier,
        closed,
        password=demo.password,
        comment="Verified effective.",
    )
    return nc


def load(demo: Demo) -> None:
    """About ``demo.nonconformities`` nonconformities over the last twelve months."""
    plans = plan(demo)
    with quick_signatures(demo.people.values(), demo.password):
        for item in plans:
            _build(demo, item)
    states = Counter(p.nc.status for p in plans if p.nc is not None)
    demo.counts["nonconformities"] = len(plans)
    demo.counts["nonconformities by state"] = {
        s.name: states.get(s.name, 0) for s in WORKFLOW.states
    }
    demo.counts["corrective actions"] = Action.objects.filter(
        content_type=ContentType.objects.get_for_model(Nonconformity)
    ).count()
    demo.counts["cost lines"] = CostItem.objects.count()
