"""The fixed cast of the test suite: one person per role, plus an outsider without a role."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from hoshin.context.models import Process
from hoshin.core import roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, Site, User
from hoshin.core.registry import registry
from hoshin.improvement.models import Nonconformity
from hoshin.support import versions
from hoshin.support.models import Document, DocumentType, DocumentVersion

PASSWORD = "correct-horse-battery"


def forget_cached_filter_fields() -> None:
    """Undo a leak between tests: generating the API schema caches each filter's form field
    on the filterset *class*; every test starts with freshly built fields."""
    for rt in registry:
        for f in rt.filterset_class.base_filters.values():
            f.__dict__.pop("_field", None)


@pytest.fixture(autouse=True)
def _nobody_left_acting() -> Iterator[None]:
    # Every acting_as and every request puts back who acted before it: a test that leaves an
    # actor behind would have the next tests' events attributed to it. Said where it happens.
    from hoshin.core import actor

    yield
    left = (actor._actor.get(), actor._label.get())
    actor._actor.set(None)
    actor._label.set(actor.SYSTEM)
    assert left == (None, actor.SYSTEM), f"the test left {left} acting"


@pytest.fixture(autouse=True)
def _filters_as_new() -> Iterator[None]:
    forget_cached_filter_fields()
    yield
    forget_cached_filter_fields()


@pytest.fixture(autouse=True)
def _fast_and_plain(settings: Any, tmp_path: Any) -> None:
    # Each test stores its files apart: a rolled-back test's files would otherwise meet the
    # next test whose records reuse the same ids (SQLite reuses them).
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Background tasks run at once, in the test's thread (tests/test_tasks.py tries the worker).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = True


def make_user(username: str, role: str | None, **extra: Any) -> User:
    extra.setdefault("email", f"{username}@example.com")
    extra.setdefault("first_name", username.capitalize())
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def quality(db: Any) -> User:
    return make_user("quality", roles.QUALITY_MANAGER)


@pytest.fixture
def ceo(db: Any) -> User:
    return make_user("ceo", roles.TOP_MANAGEMENT)


@pytest.fixture
def owner(db: Any) -> User:
    return make_user("owner", roles.PROCESS_OWNER)


@pytest.fixture
def auditor(db: Any) -> User:
    return make_user("auditor", roles.INTERNAL_AUDITOR)


@pytest.fixture
def employee(db: Any) -> User:
    return make_user("employee", roles.EMPLOYEE)


@pytest.fixture
def extaudit(db: Any) -> User:
    return make_user(
        "extaudit",
        roles.EXTERNAL_AUDITOR,
        access_expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )


@pytest.fixture
def outsider(db: Any) -> User:
    """Signed-in, but with no role at all."""
    return make_user("outsider", None)


@pytest.fixture
def site(db: Any) -> Site:
    return Site.objects.create(code="MAIN", name="Main plant")


@pytest.fixture
def process(owner: User) -> Process:
    return Process.objects.create(code="P-05", name="Machining", owner=owner)


@pytest.fixture
def make_nc(owner: User) -> Callable[..., Nonconformity]:
    def make(**fields: Any) -> Nonconformity:
        actor = fields.pop("actor", None) or fields.get("owner") or owner
        values: dict[str, Any] = {
            "title": "Burr on bore of housing H-220",
            "description": "Found at final inspection, 12 of 200 parts.",
            "source": "process_monitoring",
            "severity": "major",
            "owner": owner,
            "detected_on": timezone.localdate(),
        }
        values.update(fields)
        with acting_as(actor):
            nc = Nonconformity(**values)
            nc.save()
        return nc

    return make


@pytest.fixture
def nc(make_nc: Callable[..., Nonconformity]) -> Nonconformity:
    return make_nc()


def advance(nc: Nonconformity, to: str, by: User, verifier: User | None = None) -> Nonconformity:
    """Fill what each step needs and take ``nc`` along the workflow up to state ``to``."""
    from hoshin.improvement.workflow import WORKFLOW

    today = timezone.localdate()
    steps = ["contained", "investigated", "actions", "verification", "closed"]
    with acting_as(by):
        for state in steps[: steps.index(to) + 1]:
            nc.refresh_from_db()
            if state == "contained":
                nc.containment_action = "Quarantined lot L-77; 100% inspection."
                nc.containment_by = by
                nc.containment_on = today
                nc.save()
                WORKFLOW.perform(nc, "contain", by)
            elif state == "investigated":
                nc.whys = ["Burr not removed", "Deburr step skipped", "Not in work instruction"]
                nc.root_cause = "Work instruction WI-12 omits the deburring step."
                nc.cause_category = "method"
                nc.save()
                WORKFLOW.perform(nc, "investigate", by)
            elif state == "actions":
                action = Action(description="Add deburring to WI-12", owner=by, due_date=today)
                action.link_to(nc)
                action.save()
                WORKFLOW.perform(nc, "start_actions", by)
            elif state == "verification":
                for action in nc.actions():
                    action.status = "done"
                    action.evidence = "WI-12 rev C released"
                    action.completed_on = today
                    action.save()
                nc.refresh_from_db()
                nc.verification_method = "Audit 3 lots after the change"
                nc.verification_due = today
                nc.save()
                WORKFLOW.perform(nc, "submit_verification", by)
            elif state == "closed":
                assert verifier is not None
                nc.verification_result = "effective"
                nc.save()
                with acting_as(verifier):
                    WORKFLOW.perform(nc, "close", verifier, password=PASSWORD)
    nc.refresh_from_db()
    return nc


# --- documents ----------------------------------------------------------------------
def doc_type(prefix: str) -> DocumentType:
    return DocumentType.objects.get(prefix=prefix)


@pytest.fixture
def make_doc(quality: User) -> Callable[..., Document]:
    def make(
        prefix: str = "QP", body: str = "# Purpose\n\nSay what we do.", **fields: Any
    ) -> Document:
        author = fields.pop("author", quality)
        doc = Document(
            doc_type=doc_type(prefix),
            title=fields.pop("title", "Control of documents"),
            owner=fields.pop("owner", quality),
            **fields,
        )
        doc.save()
        versions.start(doc, author, change_reason="First issue", body=body)
        return doc

    return make


@pytest.fixture
def reviewer(db: Any) -> User:
    return make_user("rita", roles.PROCESS_OWNER, first_name="Rita", last_name="Reviewer")


@pytest.fixture
def approver(ceo: User) -> User:
    return ceo


def working(doc: Document) -> DocumentVersion:
    v = doc.working()
    assert v is not None
    return v


def approve(doc: Document, author: User, reviewer: User, approver: User, **kw: Any) -> None:
    v = working(doc)
    versions.submit(
        v,
        author,
        reviewers=[reviewer],
        approvers=[approver],
        in_order=kw.get("in_order", False),
        effective_on=kw.get("effective_on"),
    )
    versions.sign(v, reviewer, password=PASSWORD)
    versions.sign(v, approver, password=PASSWORD)


def api_as(user: User) -> APIClient:
    """An API client signed in as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def three_of_each(quality: User) -> dict[str, Any]:
    """Three nonconformities, risks and documents of the quality manager, by API slug."""
    from tests.factories import DocumentFactory, NonconformityFactory, RiskFactory

    return {
        "nonconformities": NonconformityFactory.create_batch(3, owner=quality),
        "risks": RiskFactory.create_batch(3, owner=quality),
        "documents": DocumentFactory.create_batch(3, owner=quality),
    }
