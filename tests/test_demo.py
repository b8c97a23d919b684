"""``hoshin demo``: the demo organisation loads once, through the workflow and the trail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hoshin.context.models import Process
from hoshin.core import roles, tally, trail
from hoshin.core.models import Action, Signature, User
from hoshin.improvement.models import CostItem, Nonconformity
from hoshin.improvement.workflow import WORKFLOW

PASSWORD = "demo-password-for-tests"
DEMO_ROLES = {
    "ceo": roles.TOP_MANAGEMENT,
    "quality": roles.QUALITY_MANAGER,
    "owner": roles.PROCESS_OWNER,
    "auditor": roles.INTERNAL_AUDITOR,
    "employee": roles.EMPLOYEE,
    "extaudit": roles.EXTERNAL_AUDITOR,
}


def run_demo(**options: object) -> str:
    out = StringIO()
    options.setdefault("nonconformities", 30)
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "processes": Process.objects.count(),
        "nonconformities": Nonconformity.objects.count(),
        "actions": Action.objects.count(),
        "costs": CostItem.objects.count(),
        "signatures": Signature.objects.count(),
        "trail": trail.TrailEvent.objects.count(),
    }


@pytest.mark.django_db
def test_demo_loads_a_believable_organisation_once() -> None:
    output = run_demo(password=PASSWORD)
    assert "Loaded the demo organisation" in output
    assert PASSWORD not in output

    for username, role in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert role in user.roles, username
        assert user.check_password(PASSWORD)
    assert User.objects.get(username="extaudit").access_expires_on is not None
    assert User.objects.count() >= 25
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert Process.objects.filter(owner__username="owner").count() >= 2

    ncs = Nonconformity.objects.all()
    assert 25 <= ncs.count() <= 35
    states = set(ncs.values_list("status", flat=True))
    assert states == {s.name for s in WORKFLOW.states}
    # Signed off by someone other than the owner; the employee raised some of them.
    nc_type = ContentType.objects.get_for_model(Nonconformity)
    for signature in Signature.objects.filter(content_type=nc_type, meaning="verified"):
        assert signature.signer.username in {"quality", "auditor"}
        assert signature.record.owner_id != signature.signer_id
    # A disposition is authorised by its authoriser's own signed step (issue 9).
    authorised = ncs.exclude(disposition_authorised_by=None)
    assert authorised.exists()
    for nc in authorised:
        signature = Signature.objects.for_record(nc).get(meaning="authorised")
        assert signature.signer_id == nc.disposition_authorised_by_id
    # Every signature of the demo still matches what it signed.
    from hoshin.core.signoff import mismatched_signatures

    assert mismatched_signatures() == []
    employee = User.objects.get(username="employee")
    assert Nonconformity.objects.visible_to(employee).exists()
    assert ncs.filter(status="void", void_reason__startswith="Duplicate").exists()
    closed = ncs.filter(status="closed")
    assert all(nc.verified_on and nc.verified_on <= nc.updated_at.date() for nc in closed)
    # Verified on the days the demo played, not the day it was loaded.
    verified = {nc.verified_on for nc in closed}
    assert len(verified) > 5 and min(d for d in verified if d) < timezone.localdate()
    assert all(nc.why_list() and nc.root_cause for nc in closed)

    checked, broken = trail.verify()
    assert checked > 0
    assert broken is None
    # The demo is made through the models: the home page's tallies followed every step.
    assert tally.mismatches() == []

    before = counts()
    again = run_demo(password="another-password")
    assert "Demo organisation already loaded" in again
    assert counts() == before
    assert User.objects.get(username="quality").check_password(PASSWORD)
    assert trail.verify() == (before["trail"], None)


@pytest.mark.django_db
def test_without_a_password_one_is_generated_and_printed_once(settings: object) -> None:
    settings.HOSHIN_DEMO_PASSWORD = ""  # type: ignore[attr-defined]
    output = run_demo(nonconformities=0)
    line = next(x for x in output.splitlines() if x.startswith("Demo password for"))
    assert line.startswith("Demo password for ceo, quality, owner, auditor, employee, extaudit: ")
    password = line.rsplit(": ", 1)[1]
    assert User.objects.get(username="ceo").check_password(password)
    assert "Demo password" not in run_demo()


# --- document control (hoshin.support.demo) ---------------------------------------
@pytest.fixture
def document_demo(db: object) -> None:
    run_demo(password=PASSWORD, nonconformities=0)


def test_demo_documents_cover_every_type_with_their_histories(document_demo: None) -> None:
    from collections import Counter

    from django.db.models import Count

    from hoshin.support.models import (
        Confidentiality,
        Document,
        DocumentType,
        DocumentVersion,
        VersionStatus,
    )

    docs = Document.objects.select_related("doc_type")
    assert docs.count() >= 40
    by_type = Counter(docs.values_list("doc_type__prefix", flat=True))
    assert set(by_type) == set(DocumentType.objects.values_list("prefix", flat=True))
    assert 12 <= by_type["QP"] <= 15
    assert by_type["WI"] >= 10
    assert by_type["FRM"] >= 3 and by_type["EXT"] >= 3 and by_type["REC"] >= 2
    by_status = Counter(docs.values_list("status", flat=True))
    assert by_status["effective"] >= 40
    assert by_status["draft"] >= 1
    assert by_status["obsolete"] == 1
    assert by_status["closed"] >= 1

    # Version histories: many documents went through several versions, each with a
    # reason and a changed text, signed by people other than its author.
    counted = docs.annotate(n=Count("versions"))
    assert counted.filter(n__gte=2).count() >= 25
    assert counted.filter(n__gte=4).exists()
    for version in DocumentVersion.objects.select_related("document"):
        assert version.change_reason
        if version.number > 1:
            before = version.document.versions.get(number=version.number - 1)
            assert version.body != before.body, version
        signatures = Signature.objects.for_record(version)
        assert version.author_id not in set(signatures.values_list("signer_id", flat=True))
        if version.status in (VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED):
            assert signatures.filter(meaning="approved").exists(), version
    # Effective dates spread over the last two to three years.
    days = sorted(DocumentVersion.objects.exclude(effective_on=None).values_list("effective_on"))
    assert (days[-1][0] - days[0][0]).days > 700

    # The quality policy and the scope are in force, with real content.
    policy = docs.get(doc_type__prefix="POL", title="Quality policy")
    assert policy.status == Document.EFFECTIVE
    assert policy.confidentiality == Confidentiality.PUBLIC
    in_force = policy.in_force()
    assert in_force is not None
    text = in_force.body.lower()
    for commitment in (
        "customer requirements",
        "applicable requirements",
        "continual improvement",
        "framework for quality objectives",
    ):
        assert commitment in text
    scope = docs.get(doc_type__prefix="SCP")
    assert scope.status == Document.EFFECTIVE
    scope_text = scope.text.lower()
    for words in ("galway", "limerick", "pune", "medical", "aerospace", "automotive"):
        assert words in scope_text
    assert "does not apply" in scope_text or "do not apply" in scope_text
    assert docs.filter(doc_type__prefix="QM", status=Document.EFFECTIVE).exists()

    # Two confidential documents, for named people only; the employee sees neither.
    confidential = docs.filter(confidentiality=Confidentiality.CONFIDENTIAL)
    assert confidential.count() == 2
    assert all(d.access_people.exists() for d in confidential)
    employee = User.objects.get(username="employee")
    assert not Document.objects.visible_to(employee).filter(pk__in=confidential).exists()
    assert Document.objects.visible_to(employee).filter(doc_type__prefix="WI").exists()

    # External documents name their issuer; records have retention and disposition.
    for doc in docs.filter(doc_type__prefix="EXT"):
        assert doc.issuer and doc.review_months in (0, 12), doc
    for doc in docs.filter(doc_type__prefix="REC"):
        assert doc.retention_years and doc.disposition, doc
    for doc in docs.filter(status=Document.CLOSED):
        assert doc.closed_on and doc.retain_until and doc.retain_until > doc.closed_on

    checked, broken = trail.verify()
    assert checked > 0
    assert broken is None


def test_demo_documents_leave_work_to_sign_read_and_review(document_demo: None) -> None:
    from django.utils import timezone

    from hoshin.core import reading, signoff
    from hoshin.core.models import ReadRequest
    from hoshin.support.models import (
        Document,
        DocumentReview,
        DocumentVersion,
        ReviewOutcome,
        VersionStatus,
    )

    today = timezone.localdate()
    versions = DocumentVersion.objects.all()
    assert 3 <= versions.filter(status=VersionStatus.IN_REVIEW).count() <= 5
    assert versions.filter(status=VersionStatus.DRAFT).count() == 2
    future = versions.get(status=VersionStatus.APPROVED)
    assert future.effective_on is not None and future.effective_on > today
    # Logging in as the quality manager or the CEO shows something to sign.
    for username in ("quality", "ceo"):
        user = User.objects.get(username=username)
        assert signoff.records_awaiting(user, DocumentVersion).exists(), username

    overdue = Document.objects.overdue(today)
    assert 2 <= overdue.count() <= 3
    assert all(d.status == Document.EFFECTIVE for d in overdue)
    assert DocumentReview.objects.filter(outcome=ReviewOutcome.NO_CHANGE).exists()
    assert DocumentReview.objects.filter(outcome=ReviewOutcome.REVISE).exists()

    # Read and understood: most confirmed, not all.
    asked = ReadRequest.objects.filter(content_type=DocumentVersion.content_type())
    done = asked.filter(acknowledged_at__isnull=False).count()
    assert 0.55 <= done / asked.count() <= 0.8
    employee = User.objects.get(username="employee")
    in_force = versions.filter(status=VersionStatus.EFFECTIVE).values("pk")
    to_read = reading.outstanding_for(employee).filter(
        content_type=DocumentVersion.content_type(), object_id__in=in_force
    )
    assert to_read.count() >= 2
    assert asked.filter(person=employee, acknowledged_at__isnull=False).count() >= 2


# --- planning (hoshin.planning.demo) -------------------------------------------------
def test_demo_risks_and_change_plans(document_demo: None) -> None:
    import datetime
    from collections import Counter

    from django.utils import timezone

    from hoshin.planning.models import ChangePlan, Risk, RiskAssessment, RiskScale
    from hoshin.planning.workflow import RISK_WORKFLOW

    today = timezone.localdate()
    risks = Risk.objects.select_related("process")
    kinds = Counter(risks.values_list("kind", flat=True))
    assert 16 <= kinds["risk"] <= 20 and 5 <= kinds["opportunity"] <= 9
    by_state = Counter(risks.values_list("status", flat=True))
    assert set(by_state) == {s.name for s in RISK_WORKFLOW.states}
    assert 1 <= by_state["closed"] <= 2
    assert all(r.closed_reason and r.due_date is None for r in risks.filter(status="closed"))
    assert len({r.process_id for r in risks if r.process_id}) >= 10

    # The heat map has colour in every level; a couple of risks are critical.
    scale = RiskScale.current()
    open_risks = risks.exclude(status="closed")
    levels = Counter(open_risks.exclude(inherent_level="").values_list("inherent_level", flat=True))
    assert set(levels) == {"low", "medium", "high", "critical"}
    assert 2 <= levels["critical"] <= 3
    assert open_risks.filter(inherent_rating__isnull=True, status="identified").exists()

    def actions(risk: Risk) -> list[Action]:
        return list(risk.actions().filter(kind="treatment"))

    # Planned treatments wait on open actions, some overdue; treated ones have none open.
    planned = risks.filter(status="treatment_planned")
    assert all(any(a.is_open for a in actions(r)) for r in planned)
    assert any(a.is_overdue for r in planned for a in actions(r))
    for risk in risks.filter(status__in=["treated", "reviewed"]):
        assert risk.treatment and risk.treatment_plan
        done = actions(risk)
        assert done and all(a.status == "done" and a.completed_on and a.evidence for a in done)

    # Reviewed: signed by someone other than the owner, and what is left is rated lower.
    for risk in risks.filter(status="reviewed"):
        assert risk.effectiveness and risk.effectiveness_notes
        assert risk.residual_rating is not None and risk.inherent_rating is not None
        assert risk.residual_rating < risk.inherent_rating, risk
        assert scale.level(risk.residual_rating) == risk.residual_level
        signature = Signature.objects.for_record(risk).get(meaning="verified")
        assert signature.signer_id != risk.owner_id
    assert risks.filter(status="reviewed", due_date__lt=today).exists()  # a review overdue

    # Rating history: snapshots on the days they were assessed, some rated again later.
    rows = RiskAssessment.objects.all()
    assert rows.count() >= 30
    assert all(a.at <= timezone.now() and a.assessed_by_id for a in rows)
    trend = [
        r
        for r in risks
        if len({a.inherent_rating for a in r.assessments.all()}) > 1
        and (r.assessments.last().at - r.assessments.first().at) > datetime.timedelta(days=100)
    ]
    assert len(trend) >= 2

    # Two changes to the QMS: one reviewed, one being implemented.
    plans = ChangePlan.objects.all()
    assert set(plans.values_list("status", flat=True)) == {"implementing", "reviewed"}
    for plan in plans:
        assert plan.documents.exists() and plan.processes.exists() and plan.risks.exists()
        approval = Signature.objects.for_record(plan).get(meaning="approved")
        assert approval.signer_id != plan.owner_id
    reviewed = plans.get(status="reviewed")
    assert reviewed.implementation and reviewed.review
    assert Signature.objects.for_record(reviewed).filter(meaning="verified").exists()

    checked, broken = trail.verify()
    assert checked > 0 and broken is None


def test_demo_kpis_and_the_objectives_they_measure(document_demo: None) -> None:
    from collections import Counter

    from hoshin.core import indicators
    from hoshin.planning.models import Kpi, Measurement, Objective, PolicyCommitment
    from hoshin.planning.views import control, status_counts
    from hoshin.support.models import Document

    kpis = list(Kpi.objects.order_by("pk"))
    active = [k for k in kpis if k.status == "active"]
    assert 18 <= len(active) <= 24
    assert any(k.status == "retired" for k in kpis)
    for kpi in kpis:
        kpi.clean()  # thresholds run from the target towards worse values
    frequencies = Counter(k.frequency for k in active)
    assert frequencies["weekly"] >= 2 and frequencies["quarterly"] >= 2
    assert frequencies["monthly"] > frequencies["weekly"] + frequencies["quarterly"]
    computed = [k for k in active if k.automatic]
    assert {k.automatic for k in computed} == set(indicators.indicators)
    assert not Measurement.objects.filter(kpi__in=computed).exists()
    assert any(k.kind == "proportion" and not k.automatic for k in active)

    # Figures typed in (or imported) by each KPI's owner, one to two years of them.
    figures = Measurement.objects.select_related("kpi")
    assert all(m.entered_by_id == m.kpi.owner_id for m in figures)
    sources = Counter(figures.values_list("source", flat=True))
    assert sources["manual"] > sources["import"] > 0
    for m in figures.filter(kpi__kind="proportion"):
        assert m.value == (m.numerator / m.denominator * 100).quantize(m.value)
    typed = [k for k in active if not k.automatic]
    counts = {k.pk: k.measurements.count() for k in typed}
    for kpi in typed:
        if counts[kpi.pk]:
            months = {"weekly": 0.25, "monthly": 1, "quarterly": 3}[kpi.frequency]
            assert 9 <= counts[kpi.pk] * months <= 24, kpi
    assert sum(1 for k in typed if counts[k.pk] == 0) >= 1  # a new KPI: nothing yet

    # Two KPIs are waiting for last period's figure; the others are up to date.
    late = [k for k in typed if counts[k.pk] and k.is_overdue]
    assert len(late) == 2
    for kpi in late:
        latest = kpi.readings(1)[-1].period
        assert latest < kpi.expected_period()

    # Every status is represented.
    statuses = status_counts(Kpi.objects.filter(status="active"))
    assert all(statuses[s] >= 1 for s in ("on_target", "at_risk", "off_target", "no_data"))

    # Control charts: most stable, two drifting (trend and run), one or two special causes.
    rules = {}
    for kpi in typed:
        readings = kpi.readings(36)
        if readings:
            chart = control(kpi, readings)
            rules[kpi.title] = {code for p in chart.points for code in p.signals}
    drifting = [t for t, found in rules.items() if {"trend_of_6", "run_of_8"} <= found]
    special = [t for t, found in rules.items() if found == {"beyond_3_sigma"}]
    stable = [t for t, found in rules.items() if not found]
    assert 2 <= len(drifting) <= 3
    assert 1 <= len(special) <= 2
    assert len(stable) >= 8

    # Eight objectives measured by those KPIs, approved by top management.
    objectives = Objective.objects.all()
    assert objectives.count() == 8
    assert set(objectives.values_list("level", flat=True)) == {
        "organisation",
        "department",
        "process",
    }
    states = Counter(objectives.values_list("status", flat=True))
    assert states["approved"] >= 4
    assert states["draft"] == states["achieved"] == states["cancelled"] == 1
    policy = Document.objects.get(title="Quality policy", status=Document.EFFECTIVE)
    ceo = User.objects.get(username="ceo")
    for objective in objectives:
        assert 2 <= objective.kpis.count() <= 3, objective
        assert objective.description and objective.resources and objective.evaluation
        assert objective.owner_id and objective.due_date
        assert objective.commitments and set(objective.commitments) <= set(PolicyCommitment.values)
        assert objective.policy_id == policy.pk
        signatures = Signature.objects.for_record(objective)
        if objective.status == "draft":
            assert not signatures.exists()
        else:
            assert signatures.get(meaning="approved").signer_id == ceo.pk
    assert objectives.get(status="achieved").outcome_notes


@pytest.mark.django_db
def test_demo_risks_follow_the_nonconformities() -> None:
    from hoshin.planning.models import Risk

    run_demo(password=PASSWORD, nonconformities=30)
    linked = Risk.objects.filter(nonconformities__isnull=False).distinct()
    assert 3 <= linked.count() <= 4
    raised = Risk.objects.get(source="nonconformity")
    origin = next(nc for nc in raised.nonconformities.all() if nc.reference in raised.description)
    assert origin.status == "closed" and origin.verified_on is not None
    assert origin.verified_on < raised.created_at.date()
    # Each link is in the risk's trail, attributed to a person.
    for risk in linked:
        events = trail.TrailEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Risk),
            object_id=risk.pk,
            changes__has_key="nonconformities",
        )
        assert events.exists() and all(e.actor_id for e in events), risk
    assert trail.verify()[1] is None


# --- the loaders and their data files (hoshin.core.demo) -----------------------------
def test_each_app_registers_its_loader_and_they_run_after_what_they_need() -> None:
    from hoshin.core.demo import loaders

    names = [loader.name for loader in loaders.ordered()]
    assert names == ["organisation", "processes", "improvement", "support", "planning"]
    assert all(callable(load) for load in loaders.functions())


def test_loaders_are_ordered_by_dependency_then_name_whatever_the_registration_order() -> None:
    from hoshin.core.demo import Loaders

    registered = Loaders()
    registered.register("zeta", "z.load", after=["alpha"])
    registered.register("beta", "b.load", after=["zeta"])
    registered.register("gamma", "g.load", after=["alpha"])
    registered.register("alpha", "a.load")
    registered.register("alpha", "a.load")  # AppConfig.ready() run again: no change
    assert [x.name for x in registered.ordered()] == ["alpha", "gamma", "zeta", "beta"]

    with pytest.raises(ValueError, match="Another demo loader"):
        registered.register("alpha", "elsewhere.load")
    registered.register("delta", "d.load", after=["omega"])
    with pytest.raises(ValueError, match="unknown"):
        registered.ordered()
    circle = Loaders()
    circle.register("a", "a.load", after=["b"])
    circle.register("b", "b.load", after=["a"])
    with pytest.raises(ValueError, match="wait for each other"):
        circle.ordered()


def test_front_matter_keeps_the_body_and_the_last_line_break_of_a_block() -> None:
    from hoshin.core.demo import front_matter

    meta, body = front_matter("---\ntitle: A\nedit: |\n  two\n  lines\n---\n## Body\n\ntext\n")
    assert meta == {"title": "A", "edit": "two\nlines\n"}
    assert body == "## Body\n\ntext\n"
    with pytest.raises(ValueError, match="no front matter"):
        front_matter("## Body\n", "x.md")
    with pytest.raises(ValueError, match="does not end"):
        front_matter("---\ntitle: A\n", "x.md")


def test_data_files_are_checked_against_the_fields_they_fill() -> None:
    from hoshin.core.demo import build
    from hoshin.support.demo import Doc, Edit, Then

    doc = build(
        Doc,
        {
            "prefix": "WI",
            "title": "T",
            "owner": "owner",
            "body": "text",
            "ages": [10, 5],
            "then": {"kind": "draft"},
            "revisions": [{"reason": "R", "edits": [{"old": "a", "new": "b"}]}],
        },
    )
    assert doc.ages == (10, 5) and doc.then == Then("draft")
    assert doc.revisions[0].edits == (Edit("a", "b"),)
    with pytest.raises(ValueError, match=r"x\.md\.ages\[1\]: expected int"):
        build(
            Doc, {"prefix": "WI", "title": "T", "owner": "o", "body": "", "ages": [1, "2"]}, "x.md"
        )
    with pytest.raises(ValueError, match="unknown keys"):
        build(Doc, {"prefix": "WI", "title": "T", "owner": "o", "body": "", "colour": "red"})
    with pytest.raises(ValueError, match="missing"):
        build(Doc, {"prefix": "WI", "title": "T"})


def test_every_demo_data_file_ships_with_the_package() -> None:
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    shipped = config["tool"]["setuptools"]["package-data"]
    files = [
        f
        for f in (root / "hoshin").glob("*/demo/**/*")
        if f.is_file() and f.suffix in (".yaml", ".md")
    ]
    assert len(files) > 50
    for f in files:
        package = f.parent
        while not (package / "__init__.py").exists():
            package = package.parent
        name = ".".join(package.relative_to(root).parts)
        inside = f.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(inside, g) for g in shipped.get(name, [])), inside


def test_no_production_module_patches_django() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "hoshin"
    for module in root.rglob("*.py"):
        text = module.read_text()
        assert "unittest" not in text and "mock.patch" not in text, module


@pytest.mark.django_db
def test_the_demo_loads_only_into_an_empty_instance() -> None:
    from hoshin.core.models import Organisation

    Process.objects.create(code="X-1", name="Existing", owner=User.objects.create(username="x"))
    Organisation.objects.update_or_create(pk=1, defaults={"name": "Acme Ltd"})
    with pytest.raises(CommandError) as refused:
        run_demo(password=PASSWORD)
    message = str(refused.value)
    assert "already named “Acme Ltd”" in message and "processes exist already" in message
    assert not User.objects.filter(username="ceo").exists()


def test_the_demo_leaves_unread_only_what_still_waits_for_someone(document_demo: None) -> None:
    """A year played in a minute: its people have read what they were told long ago; the
    assignments still standing and the signatures whose turn has come stay unread."""
    from hoshin.core import inbox, signoff
    from hoshin.core.models import Notification, NotificationKind

    assert Notification.objects.filter(read_at__isnull=False).exists()
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.filter(kind=NotificationKind.SIGNATURE).exists()
    for n in unread.select_related("recipient"):
        standing = {m.pk for m, _record in inbox.waiting_for(n.recipient, limit=1000)}
        signs = {inbox.top(s.record) for s in signoff.awaiting(n.recipient)}
        assert n.pk in standing or n.record in signs, n.message
    quality = User.objects.get(username="quality")
    assert inbox.unread_count(quality) < 30
