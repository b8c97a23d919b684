"""Generate a realistic data set fast: people, sites, processes, N nonconformities.

    python -m bench.generate --count 100000 [--seed 1] [--migrate]

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
import os
import random
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
def describe(field: Any, value: Any, labels: dict[tuple[str, int], str]) -> Any:
    if value is None or value == "":
        return value
    if field.is_relation and field.related_model is not None:
        return labels.get((field.related_model._meta.label_lower, value), value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


def field_changes(
    instance: Any, names: list[str] | None, labels: dict[tuple[str, int], str], before: Any = None
) -> dict[str, Any]:
    """``{field: {label, before, after}}`` for the non-empty fields (of ``names``)."""
    changes = {}
    for f in instance.tracked_fields():
        if names is not None and f.name not in names:
            continue
        value = getattr(instance, f.attname)
        if value in (None, "", [], {}):
            continue
        changes[f.name] = {
            "label": str(f.verbose_name),
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
        self.totals: dict[str, int] = defaultdict(int)

    def log(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def run(self) -> dict[str, int]:
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
        from hoshin.core.models import TrailEvent
        from hoshin.core.models.trail import GENESIS
        from hoshin.core.trail import jsonable, stream_for

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
        items.sort(key=lambda e: e["at"])
        stream = stream_for(nc)
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
                content_type_id=self.nc_ct.pk,
                object_id=nc.pk,
                reference=nc.reference,
                changes=jsonable(item["changes"]),
                message=item["message"],
                prev_hash=prev,
            )
            event.hash = event.compute_hash()
            prev = event.hash
            events.append(event)
        return events


def generate(count: int, seed: int = 1, batch: int = 2000, quiet: bool = False) -> dict[str, int]:
    return Generator(count, seed=seed, batch=batch, quiet=quiet).run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of nonconformities")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--migrate", action="store_true", help="run the migrations first")
    parser.add_argument("--verify", action="store_true", help="run verify-trail afterwards")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    if args.migrate:
        call_command("migrate", verbosity=0, interactive=False)
    totals = generate(args.count, seed=args.seed, batch=args.batch)
    print(" ".join(f"{k}={v}" for k, v in totals.items()))
    if args.verify:
        call_command("verify_trail")


if __name__ == "__main__":
    main()
