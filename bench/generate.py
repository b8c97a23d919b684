"""Generate a realistic data set fast: people, sites, processes, N nonconformities,
M controlled documents with their versions and text, and the planning registers.

    python -m bench.generate --count 100000 [--documents 100000] [--seed 1] [--migrate]
    python -m bench.generate --register planning --kpis 500 --periods 36 --risks 50000

Documents: see ``DocumentGenerator``; KPIs, objectives and risks: ``PlanningGenerator``
(and bench/README.md).

Records are written with ``bulk_create`` in batches: this deliberately bypasses
``Record.save`` (one save writes ~10 rows and takes locks). What ``save`` would have
done is done here by hand:

* references ``NC-YYYY-NNNNNN`` are allocated in creation order per year, and the
  ``Counter`` rows are set so that later saves continue each year's sequence;
* every nonconformity gets its trail: a create event, then one event per workflow
  step it went through (1 to 5 transitions; a still-reported one gets one edit),
  plus the create events of its corrective actions and cost lines, in time order,
  chained per stream (``hoshin.core.trail.stream_for``) with ``TrailEvent.compute_hash``.

``hoshin verify-trail`` passes on the result. The database must be migrated (``--migrate``
does it) and hold no nonconformity yet.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import re
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python bench/generate.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_PASSWORD = "bench-password-1"  # noqa: S105 - throwaway benchmark accounts
QUALITY_USERNAME = "quality"
SPAN_DAYS = 3 * 365


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
    # Collected static files (manifest) are not needed to render pages.
    os.environ.setdefault(
        "HOSHIN_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()


# --- vocabulary -----------------------------------------------------------------------
FIRST = [
    "Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Kenji", "Lena", "Marta", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
]  # fmt: skip
LAST = [
    "Müller", "Dubois", "Rossi", "Novak", "Silva", "Khan", "Schmidt", "Haddad", "Larsen",
    "Moreau", "Costa", "Ito", "Okafor", "Weber", "Nair", "Berg", "Petit", "Kowalski",
]  # fmt: skip
DEFECTS = [
    "Burr on bore", "Scratch on surface", "Dimension out of tolerance", "Wrong label",
    "Missing material certificate", "Porosity in casting", "Hairline crack", "Oil contamination",
    "Incorrect torque", "Corrosion spots", "Missing inspection record", "Burr on thread",
    "Paint runs", "Wrong revision drawing used", "Seal leaking", "Late delivery",
]  # fmt: skip
PARTS = [
    ("housing", "H-220"), ("shaft", "S-14"), ("bracket", "B-7"), ("flange", "F-310"),
    ("cover", "C-55"), ("gear", "G-12"), ("valve body", "V-400"), ("pump casing", "P-90"),
    ("bearing seat", "BS-3"), ("cable harness", "CH-18"),
]  # fmt: skip
WHERE = [
    "final inspection", "incoming inspection", "in-process check", "the customer's site",
    "the supplier audit", "the internal audit of the machining cell", "packing",
]  # fmt: skip
ROOT_CAUSES = {
    "method": "Work instruction omits the step.",
    "machine": "Tool wear not monitored; the tool ran past its life.",
    "material": "Supplier batch outside specification.",
    "people": "New operator not yet trained on the check.",
    "measurement": "Gauge out of calibration.",
    "environment": "Humidity in the store above limit.",
}
PROCESSES = [
    ("P-01", "Sales and contract review"), ("P-02", "Design and development"),
    ("P-03", "Purchasing"), ("P-04", "Incoming inspection"), ("P-05", "Machining"),
    ("P-06", "Assembly"), ("P-07", "Painting"), ("P-08", "Final inspection"),
    ("P-09", "Packing and shipping"), ("P-10", "Maintenance"), ("P-11", "Calibration"),
    ("P-12", "Customer service"),
]  # fmt: skip
SITES = [("MAIN", "Main plant"), ("NORTH", "North plant"), ("EAST", "East warehouse")]

STEPS = ["contained", "investigated", "actions", "verification", "closed"]
STEP_TRANSITION = {
    "contained": "contain",
    "investigated": "investigate",
    "actions": "start_actions",
    "verification": "submit_verification",
    "closed": "close",
}
STATE_WEIGHTS = [  # (max age in days, {state: weight}): old records are mostly closed
    (14, {"reported": 40, "contained": 30, "investigated": 15, "actions": 10, "verification": 3, "void": 2}),
    (60, {"reported": 10, "contained": 15, "investigated": 20, "actions": 35, "verification": 12, "closed": 5, "void": 3}),
    (180, {"reported": 3, "contained": 5, "investigated": 7, "actions": 25, "verification": 15, "closed": 40, "void": 5}),
    (10**6, {"reported": 1, "contained": 1, "investigated": 2, "actions": 4, "verification": 2, "closed": 85, "void": 5}),
]  # fmt: skip


class People:
    """Users by role, with the labels the trail shows for them."""

    def __init__(self) -> None:
        self.quality: list[Any] = []
        self.verifiers: list[Any] = []
        self.owners: list[Any] = []
        self.employees: list[Any] = []
        self.everyone: list[Any] = []


def make_people(rng: random.Random) -> tuple[People, list[Any], list[Any]]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from hoshin.context.models import Process
    from hoshin.core import roles
    from hoshin.core.models import ExchangeRate, Organisation, Site, User

    Organisation.current()
    sites = [Site.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in SITES]
    password = make_password(BENCH_PASSWORD)
    cast = (
        [(QUALITY_USERNAME, roles.QUALITY_MANAGER), ("quality2", roles.QUALITY_MANAGER)]
        + [("ceo", roles.TOP_MANAGEMENT)]
        + [(f"auditor{i}", roles.INTERNAL_AUDITOR) for i in range(1, 4)]
        + [(f"owner{i}", roles.PROCESS_OWNER) for i in range(1, 13)]
        + [(f"employee{i}", roles.EMPLOYEE) for i in range(1, 41)]
        + [("extaudit", roles.EXTERNAL_AUDITOR)]
    )
    users = [
        User(
            username=name,
            password=password,
            email=f"{name}@example.com",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            site=rng.choice(sites),
            is_active=True,
        )
        for name, _role in cast
    ]
    users = User.objects.bulk_create(users)
    users = list(User.objects.filter(username__in=[n for n, _r in cast]).order_by("pk"))
    by_name = {u.username: u for u in users}
    groups = {g.name: g for g in Group.objects.all()}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=by_name[n].pk, group_id=groups[r].pk) for n, r in cast]
    )
    people = People()
    for name, role in cast:
        user = by_name[name]
        people.everyone.append(user)
        if role == roles.QUALITY_MANAGER:
            people.quality.append(user)
            people.verifiers.append(user)
        elif role in (roles.INTERNAL_AUDITOR, roles.TOP_MANAGEMENT):
            people.verifiers.append(user)
        elif role == roles.PROCESS_OWNER:
            people.owners.append(user)
        elif role == roles.EMPLOYEE:
            people.employees.append(user)
    processes = Process.objects.bulk_create(
        [
            Process(code=code, name=name, owner=people.owners[i % len(people.owners)])
            for i, (code, name) in enumerate(PROCESSES)
        ]
    )
    processes = list(Process.objects.order_by("code"))
    today = datetime.date.today()
    rates = []
    for years_ago in range(4):
        valid = today.replace(month=1, day=1) - datetime.timedelta(days=365 * years_ago)
        rates.append(
            ExchangeRate(
                currency="USD", rate=Decimal("0.91") + Decimal(years_ago) / 100, valid_from=valid
            )
        )
        rates.append(
            ExchangeRate(
                currency="GBP", rate=Decimal("1.17") - Decimal(years_ago) / 100, valid_from=valid
            )
        )
    ExchangeRate.objects.bulk_create(rates, ignore_conflicts=True)
    return people, sites, processes


# --- the trail, as Record.save would have written it ------------------------------------
_CHOICES: dict[Any, dict[Any, str]] = {}
_LABELS: dict[Any, str] = {}
_TRACKED: dict[type, list[Any]] = {}


def describe(field: Any, value: Any, labels: dict[tuple[str, int], str]) -> Any:
    if value is None or value == "":
        return value
    if field.is_relation and field.related_model is not None:
        return labels.get((field.related_model._meta.label_lower, value), value)
    if field.choices:
        if field not in _CHOICES:  # translated once, not per record
            _CHOICES[field] = {k: str(v) for k, v in field.flatchoices}
        return _CHOICES[field].get(value, value)
    return value


def field_changes(
    instance: Any, names: list[str] | None, labels: dict[tuple[str, int], str], before: Any = None
) -> dict[str, Any]:
    """``{field: {label, before, after}}`` for the non-empty fields (of ``names``)."""
    changes = {}
    model = type(instance)
    if model not in _TRACKED:
        _TRACKED[model] = instance.tracked_fields()
        _LABELS.update((f, str(f.verbose_name)) for f in _TRACKED[model])
    for f in _TRACKED[model]:
        if names is not None and f.name not in names:
            continue
        value = getattr(instance, f.attname)
        if value in (None, "", [], {}):
            continue
        changes[f.name] = {
            "label": _LABELS[f],
            "before": before,
            "after": describe(f, value, labels),
        }
    return changes


# Fields a nonconformity has when it is reported (the create event lists these).
REPORT_FIELDS = [
    "reference", "title", "owner", "site", "status", "due_date", "created_by", "created_at",
    "description", "source", "severity", "process", "product_ref", "lot_ref",
    "quantity_checked", "quantity_nonconforming", "detected_by", "detected_on",
]  # fmt: skip
STEP_FIELDS = {
    "contained": ["containment_action", "containment_by", "containment_on", "correction",
                  "disposition", "disposition_authorised_by"],
    "investigated": ["whys", "fishbone", "cause_category", "root_cause"],
    "actions": [],
    "verification": ["verification_method", "verification_due"],
    "closed": ["verification_result", "verification_notes", "verified_by", "verified_on"],
}  # fmt: skip


class Generator:
    def __init__(self, count: int, seed: int = 1, batch: int = 2000, quiet: bool = False) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from hoshin.improvement.models import Nonconformity

        self.count = count
        self.rng = random.Random(seed)
        self.batch = batch
        self.quiet = quiet
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.nc_ct = ContentType.objects.get_for_model(Nonconformity)
        self.counters: dict[str, int] = defaultdict(int)
        self.totals: dict[str, Any] = defaultdict(int)

    def log(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def run(self) -> dict[str, Any]:
        from django.db import transaction

        from hoshin.core.models import Counter
        from hoshin.improvement.models import Nonconformity

        if Nonconformity.objects.exists():
            raise SystemExit("The database already holds nonconformities: use a fresh one.")
        started = time.perf_counter()
        with transaction.atomic():
            self.people, self.sites, self.processes = make_people(self.rng)
        self.labels: dict[tuple[str, int], str] = {}
        for u in self.people.everyone:
            self.labels[("core.user", u.pk)] = str(u)
        for s in self.sites:
            self.labels[("core.site", s.pk)] = str(s)
        for p in self.processes:
            self.labels[("context.process", p.pk)] = str(p)
        self.labels[("contenttypes.contenttype", self.nc_ct.pk)] = str(self.nc_ct)
        # Creation times over three years, oldest first (references follow creation order).
        span = SPAN_DAYS * 86400
        offsets = sorted((self.rng.uniform(0, span) for _ in range(self.count)), reverse=True)
        for start in range(0, self.count, self.batch):
            chunk = offsets[start : start + self.batch]
            with transaction.atomic():
                self._chunk(chunk)
            done = start + len(chunk)
            if done % (self.batch * 10) == 0 or done == self.count:
                self.log(
                    f"  {done}/{self.count} nonconformities ({time.perf_counter() - started:.0f} s)"
                )
        with transaction.atomic():
            for key, value in self.counters.items():
                Counter.objects.update_or_create(key=key, defaults={"value": value})
        self.totals["seconds"] = round(time.perf_counter() - started, 1)
        return dict(self.totals)

    # --- one batch ----------------------------------------------------------------
    def _chunk(self, offsets: list[float]) -> None:
        from hoshin.core.models import Action, TrailEvent
        from hoshin.improvement.models import CostItem, Nonconformity

        plans = [self._plan(off) for off in offsets]
        ncs = Nonconformity.objects.bulk_create([p["nc"] for p in plans], batch_size=500)
        actions: list[Any] = []
        costs: list[Any] = []
        for plan, nc in zip(plans, ncs, strict=True):
            assert nc.pk is not None
            for a in plan["actions"]:
                a.object_id = nc.pk
                actions.append(a)
            for c in plan["costs"]:
                c.nonconformity_id = nc.pk
                costs.append(c)
        Action.objects.bulk_create(actions, batch_size=500)
        CostItem.objects.bulk_create(costs, batch_size=500)
        events = []
        for plan in plans:
            events += self._events(plan)
        TrailEvent.objects.bulk_create(events, batch_size=500)
        self.totals["nonconformities"] += len(ncs)
        self.totals["actions"] += len(actions)
        self.totals["costs"] += len(costs)
        self.totals["trail_events"] += len(events)

    def _plan(self, offset: float) -> dict[str, Any]:
        from hoshin.core.models import Action, ActionStatus
        from hoshin.improvement.models import (
            DUE_DAYS,
            CauseCategory,
            CostCategory,
            CostItem,
            Disposition,
            Nonconformity,
            Severity,
            Source,
        )

        rng = self.rng
        people = self.people
        created_at = self.now - datetime.timedelta(seconds=offset)
        age = (self.now - created_at).days
        weights = next(w for limit, w in STATE_WEIGHTS if age < limit)
        state = rng.choices(list(weights), list(weights.values()))[0]
        if state == "void":
            path = STEPS[: rng.randint(0, 3)]
        else:
            path = [] if state == "reported" else STEPS[: STEPS.index(state) + 1]
        severity = rng.choices(Severity.values, [60, 30, 10])[0]
        detected_on = (created_at - datetime.timedelta(hours=rng.uniform(0, 72))).date()
        process = rng.choice(self.processes) if rng.random() < 0.85 else None
        owner = process.owner if process is not None else rng.choice(people.quality)
        reporter = rng.choice(people.employees + people.owners)
        defect = rng.choice(DEFECTS)
        part, part_code = rng.choice(PARTS)
        checked = rng.choice([None, 20, 50, 100, 200, 500, 1000]) if rng.random() < 0.7 else None
        bad = rng.randint(1, max(1, checked // 10)) if checked else None
        lot = f"L-{rng.randint(1, 9999):04d}"
        year = created_at.year
        key = f"NC-{year}"
        self.counters[key] += 1
        nc = Nonconformity(
            reference=f"{key}-{self.counters[key]:06d}",
            title=f"{defect} of {part} {part_code}",
            description=(
                f"Found at {rng.choice(WHERE)}: {bad or 'several'} of {checked or 'the'} parts "
                f"of lot {lot} show: {defect.lower()}."
            ),
            source=rng.choice(Source.values),
            severity=severity,
            process=process,
            product_ref=f"{part_code} {part}",
            lot_ref=lot,
            quantity_checked=checked,
            quantity_nonconforming=bad,
            owner=owner,
            site=rng.choice(self.sites) if rng.random() < 0.9 else None,
            status="reported",
            due_date=detected_on + datetime.timedelta(days=DUE_DAYS[Severity(severity)]),
            created_by=reporter,
            detected_by=reporter,
            detected_on=detected_on,
            created_at=created_at,
        )
        create_changes = field_changes(nc, REPORT_FIELDS, self.labels)
        # Times of the steps, after creation and not in the future.
        room = max((self.now - created_at).total_seconds() - 60, 60)
        times = sorted(
            created_at + datetime.timedelta(seconds=rng.uniform(60, min(room, 150 * 86400)))
            for _ in range(len(path) + (1 if state == "void" else 0))
        )
        steps: list[dict[str, Any]] = []
        actions: list[Any] = []
        for step, at in zip(path, times, strict=False):
            day = at.date()
            names = STEP_FIELDS[step]
            by = owner
            if step == "contained":
                nc.containment_action = f"Quarantined lot {lot}; 100% inspection of stock."
                nc.containment_by = owner
                nc.containment_on = day
                nc.correction = rng.choice(["Parts reworked.", "Parts scrapped.", ""])
                if bad:
                    nc.disposition = rng.choice(Disposition.values)
                    nc.disposition_authorised_by = rng.choice(people.quality)
            elif step == "investigated":
                category = rng.choice(CauseCategory.values)
                nc.whys = [f"{defect} not detected", "Check not in the plan", ROOT_CAUSES[category]]
                nc.root_cause = ROOT_CAUSES[category]
                nc.cause_category = category
                if rng.random() < 0.5:
                    nc.fishbone = {category: ROOT_CAUSES[category]}
            elif step == "actions":
                for _i in range(rng.randint(1, 2)):
                    actions.append(
                        Action(
                            content_type_id=self.nc_ct.pk,
                            description=rng.choice(
                                [
                                    "Update work instruction",
                                    "Train operators on the check",
                                    "Add gauge to control plan",
                                    "Change tool life limit",
                                    "Audit supplier batch release",
                                ]
                            ),
                            owner=rng.choice([owner, *people.owners[:4], *people.employees[:6]]),
                            due_date=day + datetime.timedelta(days=rng.randint(14, 45)),
                            status=ActionStatus.OPEN,
                            kind="corrective",
                            created_at=at - datetime.timedelta(seconds=30),
                        )
                    )
            elif step == "verification":
                for a in actions:
                    a.status = ActionStatus.DONE
                    a.evidence = "Record of the change filed."
                    a.completed_on = day
                nc.verification_method = "Audit three lots after the change."
                nc.verification_due = day + datetime.timedelta(days=30)
            elif step == "closed":
                by = rng.choice([v for v in people.verifiers if v.pk != owner.pk])
                nc.verification_result = "effective"
                nc.verification_notes = "Three lots inspected, no recurrence."
                nc.verified_by = by
                nc.verified_on = day
            steps.append(
                {
                    "at": at,
                    "action": "transition",
                    "by": by,
                    "changes": {
                        "status": {"label": "status", "before": nc.status, "after": step},
                        **field_changes(nc, names, self.labels),
                    },
                    "message": "",
                }
            )
            nc.status = step
        if state == "actions":
            for a in actions:
                a.status = rng.choice(
                    [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
                )
                if a.status == ActionStatus.DONE:
                    a.evidence = "Record of the change filed."
                    a.completed_on = min(a.due_date, self.today)
        if state == "void":
            at = times[-1]
            by = rng.choice(people.quality)
            reason = "Duplicate of an earlier report."
            steps.append(
                {
                    "at": at,
                    "action": "transition",
                    "by": by,
                    "changes": {
                        "status": {"label": "status", "before": nc.status, "after": "void"}
                    },
                    "message": reason,
                }
            )
            nc.status = "void"
            nc.voided_at = at
            nc.void_reason = reason
        if not steps:  # still reported: one edit after the report
            at = created_at + datetime.timedelta(seconds=rng.uniform(30, min(room, 86400)))
            old_lot = nc.lot_ref
            nc.lot_ref = f"{old_lot}/B"
            steps.append(
                {
                    "at": at,
                    "action": "change",
                    "by": owner,
                    "changes": {
                        "lot_ref": {"label": "batch / lot", "before": old_lot, "after": nc.lot_ref}
                    },
                    "message": "Lot number corrected.",
                }
            )
        nc.version = 1 + len(steps)
        costs = []
        for _i in range(rng.choices([0, 1, 2], [50, 30, 20])[0]):
            incurred = min(detected_on + datetime.timedelta(days=rng.randint(0, 30)), self.today)
            costs.append(
                CostItem(
                    category=rng.choice(CostCategory.values),
                    description=rng.choice(["Scrapped parts", "Rework hours", "Sorting at customer", ""]),
                    amount=Decimal(rng.randint(5000, 500000)) / 100,
                    currency=rng.choices(["EUR", "USD", "GBP"], [80, 15, 5])[0],
                    incurred_on=incurred,
                    created_at=max(created_at, min(self.now, datetime.datetime.combine(
                        incurred, datetime.time(12), tzinfo=datetime.UTC))),
                )
            )  # fmt: skip
        return {
            "nc": nc,
            "create_changes": create_changes,
            "steps": steps,
            "actions": actions,
            "costs": costs,
        }

    def _events(self, plan: dict[str, Any]) -> list[Any]:

        nc = plan["nc"]
        items = [
            {
                "at": nc.created_at,
                "action": "create",
                "by": nc.created_by,
                "changes": plan["create_changes"],
                "message": "",
            },
            *plan["steps"],
        ]
        for child in [*plan["actions"], *plan["costs"]]:
            items.append(
                {
                    "at": child.created_at,
                    "action": "create",
                    "by": nc.owner,
                    "changes": field_changes(child, None, self.labels),
                    "message": "",
                }
            )
        return chain_events(nc, self.nc_ct, items)


# --- documents (ISO 9001 7.5): the master list, versions and their text -----------------
DOC_SPAN_DAYS = 8 * 365
# Share of each seeded document type (by prefix) in the register.
DOC_TYPE_WEIGHTS = {
    "WI": 34, "FRM": 15, "SPC": 14, "REC": 12, "QP": 10, "PLN": 6, "EXT": 6,
    "POL": 1, "QM": 1, "SCP": 1,
}  # fmt: skip
# Words whose share of documents is controlled, to give searches known match counts: each
# is put into a document's text (and sometimes its title) with this probability, and
# appears nowhere else (no other word of the generator starts with one of them, since a
# search word matches the words it begins).
TOPIC_TERMS: dict[str, float] = {
    # common: ~10 % of documents each
    "torque": 0.10, "traceability": 0.10, "humidity": 0.10, "hardness": 0.10,
    "deburring": 0.10, "concession": 0.10, "kanban": 0.10, "flatness": 0.10,
    # medium: ~3 %
    "anodising": 0.03, "ultrasonic": 0.03, "soldering": 0.03, "cleanroom": 0.03,
    "galvanising": 0.03, "thermocouple": 0.03, "viscosity": 0.03,
    # rare: 0.1-1 %
    "passivation": 0.01, "borescope": 0.005, "profilometer": 0.003,
    "magnetoscopy": 0.002, "cryogenic": 0.001,
}  # fmt: skip
SEARCH_RARE = "borescope"  # ~0.5 % of documents
SEARCH_COMMON = "torque"  # ~10 %
SEARCH_TWO_WORDS = "torque traceability"  # both ~10 %, together ~1 %
TOPIC_SENTENCES = [
    "Check the {t} requirements on the drawing before the first part is made.",
    "Record every {t} result in the production log of the shift.",
    "Any deviation in {t} is reported at once as a nonconformity.",
    "The {t} limits are given in the control plan of the part.",
    "Operators are trained on {t} before they work without supervision.",
    "See the {t} section of the customer specification for the acceptance criteria.",
    "The quality engineer reviews the {t} figures every month.",
]
ROLES = [
    "operator", "inspector", "shift supervisor", "process owner", "quality engineer",
    "production manager", "maintenance technician", "warehouse clerk", "buyer",
    "design engineer", "team leader", "internal auditor", "quality manager",
    "metrology technician", "production planner", "logistics coordinator",
]  # fmt: skip
VERBS = [
    "check", "record", "verify", "review", "approve", "measure", "inspect", "label",
    "segregate", "report", "update", "file", "release", "confirm", "sign", "compare",
    "clean", "store", "identify", "document", "escalate", "archive", "schedule",
    "replace", "adjust", "photograph", "count", "weigh", "seal", "quarantine",
]  # fmt: skip
OBJECTS = [
    "the first-off part", "the drawing revision", "the control plan", "the inspection report",
    "the batch card", "the material certificate", "the work order", "the setup sheet",
    "the tool list", "the packaging instruction", "the retained sample", "the rejected parts",
    "the customer order", "the incoming goods", "the measuring equipment", "the part label",
    "the lot number", "the machine parameters", "the production log", "the shipping papers",
    "the training record", "the maintenance log", "the delivery note", "the test report",
    "the calibration status", "the stock location", "the sampling record", "the reject tag",
]  # fmt: skip
WHEN = [
    "before the start of production", "at every shift change", "after each tool change",
    "before release to the next operation", "at the end of each batch", "within 24 hours",
    "once a week", "before shipment", "whenever the drawing changes", "on receipt of the goods",
    "every 50 parts", "after any machine stop longer than one hour",
    "at least once per month", "before the annual management review",
]  # fmt: skip
HOW = [
    "in accordance with the latest drawing", "using the approved checklist",
    "as defined in the control plan", "with a calibrated gauge", "in the ERP system",
    "on the shop floor terminal", "in the quality folder", "by visual inspection",
    "according to the sampling plan", "under the supervision of the team leader",
    "with the customer's acceptance criteria at hand", "following the colour code",
]  # fmt: skip
PROBLEMS = [
    "a part is outside tolerance", "the label is missing", "the gauge is out of calibration",
    "the material certificate is missing", "the machine raises an alarm",
    "the packaging is damaged", "two lots are mixed", "the drawing is not the latest revision",
    "a customer reports a complaint", "a supplier delivers late",
]  # fmt: skip
TOOLS = [
    "the height gauge", "a micrometer", "the coordinate measuring machine", "a caliper",
    "the vision system", "the thread gauge", "a surface plate", "the Rockwell tester",
    "the leak test bench", "a magnifying lamp", "the label printer", "a pin gauge",
]  # fmt: skip
ACTIVITIES = [
    "incoming inspection", "final inspection", "machining of housings", "assembly of pump units",
    "painting of brackets", "packing and shipping", "calibration of measuring equipment",
    "control of nonconforming product", "supplier evaluation", "management review",
    "internal audits", "training of operators", "handling of customer complaints",
    "preventive maintenance", "storage of raw material", "change management",
    "control of documented information", "risk assessment", "first article inspection",
    "contract review", "setup of CNC lathes", "cleaning of assembly benches",
    "handling of returned goods", "release of finished goods", "control of customer property",
]  # fmt: skip
AREAS = [
    "production lines", "machining cells", "assembly stations", "warehouses", "laboratories",
    "paint shops", "offices", "test benches", "shipping docks", "maintenance workshops",
]  # fmt: skip
AIMS = [
    "deliver parts that meet the customer's requirements",
    "detect defects before they reach the customer",
    "keep records that show the work was done as planned",
    "make sure every person knows what to do and when",
    "prevent the use of parts that are not released",
    "keep measuring equipment fit for its purpose",
]  # fmt: skip
DEFINITIONS = [
    ("Lot", "a quantity of parts made from one material batch in one setup"),
    ("First-off part", "the first part made after a setup, checked before the run continues"),
    ("Control plan", "the list of characteristics checked, how, how often and by whom"),
    ("Release", "the documented decision that a lot may go to the next operation"),
    ("Quarantine", "a marked area where parts wait for a decision"),
    ("Special characteristic", "a feature that affects safety or fit and is checked every time"),
    ("Rework", "action on a nonconforming part to make it conform"),
]  # fmt: skip
RECORD_ITEMS = [
    "Inspection report, kept for 10 years", "Batch card, kept with the lot records",
    "Training record, kept by human resources", "Calibration certificate of the gauge",
    "Nonconformity report in Hoshin", "Signed release note", "Setup sheet with the first-off results",
    "Maintenance log of the machine", "Supplier delivery note and certificate",
]  # fmt: skip
REFERENCE_ITEMS = [
    "ISO 9001:2015 clause 8.5", "ISO 9001:2015 clause 7.1.5", "ISO 2768-1 General tolerances",
    "QP-001 Control of documented information", "QP-004 Control of nonconforming output",
    "QP-007 Internal audits", "WI-012 Use of the height gauge", "FRM-003 Inspection report",
    "The customer's quality requirements manual", "The supplier quality agreement",
]  # fmt: skip
OPERATIONS = [
    "Machining", "Assembly", "Inspection", "Packing", "Cleaning", "Setup", "Painting",
    "Testing", "Storage", "Labelling", "Sampling", "Handling", "Receiving", "Sorting",
]  # fmt: skip
EXTERNAL_TITLES = [
    ("ISO 9001:2015 Quality management systems — Requirements", "ISO"),
    ("ISO 2768-1 General tolerances", "ISO"),
    ("Customer quality manual", "Customer"),
    ("Supplier quality agreement", "Customer"),
    ("Material standard for aluminium bar", "Standards body"),
    ("Safety data sheet", "Supplier"),
]  # fmt: skip
CHANGE_REASONS = [
    "Updated after an internal audit finding", "New gauge introduced", "Customer requirement changed",
    "Periodic review: responsibilities clarified", "Corrective action after a nonconformity",
    "New machine in the cell", "Drawing revision changed", "Sampling frequency reduced",
    "Typing errors corrected", "Process step added after a customer complaint",
]  # fmt: skip


def _check_topic_terms() -> None:
    """A search for a topic term must find only the documents given that term."""
    other_words: set[str] = set()
    texts = [
        *TOPIC_SENTENCES, *ROLES, *VERBS, *OBJECTS, *WHEN, *HOW, *PROBLEMS, *TOOLS,
        *ACTIVITIES, *AREAS, *AIMS, *RECORD_ITEMS, *REFERENCE_ITEMS, *OPERATIONS,
        *CHANGE_REASONS, *TEMPLATE_TEXT, *(a + " " + b for a, b in DEFINITIONS),
        *(a + " " + b for a, b in EXTERNAL_TITLES), *PARTS_TEXT,
    ]  # fmt: skip
    for text in texts:
        other_words.update(w.lower() for w in re.findall(r"[^\W_]+", text.replace("{t}", "")))
    for term in TOPIC_TERMS:
        clash = sorted(w for w in other_words | set(TOPIC_TERMS) - {term} if w.startswith(term))
        assert not clash, f"topic term {term!r} is the start of {clash}"


PARTS_TEXT = [f"{part} {code}" for part, code in PARTS]
# The words of the templates themselves (in _sentence, _sections and _title).
TEMPLATE_TEXT = [
    "The shall If and inform the Use to nominal dimension of is mm Set the oven to °C for",
    "minutes afterwards For the Results are recorded keeps years This document describes how",
    "planned performed recorded It covers aim applies to all of the area Purpose Responsibilities",
    "Definitions Procedure How to fill in the form Special requirements Records References",
    "Note Role Responsibility Quality policy Environmental policy Health and safety policy",
    "Quality manual Scope of the quality management system Checklist Form Log sheet",
    "Specification Control plan record lot L at Version in force First issue done",
    *(name for _code, name in SITES),
]
TABLE_HEADER = ("Role", "Responsibility")


def _sentence(rng: random.Random) -> str:
    """One sentence of procedure text (never starting with a digit: Markdown lists)."""
    kind = rng.randrange(9)
    if kind == 0:
        return f"The {rng.choice(ROLES)} shall {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)}."
    if kind == 1:
        return f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(HOW)}."
    if kind == 2:
        return (
            f"If {rng.choice(PROBLEMS)}, the {rng.choice(ROLES)} shall {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)} and inform the {rng.choice(ROLES)}."
        )
    if kind == 3:
        return f"Use {rng.choice(TOOLS)} to {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    if kind == 4:
        return (
            f"The nominal dimension of the {rng.choice(PARTS)[0]} is {rng.randint(4, 400)}."
            f"{rng.randint(0, 9)} mm ± 0.{rng.randint(1, 50):02d} mm."
        )
    if kind == 5:
        return (
            f"Set the oven to {rng.randrange(60, 240, 5)} °C for {rng.randrange(5, 90, 5)} "
            f"minutes and {rng.choice(VERBS)} {rng.choice(OBJECTS)} afterwards."
        )
    if kind == 6:
        part, code = rng.choice(PARTS)
        return (
            f"For the {part} {code}, {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)}."
        )
    if kind == 7:
        return f"Results are recorded {rng.choice(HOW)} {rng.choice(WHEN)}."
    return (
        f"The {rng.choice(ROLES)} keeps {rng.choice(OBJECTS)} for {rng.randint(2, 15)} years "
        f"{rng.choice(HOW)}."
    )


# A document's text: sections of (heading, blocks), a block being (kind, items) with kind
# "p" (one paragraph per item), "ol", "ul", "table" (items are (cell, cell) pairs) or
# "note" (a paragraph starting with a bold "Note:").
Section = tuple[str, list[tuple[str, list[Any]]]]


def render_sections(sections: list[Section]) -> tuple[str, str]:
    """The Markdown body and the plain text ``hoshin.support.markup.plain_text`` makes of it."""
    md: list[str] = []
    plain: list[str] = []
    for n, (heading, blocks) in enumerate(sections, start=1):
        md.append(f"## {n} {heading}")
        plain.append(f"{n} {heading}")
        for kind, items in blocks:
            if kind == "p":
                md.extend(items)
                plain.extend(items)
            elif kind == "note":
                md.extend(f"**Note:** {s}" for s in items)
                plain.extend(f"Note: {s}" for s in items)
            elif kind == "ol":
                md.append("\n".join(f"{i}. {s}" for i, s in enumerate(items, start=1)))
                plain.extend(items)
            elif kind == "ul":
                md.append("\n".join(f"- {s}" for s in items))
                plain.extend(items)
            elif kind == "table":
                rows = [TABLE_HEADER, *items]
                md.append(
                    "\n".join(
                        [f"| {rows[0][0]} | {rows[0][1]} |", "| --- | --- |"]
                        + [f"| {a} | {b} |" for a, b in rows[1:]]
                    )
                )
                plain.extend(f"{a} {b}" for a, b in rows)
    return "\n\n".join(md) + "\n", " ".join(plain)


class DocumentGenerator:
    """N documents over the seeded types, their versions and text, and their trail.

    Per document: 1 to 8 versions in force over time (more for older documents; 3 versions
    per document on average), the older ones superseded and the newest effective; about
    2.6 % of documents are drafts never in force, 6 % have a draft, a version in review or
    an approved version taking effect on a future date after the one in force. Obsolete documents and closed records keep their
    last version effective, as the workflow does. Every version has a Markdown body of
    1.5 to 4 KB; a new version is the previous one with one to three sentences changed.
    ``Document.text`` is the plain text of the version in force (of the draft for a
    document never in force), as ``versions.take_effect`` and ``_refresh_text`` set it.
    About 5 % of documents are confidential, readable by one to three named people.

    The trail, per document: its create event, the create event of each version (in
    the document's stream, as a version's save writes it) and one "Version n in force"
    change of the document per version that took effect, chained per stream.
    Sign-offs, signatures, read requests and periodic reviews are not generated.
    """

    def __init__(
        self,
        count: int,
        people: People,
        processes: list[Any],
        sites: list[Any],
        labels: dict[tuple[str, int], str],
        seed: int = 1,
        batch: int = 1000,
        quiet: bool = False,
    ) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from hoshin.support.models import Document, DocumentType

        _check_topic_terms()
        self.count = count
        self.people = people
        self.processes = processes
        self.sites = sites
        self.labels = dict(labels)
        self.rng = random.Random(seed * 7919 + 17)  # NC data stays the same with or without
        self.batch = batch
        self.quiet = quiet
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.doc_ct = ContentType.objects.get_for_model(Document)
        types = {t.prefix: t for t in DocumentType.objects.all()}
        self.types = [types[p] for p in DOC_TYPE_WEIGHTS]
        self.type_weights = list(DOC_TYPE_WEIGHTS.values())
        for t in self.types:
            self.labels[("support.documenttype", t.pk)] = str(t)
        self.doc_owners = people.owners * 3 + people.quality
        self.authors = people.owners + people.quality + people.employees[:10]
        self.approvers = people.verifiers
        self.counters: dict[str, int] = defaultdict(int)
        self.totals: dict[str, int] = defaultdict(int)
        self.timing: dict[str, float] = defaultdict(float)
        self.checked_plain = 0

    def log(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def run(self) -> dict[str, Any]:
        from django.db import transaction

        from hoshin.core.models import Counter
        from hoshin.support.models import Document

        if Document.objects.exists():
            raise SystemExit("The database already holds documents: use a fresh one.")
        started = time.perf_counter()
        span = DOC_SPAN_DAYS * 86400
        offsets = sorted((self.rng.uniform(0, span) for _ in range(self.count)), reverse=True)
        for start in range(0, self.count, self.batch):
            chunk = offsets[start : start + self.batch]
            with transaction.atomic():
                self._chunk(chunk)
            done = start + len(chunk)
            if done % (self.batch * 10) == 0 or done == self.count:
                self.log(f"  {done}/{self.count} documents ({time.perf_counter() - started:.0f} s)")
        with transaction.atomic():
            for key, value in self.counters.items():
                Counter.objects.update_or_create(key=key, defaults={"value": value})
        totals: dict[str, Any] = dict(self.totals)
        totals["text_mb"] = round(totals.pop("text_bytes", 0) / 1e6, 1)
        totals["body_mb"] = round(totals.pop("body_bytes", 0) / 1e6, 1)
        totals["seconds"] = round(time.perf_counter() - started, 1)
        totals["seconds_in"] = {k: round(v, 1) for k, v in self.timing.items()}
        return totals

    def _chunk(self, offsets: list[float]) -> None:
        from hoshin.core.models import TrailEvent
        from hoshin.support.models import Document, DocumentVersion

        t0 = time.perf_counter()
        plans = [self._plan(off) for off in offsets]
        t1 = time.perf_counter()
        docs = Document.objects.bulk_create([p["doc"] for p in plans], batch_size=250)
        t2 = time.perf_counter()
        versions: list[Any] = []
        access: list[Any] = []
        through = Document.access_people.through
        for plan, doc in zip(plans, docs, strict=True):
            assert doc.pk is not None
            for v in plan["versions"]:
                v.document_id = doc.pk
                versions.append(v)
            access += [through(document_id=doc.pk, user_id=u.pk) for u in plan["readers"]]
        insert_rows(DocumentVersion, versions)
        through.objects.bulk_create(access)
        t3 = time.perf_counter()
        events: list[Any] = []
        for plan in plans:
            events += self._events(plan)
        t4 = time.perf_counter()
        insert_rows(TrailEvent, events)
        t5 = time.perf_counter()
        self.timing["text"] += t1 - t0
        self.timing["insert_documents"] += t2 - t1
        self.timing["insert_versions"] += t3 - t2
        self.timing["trail_hash"] += t4 - t3
        self.timing["insert_trail"] += t5 - t4
        self.totals["documents"] += len(docs)
        self.totals["versions"] += len(versions)
        self.totals["trail_events"] += len(events)
        self.totals["confidential"] += sum(1 for p in plans if p["readers"])
        self.totals["text_bytes"] += sum(len(p["doc"].text.encode()) for p in plans)
        self.totals["body_bytes"] += sum(len(v.body.encode()) for v in versions)

    # --- the text ------------------------------------------------------------------
    def _sections(self, kind: str, title: str, terms: list[str]) -> list[Section]:
        rng = self.rng
        activity = rng.choice(ACTIVITIES)
        purpose = [
            f"This document describes how {activity} is planned, performed and recorded. "
            f"It covers {lower_first(title)}.",
            f"The aim is to {rng.choice(AIMS)}.",
            f"It applies to all {rng.choice(AREAS)} of the {rng.choice(SITES)[1].lower()}.",
        ]
        roles = rng.sample(ROLES, rng.randint(2, 5))
        table = [
            (r.capitalize(), f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(WHEN)}")
            for r in roles
        ]  # fmt: skip
        sections: list[Section] = [
            ("Purpose", [("p", [" ".join(purpose)])]),
            ("Responsibilities", [("table", table)]),
        ]
        if rng.random() < 0.4:
            defs = rng.sample(DEFINITIONS, rng.randint(2, 4))
            sections.append(("Definitions", [("ul", [f"{a}: {b}." for a, b in defs])]))
        steps: list[str] = []
        special = [
            rng.choice(TOPIC_SENTENCES).format(t=t) for t in terms for _ in range(rng.randint(1, 2))
        ]
        target = rng.randint(1500, 3900)
        size = sum(len(s) for s in purpose) + sum(len(a) + len(b) for a, b in table) + 400
        size += sum(len(s) + 3 for s in special)
        while size < target or len(steps) < 4:
            steps.append(_sentence(rng))
            size += len(steps[-1]) + 4
        procedure: list[tuple[str, list[Any]]] = [("ol", steps)]
        if rng.random() < 0.5:
            procedure.append(("note", [_sentence(rng)]))
        sections.append(("Procedure" if kind != "form" else "How to fill in the form", procedure))
        if special:
            rng.shuffle(special)
            sections.append(("Special requirements", [("p", [" ".join(special)])]))
        sections.append(("Records", [("ul", rng.sample(RECORD_ITEMS, rng.randint(2, 4)))]))
        sections.append(("References", [("ul", rng.sample(REFERENCE_ITEMS, rng.randint(1, 3)))]))
        return sections

    def _revise(self, sections: list[Section]) -> list[Section]:
        """The next version: one to three procedure steps replaced, added or removed."""
        rng = self.rng
        revised = [(h, [(k, list(items)) for k, items in blocks]) for h, blocks in sections]
        steps = next(items for _h, blocks in revised for k, items in blocks if k == "ol")
        for _i in range(rng.randint(1, 3)):
            move = rng.random()
            if move < 0.6:
                steps[rng.randrange(len(steps))] = _sentence(rng)
            elif move < 0.85 or len(steps) < 5:
                steps.insert(rng.randrange(len(steps) + 1), _sentence(rng))
            else:
                del steps[rng.randrange(len(steps))]
        return revised

    def _title(self, prefix: str, terms: list[str]) -> tuple[str, str]:
        """(title, issuer)"""
        rng = self.rng
        part, code = rng.choice(PARTS)
        term = terms[0] if terms and rng.random() < 0.3 else None
        if prefix == "EXT":
            return rng.choice(EXTERNAL_TITLES)
        if prefix == "POL":
            return rng.choice(
                ["Quality policy", "Environmental policy", "Health and safety policy"]
            ), ""
        if prefix == "QM":
            return "Quality manual", ""
        if prefix == "SCP":
            return f"Scope of the quality management system ({rng.choice(SITES)[1]})", ""
        if prefix == "QP":
            return rng.choice(ACTIVITIES).capitalize(), ""
        if prefix == "FRM":
            thing = term or rng.choice(OPERATIONS).lower()
            return f"{rng.choice(['Checklist', 'Form', 'Log sheet'])}: {thing} of {part} {code}", ""
        if prefix == "SPC":
            return f"Specification for {part} {code}" + (f": {term}" if term else ""), ""
        if prefix == "PLN":
            return f"Control plan for {part} {code}", ""
        if prefix == "REC":
            return (
                f"{rng.choice(OPERATIONS)} record {part} {code} lot L-{rng.randint(1, 9999):04d}",
                "",
            )
        what = term.capitalize() if term else rng.choice(OPERATIONS)
        return f"{what} of {part} {code} in the {rng.choice(AREAS).split()[0]} area", ""

    # --- one document --------------------------------------------------------------
    def _plan(self, offset: float) -> dict[str, Any]:
        from hoshin.core.dates import add_months, add_years
        from hoshin.support.models import (
            Confidentiality,
            Disposition,
            Document,
            DocumentVersion,
            VersionStatus,
        )

        rng = self.rng
        people = self.people
        dtype = rng.choices(self.types, self.type_weights)[0]
        prefix = dtype.prefix
        created_at = self.now - datetime.timedelta(seconds=offset)
        created_on = created_at.date()
        key = f"DOC-{prefix}"
        self.counters[key] += 1
        reference = f"{prefix}-{self.counters[key]:0{dtype.digits}d}"
        terms = [t for t, p in TOPIC_TERMS.items() if rng.random() < p]
        title, issuer = self._title(prefix, terms)
        owner = rng.choice(self.doc_owners)
        process = rng.choice(self.processes) if rng.random() < 0.8 else None
        confidential = rng.random() < 0.05
        doc = Document(
            reference=reference,
            title=title[:200],
            doc_type_id=dtype.pk,
            owner=owner,
            site=rng.choice(self.sites) if rng.random() < 0.9 else None,
            status=Document.DRAFT,
            created_by=owner if rng.random() < 0.7 else rng.choice(people.quality),
            created_at=created_at,
            process=process,
            description=f"How {rng.choice(ACTIVITIES)} is done for {lower_first(title)}.",
            issuer=issuer,
            confidentiality=Confidentiality.CONFIDENTIAL if confidential else (
                Confidentiality.PUBLIC if rng.random() < 0.1 else Confidentiality.INTERNAL),
            review_months=dtype.review_months,
            retention_years=dtype.retention_years,
            disposition=rng.choice([Disposition.KEEP, Disposition.ARCHIVE, Disposition.DESTROY])
            if dtype.retention_years else Disposition.KEEP,
        )  # fmt: skip
        create_changes = self._changes(doc, DOC_CREATE_FIELDS)
        age = (self.now - created_at).days
        never_in_force = (age < 60 and rng.random() < 0.5) or rng.random() < 0.015
        # Versions that took effect: older documents went through more of them.
        if never_in_force:
            n_effective = 0
        else:
            n_effective = min(1 + int(rng.expovariate(1 / (1.2 + 3.0 * age / DOC_SPAN_DAYS))), 8)
        working = "none"
        if never_in_force:
            working = rng.choice(["draft", "draft", "in_review"])
        elif rng.random() < 0.06:
            working = rng.choice(["draft", "draft", "in_review", "approved"])
        # Effective dates: the first a few days after creation, the others spread to today.
        first = created_on + datetime.timedelta(days=rng.randint(3, 40))
        first = min(first, self.today)
        room = max(1, (self.today - first).days)
        later = (
            first + datetime.timedelta(days=rng.randint(1, room)) for _ in range(n_effective - 1)
        )
        dates = [first, *sorted(min(d, self.today) for d in later)]
        sections = self._sections(dtype.kind, title, terms)
        version_list: list[Any] = []
        texts: list[str] = []
        in_force_events: list[dict[str, Any]] = []
        for i in range(n_effective + (0 if working == "none" else 1)):
            if i:
                sections = self._revise(sections)
            body, plain = render_sections(sections)
            if self.checked_plain < 3:  # the shortcut must give what the application computes
                from hoshin.support.markup import plain_text

                assert plain_text(body) == plain, (plain_text(body), plain)
                self.checked_plain += 1
            number = i + 1
            author = owner if rng.random() < 0.6 else rng.choice(self.authors)
            if i < n_effective:
                effective_on = dates[i]
                made = datetime.datetime.combine(
                    effective_on - datetime.timedelta(days=rng.randint(2, 20)),
                    datetime.time(rng.randint(7, 16), rng.randint(0, 59)),
                    tzinfo=datetime.UTC,
                )
                v_created = max(created_at + datetime.timedelta(minutes=5 * number), made)
                superseded = dates[i + 1] if i + 1 < n_effective else None
                status = VersionStatus.SUPERSEDED if superseded else VersionStatus.EFFECTIVE
                in_force_at = max(
                    v_created + datetime.timedelta(hours=1),
                    datetime.datetime.combine(effective_on, datetime.time(6), tzinfo=datetime.UTC),
                )
                approved_at = in_force_at - datetime.timedelta(minutes=rng.randint(1, 600))
                version = DocumentVersion(
                    number=number,
                    status=status,
                    change_reason="First issue" if i == 0 else rng.choice(CHANGE_REASONS),
                    body=body,
                    author=author,
                    effective_on=effective_on,
                    submitted_at=max(v_created, approved_at - datetime.timedelta(days=2)),
                    approved_at=max(v_created, approved_at),
                    superseded_on=superseded,
                    created_at=v_created,
                    version=5 if superseded else 4,
                )
                in_force_events.append(
                    {
                        "at": in_force_at,
                        "number": number,
                        "effective_on": effective_on,
                        "text": plain,
                    }
                )
            else:  # the version being worked on
                effective_on = None
                status = {
                    "draft": VersionStatus.DRAFT,
                    "in_review": VersionStatus.IN_REVIEW,
                    "approved": VersionStatus.APPROVED,
                }[working]
                if status == VersionStatus.APPROVED:  # taking effect later
                    effective_on = self.today + datetime.timedelta(days=rng.randint(3, 30))
                start = max(created_at, self.now - datetime.timedelta(days=30))
                version = DocumentVersion(
                    number=number,
                    status=status,
                    change_reason="First issue" if i == 0 else rng.choice(CHANGE_REASONS),
                    body=body,
                    author=author,
                    effective_on=effective_on,
                    submitted_at=None if status == VersionStatus.DRAFT else self.now,
                    approved_at=self.now if status == VersionStatus.APPROVED else None,
                    created_at=start + (self.now - start) * rng.random() * 0.5,
                    version={"draft": 1, "in_review": 2, "approved": 3}[working],
                )
            version_list.append(version)
            texts.append(plain)
        # The register entry follows its versions.
        if n_effective:
            doc.status = Document.EFFECTIVE
            doc.current_version = n_effective
            doc.effective_on = dates[-1]
            doc.text = texts[n_effective - 1]
            if dtype.review_months:
                due = add_months(dates[-1], dtype.review_months)
                while due < self.today and rng.random() < 0.93:  # reviewed on time, no change
                    doc.last_reviewed_on = due - datetime.timedelta(days=rng.randint(0, 20))
                    due = add_months(doc.last_reviewed_on, dtype.review_months)
                doc.due_date = due
            if working == "none":
                if dtype.is_record and rng.random() < 0.6 and age > 90:
                    doc.status = Document.CLOSED
                    doc.closed_on = min(
                        dates[-1] + datetime.timedelta(days=rng.randint(10, 200)), self.today
                    )
                    doc.due_date = None
                    if doc.retention_years is not None:
                        doc.retain_until = add_years(doc.closed_on, doc.retention_years)
                elif not dtype.is_record and rng.random() < 0.06 and age > 365:
                    doc.status = Document.OBSOLETE
                    doc.due_date = None
        else:
            doc.text = texts[0]
        doc.version = 1 + len(in_force_events) + (1 if doc.status in ("closed", "obsolete") else 0)
        readers = rng.sample(people.everyone, rng.randint(1, 3)) if confidential else []
        return {
            "doc": doc,
            "create_changes": create_changes,
            "versions": version_list,
            "in_force": in_force_events,
            "readers": readers,
        }

    def _changes(self, instance: Any, names: list[str] | None) -> dict[str, Any]:
        """What ``TrailedModel.save`` writes on create: status by its label, long texts
        as length and hash."""
        changes = field_changes(instance, names, self.labels)
        if "status" in changes:
            value = instance.status
            changes["status"]["after"] = DOC_STATUS_LABELS.get(value, value)
        for name in instance.trail_digest_fields:
            if name in changes:
                changes[name]["after"] = digest(getattr(instance, name))
        return changes

    def _events(self, plan: dict[str, Any]) -> list[Any]:

        doc = plan["doc"]
        label = f"{doc.reference} {doc.title}"
        items = [
            {"at": doc.created_at, "action": "create", "by": doc.created_by,
             "changes": plan["create_changes"], "message": ""},
        ]  # fmt: skip
        for v in plan["versions"]:
            changes = self._changes(v, VERSION_CREATE_FIELDS)
            changes["status"] = {"label": "status", "before": None, "after": "Draft"}
            changes["document"] = {"label": "document", "before": None, "after": label}
            items.append(
                {"at": v.created_at, "action": "create", "by": v.author, "changes": changes,
                 "message": f"Version {v.number}"}
            )  # fmt: skip
        previous: dict[str, Any] = {}
        for i, e in enumerate(plan["in_force"]):
            changes = {}
            if i == 0:
                changes["status"] = {"label": "status", "before": "Draft", "after": "Effective"}
            after = {
                "current_version": ("version", e["number"]),
                "effective_on": ("effective since", e["effective_on"].isoformat()),
                "text": ("text", digest(e["text"])),
            }
            for name, (field_label, value) in after.items():
                changes[name] = {"label": field_label, "before": previous.get(name), "after": value}
                previous[name] = value
            items.append(
                {"at": e["at"], "action": "transition" if i == 0 else "change",
                 "by": self.rng.choice(self.approvers), "changes": changes,
                 "message": f"Version {e['number']} in force"}
            )  # fmt: skip
        return chain_events(doc, self.doc_ct, items)


DOC_CREATE_FIELDS = [
    "reference", "title", "owner", "site", "status", "created_by", "created_at", "doc_type",
    "process", "description", "issuer", "confidentiality", "review_months", "retention_years",
    "disposition",
]  # fmt: skip
VERSION_CREATE_FIELDS = ["created_at", "number", "change_reason", "body", "author", "in_order"]
DOC_STATUS_LABELS = {"draft": "Draft", "effective": "Effective"}


def chain_events(record: Any, ct: Any, items: list[dict[str, Any]]) -> list[Any]:
    """The record's trail events in time order, hash-chained in its stream."""
    from hoshin.core.models import TrailEvent
    from hoshin.core.models.trail import GENESIS
    from hoshin.core.trail import jsonable, stream_for

    items.sort(key=lambda e: e["at"])
    stream = stream_for(record)
    prev = GENESIS
    events = []
    last_at = None
    for seq, item in enumerate(items, start=1):
        at = item["at"]
        if last_at is not None and at <= last_at:
            at = last_at + datetime.timedelta(microseconds=1)
        last_at = at
        event = TrailEvent(
            stream=stream,
            seq=seq,
            at=at,
            actor_id=item["by"].pk,
            actor_label=item["by"].username,
            action=item["action"],
            content_type_id=ct.pk,
            object_id=record.pk,
            reference=record.reference,
            changes=jsonable(item["changes"]),
            message=item["message"],
            prev_hash=prev,
        )
        event.hash = event.compute_hash()
        prev = event.hash
        events.append(event)
    return events


