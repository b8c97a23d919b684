"""``hoshin demo``: the demo organisation loads once, through the workflow and the trail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hoshin.context.models import Process
from hoshin.core import roles, trail
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
    for signature in Signature.objects.all():
        assert signature.signer.username in {"quality", "auditor"}
        assert signature.record.owner_id != signature.signer_id
    employee = User.objects.get(username="employee")
    assert Nonconformity.objects.visible_to(employee).exists()
    assert ncs.filter(status="void", void_reason__startswith="Duplicate").exists()
    closed = ncs.filter(status="closed")
    assert all(nc.verified_on and nc.verified_on <= nc.updated_at.date() for nc in closed)
    assert all(nc.why_list() and nc.root_cause for nc in closed)

    checked, broken = trail.verify()
    assert checked > 0
    assert broken is None

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