def insert_rows(model: Any, objects: list[Any], batch: int = 500) -> None:
    """``bulk_create`` without its per-field SQL compilation (a third of the generation
    time): one ``executemany`` per batch, values prepared by the fields themselves as
    Django would (dates, JSON, defaults, ``auto_now``). Primary keys are not read back."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            rows = [
                [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                for obj in objects[start : start + batch]
            ]
            cursor.executemany(sql, rows)


def lower_first(title: str) -> str:
    """ "Control plan for …" reads "for control plan for …"; "ISO 9001 …" stays."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def digest(text: str) -> str:
    data = text.encode()
    return f"{len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}"


# --- planning (ISO 9001 6.1-6.3, 9.1): KPIs with their figures, objectives, risks --------
PLANNING_SPAN_DAYS = 3 * 365
# The word the risk register's search box is benchmarked with: put into ~10 % of risks
# (their description, sometimes their title) and into no other risk text (a search word
# matches the words it begins, so no other word of the risk vocabulary starts with it).
RISK_SEARCH = "supplier"
RISK_SEARCH_SHARE = 0.10
# (title, unit, direction, mean, standard deviation, decimals)
KPI_VALUES = [
    ("On-time delivery", "%", "higher", 96.0, 1.5, 1),
    ("Customer complaints", "", "lower", 4.0, 1.5, 0),
    ("Scrap rate", "%", "lower", 1.8, 0.4, 2),
    ("Rework hours", "h", "lower", 40.0, 8.0, 0),
    ("Internal defects", "ppm", "lower", 850.0, 150.0, 0),
    ("Overall equipment effectiveness", "%", "higher", 72.0, 4.0, 1),
    ("Machine downtime", "h", "lower", 12.0, 3.0, 1),
    ("Order lead time", "days", "lower", 14.0, 2.0, 1),
    ("Cost of poor quality", "€", "lower", 25000.0, 5000.0, 0),
    ("Training hours per employee", "h", "higher", 3.5, 0.8, 1),
    ("Gauges past calibration date", "", "lower", 2.0, 1.0, 0),
    ("Energy per part", "kWh", "lower", 1.8, 0.2, 2),
    ("Inventory turns", "", "higher", 6.0, 0.6, 1),
    ("Audit findings closed on time", "%", "higher", 85.0, 6.0, 1),
    ("Customer satisfaction score", "", "higher", 8.1, 0.4, 1),
    ("Warranty returns", "ppm", "lower", 320.0, 60.0, 0),
    ("Setup time", "min", "lower", 45.0, 6.0, 0),
    ("Absenteeism", "%", "lower", 3.2, 0.6, 1),
    ("Purchased parts delivered on time", "%", "higher", 93.0, 2.5, 1),
    ("Order entry errors", "", "lower", 6.0, 2.0, 0),
]  # fmt: skip
# Proportions (p-chart): (title, direction, share of the total)
KPI_PROPORTIONS = [
    ("First-pass yield", "higher", 0.96),
    ("Orders shipped complete", "higher", 0.95),
    ("Inspection lots rejected", "lower", 0.03),
    ("Complaints answered within 5 days", "higher", 0.90),
    ("Late purchase orders", "lower", 0.08),
]
KPI_SOURCES = ["ERP report", "MES export", "Quality database", "Shift log", "Spreadsheet"]
KPI_NOTES = [
    "Machine breakdown in the second week.", "Includes the rework of one large order.",
    "Holiday period: fewer orders.", "New operator team on the night shift.",
    "Figure confirmed by the controller.",
]  # fmt: skip
RISK_HAZARDS = [
    "Loss of key operator skills", "Machine breakdown without spare parts",
    "Gauge drift not detected", "Raw material price increase",
    "Late change of the customer drawing", "Cyber attack on the ERP",
    "Flood in the warehouse", "Power outage during heat treatment",
    "Single-source component discontinued", "Labelling mix-up at packing",
    "Customer audit finding on traceability", "Regulation change on coatings",
    "Tool wear beyond its life", "Outdated work instruction in use",
    "Shortage of qualified welders", "Damage in transport",
    "Software update stops the test bench", "Contamination in the clean area",
    "Capacity overload in peak season", "Loss of the certification",
]  # fmt: skip
RISK_OPPORTUNITIES = [
    "Automate final inspection with vision", "New customer in the medical sector",
    "Lean cell layout in assembly", "Reuse of packaging with the main customer",
    "Energy recovery from the compressors", "Digital work instructions on tablets",
    "Second shift for painting", "Joint development with a key customer",
    "Predictive maintenance on the CNC machines", "Cross-training of operators",
]  # fmt: skip
RISK_CAUSES = [
    "Only one person knows the setting.", "No preventive maintenance plan for the machine.",
    "Calibration intervals set years ago.", "Market prices are volatile.",
    "Changes reach the shop floor by e-mail.", "Old operating system without updates.",
    "Storage area below the river level.", "No back-up generator.",
    "Retirements expected within two years.", "Peak orders in spring.",
]  # fmt: skip
RISK_CONSEQUENCES = [
    "Late deliveries to customers.", "Parts out of tolerance reach the customer.",
    "Production stops for several days.", "Higher cost of goods sold.",
    "Complaints and possible loss of the customer.", "Recall of shipped lots.",
    "Overtime and rework.", "Findings at the next certification audit.",
]  # fmt: skip
RISK_SENTENCES = [
    "It was raised at the last management review.",
    "The process owner rated it with the team.",
    "Similar events happened at another plant of the group.",
    "The customer asked about it during the last visit.",
    "It affects the main product families.",
    "Insurance covers part of the damage only.",
]
SUPPLIER_SENTENCES = [
    "The only approved supplier of the {part} cannot deliver for weeks.",
    "A supplier audit found weak controls for the {part}.",
    "Parts from the supplier of the {part} arrive without certificates.",
]
TREATMENT_PLANS = {
    "avoid": "Stop using the process step; redesign the route.",
    "reduce": "Add a check and train the team; monitor the rating monthly.",
    "transfer": "Cover the loss by insurance and contract terms.",
    "accept": "Accepted by the process owner; watched at each review.",
    "exploit": "Make it happen: budget and project approved.",
    "enhance": "Increase the chance with a pilot in one cell.",
    "share": "Share the effort with a partner.",
}
TREATMENT_ACTIONS = [
    "Write the setting into the work instruction", "Buy critical spare parts",
    "Shorten the calibration interval", "Agree price clauses in the contract",
    "Train a second operator", "Install a back-up of the server",
    "Move the stock to the upper racks", "Run a pilot in one cell",
]  # fmt: skip
# (max age in days, {state: weight}): older risks went further through the workflow.
RISK_STATE_WEIGHTS = [
    (30, {"identified": 45, "assessed": 30, "treatment_planned": 20, "treated": 5}),
    (180, {"identified": 10, "assessed": 20, "treatment_planned": 35, "treated": 20,
           "reviewed": 10, "closed": 5}),
    (10**6, {"identified": 2, "assessed": 8, "treatment_planned": 15, "treated": 15,
             "reviewed": 45, "closed": 15}),
]  # fmt: skip
RISK_STEPS = ["assessed", "treatment_planned", "treated", "reviewed"]
OBJECTIVE_STATE_WEIGHTS = {
    "approved": 80, "draft": 6, "achieved": 7, "not_achieved": 4, "cancelled": 3,
}  # fmt: skip
OBJECTIVE_TITLES = [
    "Raise on-time delivery", "Halve customer complaints", "Cut scrap in machining",
    "Shorten order lead time", "Improve first-pass yield", "Lower the cost of poor quality",
    "Train every operator on the new checks", "Improve supplier delivery performance",
    "Reduce energy per part", "Close audit findings on time",
]  # fmt: skip


class PlanningGenerator:
    """KPIs with their figures, quality objectives and a risk register, written as
    ``Record.save`` and the workflows would have left them (see bench/README.md).

    * ``kpis`` KPIs, all measured by hand and active: ~80 % monthly, 12 % weekly, 8 %
      quarterly; ~10 % proportions (count out of a total, p-chart). Each has ``periods``
      figures up to the last period due (6 % are one period behind: their figure is
      overdue), stable, drifting, shifted or with one outlier; targets and thresholds
      put about half on target. ``due_date`` as ``refresh_due_date`` sets it.
    * ``objectives`` objectives (default ~60, mostly approved), 2-3 KPIs each.
    * ``risks`` risks (85 %) and opportunities over 3 years, spread over processes,
      owners and the workflow's states by age; ratings and levels as ``Risk.save``
      computes them on the current ``RiskScale``; one ``RiskAssessment`` per rating
      change (at creation when rated, at assessment, at a re-rating, at the review);
      1-3 treatment actions when the treatment is not "accept".
    * The trail, chained per stream: the create event of each record; per KPI the
      create event of each figure (``Measurement`` writes into its KPI's stream); per
      objective the link of its KPIs and its transitions; per risk its transitions (the
      fields set at each step folded into the step's event) and the create events of
      its actions. Signatures (objective approval, risk review) are not generated.
    """

    def __init__(
        self,
        people: People,
        processes: list[Any],
        sites: list[Any],
        labels: dict[tuple[str, int], str],
        kpis: int = 500,
        periods: int = 36,
        risks: int = 50000,
        objectives: int | None = None,
        seed: int = 1,
        batch: int = 2000,
        quiet: bool = False,
    ) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from hoshin.core.models import Action
        from hoshin.planning.models import Kpi, Objective, Risk, RiskScale

        self.people = people
        self.processes = processes
        self.sites = sites
        self.labels = dict(labels)
        self.n_kpis = kpis
        self.n_periods = periods
        self.n_risks = risks
        self.n_objectives = objectives if objectives is not None else max(1, round(kpis * 0.12))
        self.rng = random.Random(seed * 104729 + 29)  # independent of the other registers
        self.batch = batch
        self.quiet = quiet
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.scale = RiskScale.current()
        self.cts = {m: ContentType.objects.get_for_model(m) for m in (Kpi, Objective, Risk)}
        self.action_ct = ContentType.objects.get_for_model(Action)
        for ct in self.cts.values():
            self.labels[("contenttypes.contenttype", ct.pk)] = str(ct)
        self.counters: dict[str, int] = defaultdict(int)
        self.totals: dict[str, int] = defaultdict(int)
        self.timing: dict[str, float] = defaultdict(float)

    def log(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def run(self) -> dict[str, Any]:
        from django.db import transaction

        from hoshin.core.models import Counter
        from hoshin.planning.models import Kpi, Risk

        if Kpi.objects.exists() or Risk.objects.exists():
            raise SystemExit("The database already holds KPIs or risks: use a fresh one.")
        started = time.perf_counter()
        with transaction.atomic():
            kpis = self._kpis()
        self.log(f"  {len(kpis)} KPIs ({time.perf_counter() - started:.0f} s)")
        with transaction.atomic():
            self._objectives(kpis)
        span = PLANNING_SPAN_DAYS * 86400
        offsets = sorted((self.rng.uniform(0, span) for _ in range(self.n_risks)), reverse=True)
        for start in range(0, self.n_risks, self.batch):
            chunk = offsets[start : start + self.batch]
            with transaction.atomic():
                self._risk_chunk(chunk)
            done = start + len(chunk)
            if done % (self.batch * 5) == 0 or done == self.n_risks:
                self.log(f"  {done}/{self.n_risks} risks ({time.perf_counter() - started:.0f} s)")
        with transaction.atomic():
            for key, value in self.counters.items():
                Counter.objects.update_or_create(key=key, defaults={"value": value})
        totals: dict[str, Any] = dict(self.totals)
        totals["seconds"] = round(time.perf_counter() - started, 1)
        totals["seconds_in"] = {k: round(v, 1) for k, v in self.timing.items()}
        return totals

    # --- helpers ---------------------------------------------------------------------
    def _reference(self, prefix: str, at: datetime.datetime) -> str:
        """As ``Record.next_reference``: ``PREFIX-YYYY-NNNN`` per year of creation."""
        key = f"{prefix}-{at.year}"
        self.counters[key] += 1
        return f"{key}-{self.counters[key]:04d}"

    def _changes(
        self, instance: Any, names: list[str] | None, workflow: Any = None
    ) -> dict[str, Any]:
        """What ``TrailedModel.save`` writes: the status by its label, lists joined."""
        changes = field_changes(instance, names, self.labels)
        if workflow is not None and "status" in changes:
            changes["status"]["after"] = str(workflow.label(instance.status))
        for change in changes.values():
            if isinstance(change["after"], list):
                change["after"] = " / ".join(str(v) for v in change["after"])
        return changes

    def _chain(self, record: Any, ct: Any, items: list[dict[str, Any]]) -> list[Any]:
        return chain_events(record, ct, items)

    def _at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours time on ``day``, never in the future."""
        at = datetime.datetime.combine(
            day,
            datetime.time(self.rng.randint(7, 16), self.rng.randint(0, 59)),
            tzinfo=datetime.UTC,
        )
        return min(at, self.now - datetime.timedelta(minutes=self.rng.randint(5, 600)))

    # --- KPIs and their figures ---------------------------------------------------------
    def _kpis(self) -> list[Any]:
        from hoshin.planning.periods import Frequency

        rng = self.rng
        # Titles: each kind of indicator for a process, a site or a product (unique up
        # to 500 value KPIs and 125 proportions; numbered beyond).
        scopes = [p.name for p in self.processes] + [s.name for s in self.sites]
        scopes += [f"{part} {code}" for part, code in PARTS]
        combos: dict[bool, list[tuple[int, str]]] = {
            proportion: [(b, s) for b in range(len(bases)) for s in scopes]
            for proportion, bases in ((False, KPI_VALUES), (True, KPI_PROPORTIONS))
        }
        for pairs in combos.values():
            rng.shuffle(pairs)
        used = {False: 0, True: 0}
        kpis: list[Any] = []
        plans: list[dict[str, Any]] = []
        t0 = time.perf_counter()
        for i in range(self.n_kpis):
            proportion = rng.random() < 0.10
            frequency = rng.choices(
                [Frequency.MONTHLY, Frequency.WEEKLY, Frequency.QUARTERLY], [80, 12, 8]
            )[0]
            pairs = combos[proportion]
            base, scope = pairs[used[proportion] % len(pairs)]
            lap = used[proportion] // len(pairs)
            used[proportion] += 1
            suffix = f" ({lap + 1})" if lap else ""
            process = rng.choice(self.processes) if rng.random() < 0.8 else None
            owner = process.owner if process is not None else rng.choice(self.people.quality)
            share = 0.0
            mean_total = 0
            if proportion:
                name, direction, share = KPI_PROPORTIONS[base]
                unit, decimals = "%", 1
                mean_total = rng.choice([200, 500, 1000, 2000, 5000])
                sd = 100 * (share * (1 - share) / mean_total) ** 0.5 * 2
                mean = 100 * share
            else:
                name, unit, direction, mean, sd, decimals = KPI_VALUES[base]
                mean *= rng.uniform(0.8, 1.2)
                sd *= mean / KPI_VALUES[base][3]
            plans.append(
                self._kpi_plan(
                    f"{name}: {scope}{suffix}", unit, direction, mean, sd, decimals,
                    proportion, share, mean_total, frequency, process, owner,
                )
            )  # fmt: skip
            if len(plans) == 250 or i == self.n_kpis - 1:  # batches: memory stays flat
                self.timing["kpi_plan"] += time.perf_counter() - t0
                kpis += self._kpi_chunk(plans)
                plans = []
                t0 = time.perf_counter()
        return kpis

    def _kpi_chunk(self, plans: list[dict[str, Any]]) -> list[Any]:
        """Write a batch of KPIs, their figures and their trail."""
        from hoshin.core.models import TrailEvent
        from hoshin.planning import periods as P
        from hoshin.planning.models import Kpi, Measurement

        t0 = time.perf_counter()
        kpis = Kpi.objects.bulk_create([p["kpi"] for p in plans], batch_size=500)
        measurements: list[Any] = []
        events: list[Any] = []
        for plan, kpi in zip(plans, kpis, strict=True):
            self.labels[("planning.kpi", kpi.pk)] = str(kpi)
            for m in plan["measurements"]:
                m.kpi_id = kpi.pk
                measurements.append(m)
        insert_rows(Measurement, measurements)
        self.timing["kpi_insert"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for plan, kpi in zip(plans, kpis, strict=True):
            items = [
                {"at": kpi.created_at, "action": "create", "by": kpi.created_by,
                 "changes": plan["create_changes"], "message": ""},
            ]  # fmt: skip
            for m in plan["measurements"]:
                label = P.label(m.period, kpi.frequency)
                items.append(
                    {"at": m.created_at, "action": "create", "by": plan["entered_by"],
                     "changes": self._changes(m, None), "message": f"Measurement {label}"}
                )  # fmt: skip
            events += self._chain(kpi, self.cts[Kpi], items)
        self.timing["kpi_trail_hash"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        insert_rows(TrailEvent, events)
        self.timing["kpi_trail_insert"] += time.perf_counter() - t0
        self.totals["kpis"] += len(kpis)
        self.totals["measurements"] += len(measurements)
        self.totals["trail_events"] += len(events)
        return kpis

    def _kpi_plan(
        self, title: str, unit: str, direction: str, mean: float, sd: float,
        decimals: int, proportion: bool, share: float, mean_total: int, frequency: str,
        process: Any, owner: Any,
    ) -> dict[str, Any]:  # fmt: skip
        from hoshin.planning import periods as P
        from hoshin.planning.models import Kpi, KpiKind, Measurement
        from hoshin.planning.models.kpi import GRACE_DAYS
        from hoshin.planning.workflow import KPI_WORKFLOW

        rng = self.rng
        q = Decimal(1).scaleb(-decimals)
        higher = direction == "higher"
        worse = -1.0 if higher else 1.0
        # Thresholds from the target towards worse values; the target where the series
        # sits puts about half of the KPIs on target.
        target = mean + worse * sd * rng.uniform(-0.4, 1.0)
        amber = red = None
        if rng.random() < 0.9:
            amber = target + worse * sd * rng.uniform(0.5, 1.2)
            if rng.random() < 0.6:
                red = amber + worse * sd * rng.uniform(0.5, 1.2)
        if proportion:  # a percentage
            target = min(max(target, 0.0), 100.0)
            amber = None if amber is None else min(max(amber, 0.0), 100.0)
            red = None if red is None else min(max(red, 0.0), 100.0)
        # The last period due (one behind for 6 %: that figure is overdue).
        last = P.last_complete(self.today - datetime.timedelta(days=GRACE_DAYS), frequency)
        if rng.random() < 0.06:
            last = P.following(last, frequency, -1)
        starts = [P.following(last, frequency, -k) for k in range(self.n_periods - 1, -1, -1)]
        created_on = starts[0] - datetime.timedelta(days=rng.randint(1, 30))
        created_at = self._at(created_on)
        pattern = rng.choices(["stable", "drift", "shift", "outlier"], [70, 15, 10, 5])[0]
        n = len(starts)
        entered_by = owner if rng.random() < 0.8 else rng.choice(self.people.quality)
        kpi = Kpi(
            reference=self._reference("KPI", created_at),
            title=title[:200],
            description=f"{title.split(': ')[0]}: counted from the {rng.choice(KPI_SOURCES).lower()} "
            f"for {frequency} periods.",
            unit=unit,
            direction=direction,
            kind=KpiKind.PROPORTION if proportion else KpiKind.VALUE,
            target=Decimal(target).quantize(q),
            amber=None if amber is None else Decimal(amber).quantize(q),
            red=None if red is None else Decimal(red).quantize(q),
            frequency=frequency,
            data_source=rng.choice(KPI_SOURCES),
            automatic="",
            process=process,
            decimals=decimals,
            owner=owner,
            site=rng.choice(self.sites) if rng.random() < 0.7 else None,
            status=KPI_WORKFLOW.initial,
            created_by=owner if rng.random() < 0.6 else rng.choice(self.people.quality),
            created_at=created_at,
            version=1,
        )  # fmt: skip
        # Kpi.save on create: the first figure falls due (the last period complete on the
        # day it was created, plus the grace); each figure's save then moves it on.
        first = P.last_complete(created_on, frequency)
        kpi.due_date = P.end_of(first, frequency) + datetime.timedelta(days=GRACE_DAYS)
        create_changes = self._changes(kpi, None, KPI_WORKFLOW)
        kpi.due_date = kpi.next_due(starts[-1]) if starts else None
        measurements = []
        outlier_at = rng.randrange(n) if n else 0
        for k, start in enumerate(starts):
            effect = 0.0
            if pattern == "drift":
                effect = worse * sd * 1.5 * max(0, k - (n - 12)) / 12
            elif pattern == "shift" and k >= n - 8:
                effect = worse * sd * 1.5
            elif pattern == "outlier" and k == outlier_at:
                effect = worse * sd * 3.5
            numerator = denominator = None
            if proportion:
                total = max(20, int(mean_total * rng.uniform(0.8, 1.2)))
                p = min(max(share + effect / 100 / 2, 0.0), 1.0)
                counted = round(total * p + rng.gauss(0, (total * p * (1 - p)) ** 0.5))
                counted = min(max(counted, 0), total)
                numerator, denominator = Decimal(counted), Decimal(total)
                value = (numerator / denominator * 100).quantize(Decimal("0.000001"))
            else:
                value = Decimal(max(0.0, mean + effect + rng.gauss(0, sd))).quantize(q)
            end = P.end_of(start, frequency)
            made = self._at(end + datetime.timedelta(days=rng.randint(1, GRACE_DAYS - 1)))
            measurements.append(
                Measurement(
                    period=start,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    note=rng.choice(KPI_NOTES) if rng.random() < 0.05 else "",
                    source=rng.choices(["manual", "import", "api"], [70, 20, 10])[0],
                    entered_by=entered_by,
                    created_at=max(made, created_at + datetime.timedelta(minutes=k + 1)),
                    version=1,
                )
            )
        return {
            "kpi": kpi,
            "create_changes": create_changes,
            "measurements": measurements,
            "entered_by": entered_by,
        }

    # --- objectives ------------------------------------------------------------------
    def _objectives(self, kpis: list[Any]) -> None:
        from hoshin.core.models import TrailEvent
        from hoshin.planning.models import Objective, ObjectiveLevel, PolicyCommitment
        from hoshin.planning.workflow import OBJECTIVE_WORKFLOW

        rng = self.rng
        t0 = time.perf_counter()
        plans = []
        ceo = next(u for u in self.people.everyone if u.username == "ceo")
        for _i in range(self.n_objectives):
            state = rng.choices(
                list(OBJECTIVE_STATE_WEIGHTS), list(OBJECTIVE_STATE_WEIGHTS.values())
            )[0]
            created_at = self.now - datetime.timedelta(days=rng.uniform(30, 540))
            process = rng.choice(self.processes) if rng.random() < 0.6 else None
            owner = process.owner if process is not None else rng.choice(self.people.quality)
            what = rng.choice(OBJECTIVE_TITLES)
            objective = Objective(
                reference=self._reference("OBJ", created_at),
                title=f"{what}{f' in {process.name.lower()}' if process else ''} by "
                f"{rng.randint(10, 50)} %",
                description=f"{what} through the actions of the yearly plan.",
                resources="Team time, budget of the improvement plan.",
                evaluation="The linked KPIs against their targets, every month.",
                level=ObjectiveLevel.PROCESS if process else ObjectiveLevel.ORGANISATION,
                process=process,
                commitments=rng.sample(PolicyCommitment.values, rng.randint(1, 3)),
                owner=owner,
                site=None,
                status="draft",
                due_date=(created_at + datetime.timedelta(days=rng.randint(200, 700))).date(),
                created_by=rng.choice(self.people.quality),
                created_at=created_at,
            )
            linked = rng.sample(kpis, min(len(kpis), rng.randint(2, 3)))
            create_changes = self._changes(objective, None, OBJECTIVE_WORKFLOW)
            link_at = created_at + datetime.timedelta(minutes=rng.randint(2, 60))
            items: list[dict[str, Any]] = [
                {"at": created_at, "action": "create", "by": objective.created_by,
                 "changes": create_changes, "message": ""},
                {"at": link_at, "action": "change", "by": objective.created_by,
                 "changes": {"kpis": {"label": "KPIs", "before": None,
                                      "after": ", ".join(sorted(str(k) for k in linked))}},
                 "message": ""},
            ]  # fmt: skip
            if state != "draft" and not (state == "cancelled" and rng.random() < 0.5):
                approved = link_at + datetime.timedelta(days=rng.uniform(1, 20))
                items.append(
                    self._transition(objective, "approved", approved, ceo, OBJECTIVE_WORKFLOW)
                )
            if state in ("achieved", "not_achieved", "cancelled"):
                end = min(
                    self.now - datetime.timedelta(hours=1),
                    items[-1]["at"] + datetime.timedelta(days=rng.uniform(30, 300)),
                )
                fields: dict[str, Any] = {}
                message = ""
                if state == "cancelled":
                    message = "Replaced by a new objective."
                else:
                    fields["outcome_notes"] = (
                        "Target reached for three months running." if state == "achieved"
                        else "Target missed: carried into next year's plan."
                    )  # fmt: skip
                items.append(
                    self._transition(
                        objective, state, end, owner, OBJECTIVE_WORKFLOW, fields, message
                    )
                )
            objective.version = len(items) - 1  # each transition's save bumps it (not the link)
            plans.append((objective, linked, items))
        objectives = Objective.objects.bulk_create([p[0] for p in plans])
        through = Objective.kpis.through
        links = [
            through(objective_id=o.pk, kpi_id=k.pk)
            for o, (_o, linked, _items) in zip(objectives, plans, strict=True)
            for k in linked
        ]
        through.objects.bulk_create(links)
        events: list[Any] = []
        for objective, (_o, _linked, items) in zip(objectives, plans, strict=True):
            events += self._chain(objective, self.cts[Objective], items)
        insert_rows(TrailEvent, events)
        self.timing["objectives"] += time.perf_counter() - t0
        self.totals["objectives"] = len(objectives)
        self.totals["objective_kpi_links"] = len(links)
        self.totals["trail_events"] += len(events)

    def _transition(
        self, record: Any, state: str, at: datetime.datetime, by: Any, workflow: Any,
        fields: dict[str, Any] | None = None, message: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        """A transition event: the status and the fields set with it (applied to record)."""
        before = str(workflow.label(record.status))
        for name, value in (fields or {}).items():
            setattr(record, name, value)
        changes = self._changes(record, list(fields or {}))
        for name, value in (fields or {}).items():  # fields cleared (e.g. the next review)
            if value is None:
                changes[name] = {"label": _label(record, name), "before": None, "after": None}
        record.status = state
        changes["status"] = {
            "label": "status",
            "before": before,
            "after": str(workflow.label(state)),
        }
        return {"at": at, "action": "transition", "by": by, "changes": changes, "message": message}

    # --- risks -----------------------------------------------------------------------
    def _risk_chunk(self, offsets: list[float]) -> None:
        from hoshin.core.models import Action, TrailEvent
        from hoshin.planning.models import Risk, RiskAssessment

        t0 = time.perf_counter()
        plans = [self._risk_plan(off) for off in offsets]
        t1 = time.perf_counter()
        risks = Risk.objects.bulk_create([p["risk"] for p in plans], batch_size=500)
        t2 = time.perf_counter()
        assessments: list[Any] = []
        actions: list[Any] = []
        for plan, risk in zip(plans, risks, strict=True):
            assert risk.pk is not None
            for a in plan["assessments"]:
                a.risk_id = risk.pk
                assessments.append(a)
            for a in plan["actions"]:
                a.object_id = risk.pk
                actions.append(a)
        insert_rows(RiskAssessment, assessments)
        insert_rows(Action, actions)
        t3 = time.perf_counter()
        events: list[Any] = []
        ct = self.cts[Risk]
        for plan, risk in zip(plans, risks, strict=True):
            for a in plan["actions"]:
                plan["items"].append(
                    {"at": a.created_at, "action": "create", "by": plan["actor"],
                     "changes": self._changes(a, None),
                     "message": f"Action: {a.description[:120]}"}
                )  # fmt: skip
            events += self._chain(risk, ct, plan["items"])
        t4 = time.perf_counter()
        insert_rows(TrailEvent, events)
        t5 = time.perf_counter()
        self.timing["risk_plan"] += t1 - t0
        self.timing["risk_insert"] += t2 - t1
        self.timing["risk_children_insert"] += t3 - t2
        self.timing["risk_trail_hash"] += t4 - t3
        self.timing["risk_trail_insert"] += t5 - t4
        self.totals["risks"] += len(risks)
        self.totals["risk_assessments"] += len(assessments)
        self.totals["treatment_actions"] += len(actions)
        self.totals["trail_events"] += len(events)

    def _rate(self) -> tuple[int, int]:
        weights = [10, 25, 35, 20, 10][: self.scale.size] + [5] * max(0, self.scale.size - 5)
        points = list(range(1, self.scale.size + 1))
        return self.rng.choices(points, weights)[0], self.rng.choices(points, weights)[0]

    def _risk_plan(self, offset: float) -> dict[str, Any]:
        from hoshin.core.dates import add_months
        from hoshin.core.models import Action, ActionStatus
        from hoshin.planning.models import Risk, RiskAssessment, RiskKind, RiskSource
        from hoshin.planning.models.risk import TREATMENTS
        from hoshin.planning.workflow import REVIEW_MONTHS, RISK_WORKFLOW

        rng = self.rng
        people = self.people
        wf = RISK_WORKFLOW
        scale = self.scale
        created_at = self.now - datetime.timedelta(seconds=offset)
        age = (self.now - created_at).days
        weights = next(w for limit, w in RISK_STATE_WEIGHTS if age < limit)
        state = rng.choices(list(weights), list(weights.values()))[0]
        reached = state
        if state == "closed":  # closed from whichever state it had reached
            reached = rng.choices(["identified", "assessed", "treatment_planned", "treated",
                                   "reviewed"], [10, 20, 10, 10, 50])[0]  # fmt: skip
        path = [] if reached == "identified" else RISK_STEPS[: RISK_STEPS.index(reached) + 1]
        kind = RiskKind.OPPORTUNITY if rng.random() < 0.15 else RiskKind.RISK
        process = rng.choice(self.processes) if rng.random() < 0.85 else None
        owner = process.owner if process is not None else rng.choice(people.quality)
        part, code = rng.choice(PARTS)
        what = rng.choice(RISK_OPPORTUNITIES if kind == RiskKind.OPPORTUNITY else RISK_HAZARDS)
        sentences = [f"{what} at {process.name.lower() if process else 'the plant'}."]
        title = f"{what}: {part} {code}" if rng.random() < 0.5 else what
        if process is not None and rng.random() < 0.5:
            title = f"{what} ({process.name})"
        if rng.random() < RISK_SEARCH_SHARE:
            sentences.append(rng.choice(SUPPLIER_SENTENCES).format(part=part))
            if rng.random() < 0.3:
                title = f"{RISK_SEARCH.capitalize()} of the {part}: {what.lower()}"
        sentences += rng.sample(RISK_SENTENCES, rng.randint(1, 3))
        creator = owner if rng.random() < 0.6 else rng.choice(people.employees + people.quality)
        rated_at_creation = rng.random() < 0.5
        risk = Risk(
            reference=self._reference("RSK", created_at),
            kind=kind,
            title=title[:200],
            description=" ".join(sentences),
            cause=rng.choice(RISK_CAUSES),
            consequence=rng.choice(RISK_CONSEQUENCES),
            source=rng.choices(RiskSource.values, [20, 10, 45, 10, 10, 5])[0],
            process=process,
            owner=owner,
            site=rng.choice(self.sites) if rng.random() < 0.9 else None,
            status=wf.initial,
            created_by=creator,
            created_at=created_at,
        )
        assessments: list[Any] = []

        def assess(at: datetime.datetime, by: Any, residual: bool = False) -> dict[str, Any]:
            """New ratings (inherent, or residual), as Risk.save computes them, and their
            snapshot; the changed fields for the trail."""
            names: list[str]
            if residual:
                il, ii = risk.inherent_likelihood, risk.inherent_impact
                risk.residual_likelihood = max(1, il - rng.randint(0, 2))
                risk.residual_impact = max(1, ii - rng.randint(0, 1))
                risk.residual_rating = risk.residual_likelihood * risk.residual_impact
                risk.residual_level = scale.level(risk.residual_rating)
                names = [
                    "residual_likelihood",
                    "residual_impact",
                    "residual_rating",
                    "residual_level",
                ]
            else:
                risk.inherent_likelihood, risk.inherent_impact = self._rate()
                risk.inherent_rating = risk.inherent_likelihood * risk.inherent_impact
                risk.inherent_level = scale.level(risk.inherent_rating)
                names = [
                    "inherent_likelihood",
                    "inherent_impact",
                    "inherent_rating",
                    "inherent_level",
                ]
            assessments.append(
                RiskAssessment(
                    at=at, assessed_by=by, created_at=at, version=1,
                    inherent_rating=risk.inherent_rating, residual_rating=risk.residual_rating,
                    inherent_likelihood=risk.inherent_likelihood,
                    inherent_impact=risk.inherent_impact,
                    residual_likelihood=risk.residual_likelihood,
                    residual_impact=risk.residual_impact,
                )
            )  # fmt: skip
            return {n: getattr(risk, n) for n in names}

        if rated_at_creation:
            assess(created_at, creator)
        create_changes = self._changes(risk, None, wf)
        # Times of the steps after creation (and a close), not in the future.
        room = max((self.now - created_at).total_seconds() - 120, 120)
        n_times = len(path) + (1 if state == "closed" else 0) + 1
        times = sorted(
            created_at + datetime.timedelta(seconds=rng.uniform(60, min(room, 400 * 86400)))
            for _ in range(n_times)
        )
        items = [
            {"at": created_at, "action": "create", "by": creator, "changes": create_changes,
             "message": ""},
        ]  # fmt: skip
        actions: list[Any] = []
        keeper = owner
        previous = created_at
        for step, at in zip(path, times, strict=False):
            day = at.date()
            fields: dict[str, Any] = {}
            if step == "assessed":
                if risk.inherent_likelihood is None:
                    fields.update(assess(at, keeper))
                fields["due_date"] = day + datetime.timedelta(days=rng.randint(90, 365))
            elif step == "treatment_planned":
                if rng.random() < 0.25:  # re-rated before planning the treatment
                    rerated = previous + (at - previous) * rng.uniform(0.3, 0.9)
                    old = {n: getattr(risk, n) for n in RATING_NAMES}
                    new = assess(rerated, keeper)
                    changes = {
                        n: {"label": _label(risk, n), "before": old[n], "after": v}
                        for n, v in new.items()
                        if old[n] != v
                    }
                    items.append(
                        {"at": rerated, "action": "change", "by": keeper,
                         "changes": self._label_levels(changes), "message": "New information."}
                    )  # fmt: skip
                treatment = rng.choices(TREATMENTS[RiskKind(kind)], [15, 60, 10, 15])[0]
                fields["treatment"] = treatment
                fields["treatment_plan"] = TREATMENT_PLANS[str(treatment)]
                if treatment != "accept":
                    for _i in range(rng.choices([1, 2, 3], [55, 35, 10])[0]):
                        actions.append(
                            Action(
                                content_type_id=self.cts[Risk].pk,
                                description=rng.choice(TREATMENT_ACTIONS),
                                owner=rng.choice([owner, *people.owners[:4], *people.employees[:6]]),
                                due_date=day + datetime.timedelta(days=rng.randint(14, 90)),
                                status=ActionStatus.OPEN,
                                kind="treatment",
                                created_at=at - datetime.timedelta(seconds=rng.randint(30, 3000)),
                                version=1,
                            )
                        )  # fmt: skip
            elif step == "treated":
                for a in actions:
                    a.status = ActionStatus.DONE
                    a.evidence = "Done; record filed with the risk."
                    a.completed_on = min(a.due_date, day)
            elif step == "reviewed":
                keeper = rng.choice([v for v in people.verifiers if v.pk != owner.pk])
                fields["effectiveness"] = rng.choices(
                    ["effective", "partly", "not_effective"], [70, 20, 10]
                )[0]
                fields["effectiveness_notes"] = "Checked at the review: see the actions."
                fields.update(assess(at, keeper, residual=True))
                fields["due_date"] = add_months(day, REVIEW_MONTHS)
            items.append(self._risk_step(risk, step, at, keeper, fields))
            keeper = owner
            previous = at
        if reached == "treatment_planned":
            for a in actions:
                a.status = rng.choice(
                    [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
                )
                if a.status == ActionStatus.DONE:
                    a.evidence = "Done; record filed with the risk."
                    a.completed_on = min(a.due_date, self.today)
        if state == "closed":
            at = times[len(path)]
            reason = rng.choice(["No longer relevant: the product was discontinued.",
                                 "Merged into a broader risk.", "Treated and retired at review."])  # fmt: skip
            items.append(
                self._risk_step(risk, "closed", at, owner,
                                {"closed_reason": reason, "due_date": None}, message=reason)
            )  # fmt: skip
        elif risk.due_date is None:
            risk.due_date = (created_at + datetime.timedelta(days=rng.randint(30, 120))).date()
            items.append(
                {"at": created_at + datetime.timedelta(seconds=30), "action": "change",
                 "by": creator, "changes": {"due_date": {"label": _label(risk, "due_date"),
                                                         "before": None,
                                                         "after": risk.due_date.isoformat()}},
                 "message": ""}
            )  # fmt: skip
        risk.version = len(items)
        return {
            "risk": risk,
            "items": items,
            "assessments": assessments,
            "actions": actions,
            "actor": owner,
        }

    def _label_levels(self, changes: dict[str, Any]) -> dict[str, Any]:
        for name in ("inherent_level", "residual_level"):
            if name in changes:
                for side in ("before", "after"):
                    value = changes[name][side]
                    changes[name][side] = _LEVEL_LABELS.get(value, value) if value else value
        return changes

    def _risk_step(
        self, risk: Any, state: str, at: datetime.datetime, by: Any, fields: dict[str, Any],
        message: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        """The transition event, with ``before`` values for fields already set."""
        from hoshin.planning.workflow import RISK_WORKFLOW

        before = {n: getattr(risk, n) for n in fields}
        event = self._transition(risk, state, at, by, RISK_WORKFLOW, fields, message)
        for name in fields:
            if name not in event["changes"]:
                continue
            if before[name] == getattr(risk, name):  # not a change
                del event["changes"][name]
            elif before[name] not in (None, ""):
                old = before[name]
                event["changes"][name]["before"] = (
                    _LEVEL_LABELS.get(old, old) if name.endswith("_level")
                    else old.isoformat() if isinstance(old, datetime.date) else old
                )  # fmt: skip
        return event


_LEVEL_LABELS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
RATING_NAMES = ["inherent_likelihood", "inherent_impact", "inherent_rating", "inherent_level"]


def _label(record: Any, name: str) -> str:
    return str(record._meta.get_field(name).verbose_name)


def generate(
    count: int,
    seed: int = 1,
    batch: int = 2000,
    quiet: bool = False,
    documents: int = 0,
    planning: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """People, ``count`` nonconformities, ``documents`` documents and, with ``planning``
    (``{"kpis": 500, "periods": 36, "risks": 50000}``, optionally ``"objectives"``),
    the planning registers; the totals of each (under ``"documents"``, ``"planning"``)."""
    nc = Generator(count, seed=seed, batch=batch, quiet=quiet)
    totals: dict[str, Any] = dict(nc.run())
    if documents:
        totals["documents"] = DocumentGenerator(
            documents, nc.people, nc.processes, nc.sites, nc.labels, seed=seed, quiet=quiet
        ).run()
    if planning:
        totals["planning"] = PlanningGenerator(
            nc.people, nc.processes, nc.sites, nc.labels, seed=seed, quiet=quiet, **planning
        ).run()
    # Rows were inserted in bulk, past Record.save: count the home page's tallies once.
    from hoshin.core import tally

    started = time.perf_counter()
    totals["tally_rows"] = tally.rebuild()
    totals["tally_seconds"] = round(time.perf_counter() - started, 1)
    return totals


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=0, help="number of nonconformities")
    parser.add_argument("--documents", type=int, default=0, help="number of documents")
    parser.add_argument(
        "--register",
        choices=["planning"],
        action="append",
        default=[],
        help="planning: also KPIs with figures, objectives and risks (--kpis, --periods, --risks)",
    )
    parser.add_argument("--kpis", type=int, default=500, help="planning: number of KPIs")
    parser.add_argument("--periods", type=int, default=36, help="planning: figures per KPI")
    parser.add_argument("--risks", type=int, default=50000, help="planning: number of risks")
    parser.add_argument(
        "--objectives", type=int, help="planning: number of objectives (default 12 %% of KPIs)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--migrate", action="store_true", help="run the migrations first")
    parser.add_argument("--verify", action="store_true", help="run verify-trail afterwards")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", verbosity=0, interactive=False)
    planning = None
    if "planning" in args.register:
        planning = {"kpis": args.kpis, "periods": args.periods, "risks": args.risks}
        if args.objectives is not None:
            planning["objectives"] = args.objectives
    totals = generate(
        args.count, seed=args.seed, batch=args.batch, documents=args.documents, planning=planning
    )
    docs = totals.pop("documents", {})
    plan = totals.pop("planning", {})
    print(" ".join(f"{k}={v}" for k, v in totals.items()))
    if docs:
        print("documents: " + " ".join(f"{k}={v}" for k, v in docs.items()))
    if plan:
        print("planning: " + " ".join(f"{k}={v}" for k, v in plan.items()))
    if args.verify:
        call_command("verify_trail")


if __name__ == "__main__":
    main()
