"""Three years of controlled documents at the demo manufacturer (see :mod:`hoshin.core.demo`).

Each document in ``documents/`` (its first version's text in Markdown, its register entry,
the changes that made each later version and what is going on now in the front matter)
is played through the real version life cycle on the days it would have happened:
created and written by its owner, submitted, reviewed and approved by named people
(never the author) with electronic signatures, in force from its approval day,
superseded by later versions with their reasons, reviewed periodically ("still valid")
when its review date comes, and read and confirmed by most of the people it was
distributed to. Then the loose ends a real register has: versions waiting for a
signature, drafts, a version approved for a date still to come, an obsolete work
instruction, closed records, and a few periodic reviews overdue.

The documents are created in the order of their file names; the numbers in the texts
(QP-005, WI-002, FRM-001...) are the numbers they get in that order, one running number
per type.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hoshin.core import trail
from hoshin.core.actor import acting_as
from hoshin.core.demo import Demo, build, data, markdown_files, quick_signatures
from hoshin.core.models import ReadRequest, User
from hoshin.support import versions
from hoshin.support.models import (
    Document,
    DocumentType,
    DocumentVersion,
    ReviewOutcome,
    VersionStatus,
)
from hoshin.support.workflow import WORKFLOW

M2M = ["access_people", "distribute_people", "distribute_departments"]
OLD_FIRST_ISSUE = 900  # days: documents older than this came over from the paper system


# --- the content of documents/*.md ---------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """A change of the text: ``old`` (in the version before) becomes ``new``."""

    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    """How a version differs from the one before: the reason and the text edits."""

    reason: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """The first round of review of ``version`` ended with a change requested."""

    version: int
    by: str
    comment: str
    fix: tuple[Edit, ...]


@dataclass(frozen=True)
class Then:
    """What is going on after the versions in force.

    kind: "review" (the next version waits for signatures; ``signed`` have signed),
    "draft" (the next version is being written), "revise" (a periodic review asked
    for a new version, now a draft), "future" (approved, in force in ``age`` days),
    "obsolete" or "close" (``age`` days ago).
    """

    kind: str
    age: int = 0
    signed: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class Doc:
    prefix: str
    title: str
    owner: str
    body: str
    # Days ago each version came into force, oldest first. Revisions beyond these
    # belong to the version still being worked on (see ``then``).
    ages: tuple[int, ...] = ()
    revisions: tuple[Revision, ...] = ()
    process: str = ""
    site: str = ""
    description: str = ""
    author: str = ""  # default: the owner
    reviewers: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()
    in_order: bool = False
    confidentiality: str = "internal"
    access: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()
    reader_roles: tuple[str, ...] = ()
    reader_departments: tuple[str, ...] = ()
    issuer: str = ""
    review_months: int | None = None  # default: the type's
    retention_years: int | None = None  # default: the type's (records)
    disposition: str = "keep"
    then: Then | None = None
    rejection: Rejection | None = None
    overdue: bool = False  # its periodic review is left overdue
    first_reason: str = ""  # default: "First issue." and the like

    @property
    def then_number(self) -> int:
        """The number of the version being worked on now (0: none)."""
        if self.then is None or self.then.kind not in ("review", "draft", "revise", "future"):
            return 0
        return len(self.ages) + 1


@dataclass(frozen=True)
class Comments:
    periodic_review: tuple[str, ...]  # "still valid"
    signature: tuple[str, ...]


@functools.cache
def documents() -> list[Doc]:
    return [
        build(Doc, {**meta, "body": body}, name)
        for name, meta, body in markdown_files(__name__, "documents")
    ]


@functools.cache
def comments() -> Comments:
    return build(Comments, data(__name__, "comments.yaml"), "comments.yaml")


# --- playing them -------------------------------------------------------------------------------
def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _apply(body: str, edits: Iterable[Edit], where: str) -> str:
    for edit in edits:
        if edit.old not in body:
            raise ValueError(
                f"{where}: the text to change is not in the version before: {edit.old!r}"
            )
        body = body.replace(edit.old, edit.new, 1)
    return body


def _fill(text: str, first: datetime.date, this: datetime.date) -> str:
    """Records name the year and day they were made."""
    return (
        text.replace("{year}", str(first.year))
        .replace("{date}", (first - _days(4)).isoformat())
        .replace("{date2}", (this - _days(4)).isoformat())
    )


class Player:
    """Plays one document after another through the version life cycle."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.today = demo.today
        self.types = {t.prefix: t for t in DocumentType.objects.all()}
        self.quality = demo.person("quality")

    # --- helpers -------------------------------------------------------------------
    def people(self, usernames: Iterable[str]) -> list[User]:
        return [self.demo.person(u) for u in usernames]

    def ago(self, days: int) -> datetime.date:
        return self.today - _days(days)

    def between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """A day from ``start`` to ``end`` (``end`` when they are the wrong way round)."""
        if end <= start:
            return end
        return start + _days(self.rng.randint(0, (end - start).days))

    # --- one document ----------------------------------------------------------------
    def play(self, spec: Doc) -> Document:
        owner = self.demo.person(spec.owner)
        author = self.demo.person(spec.author or spec.owner)
        days = [self.ago(a) for a in spec.ages]
        then = spec.then
        first_day = days[0] if days else self.ago(then.age if then else 0)
        created = first_day - _days(self.rng.randint(12, 40))
        doc = self.create(spec, owner, author, created, first_day)

        body = _fill(spec.body, first_day, first_day)
        last_day = created
        for i, day in enumerate(days):
            started = self.between(last_day + _days(1), day - _days(self.rng.randint(6, 20)))
            self.reviews_until(doc, owner, started)
            if i:
                revision = spec.revisions[i - 1]
                body = _apply(
                    body, (_fill_edit(e, first_day, day) for e in revision.edits), spec.title
                )
                reason = revision.reason
            else:
                reason = spec.first_reason or self.first_reason(spec, day)
            version = self.start(doc, author, reason, body, started)
            self.approve(spec, doc, version, author, started, day)
            self.acknowledge(version, day, superseded=i < len(days) - 1)
            last_day = day

        ongoing = then is None or then.kind in ("review", "draft", "revise", "future")
        if ongoing and not spec.overdue:
            self.reviews_until(doc, owner, self.today)
        if then is not None:
            self.loose_end(spec, doc, owner, author, body, days, last_day)
        doc.refresh_from_db()
        if spec.overdue and not doc.is_overdue:
            raise ValueError(f"{spec.title}: meant to be overdue for review, due {doc.due_date}")
        return doc

    def create(
        self, spec: Doc, owner: User, author: User, created: datetime.date, first: datetime.date
    ) -> Document:
        doc_type: DocumentType = self.types[spec.prefix]
        retention = spec.retention_years
        if retention is None and doc_type.is_record:
            retention = doc_type.retention_years
        doc = Document(
            doc_type=doc_type,
            title=_fill(spec.title, first, first),
            owner=owner,
            process=self.demo.processes[spec.process] if spec.process else None,
            site=self.demo.sites[spec.site] if spec.site else None,
            description=spec.description,
            issuer=spec.issuer,
            confidentiality=spec.confidentiality,
            review_months=(
                spec.review_months if spec.review_months is not None else doc_type.review_months
            ),
            retention_years=retention,
            disposition=spec.disposition,
            distribute_roles=list(spec.reader_roles),
            created_at=self.demo.moment(created),
        )
        with acting_as(author):
            doc.save()
            if spec.access or spec.readers or spec.reader_departments:
                before = trail.m2m_values(doc, M2M)
                doc.access_people.set(self.people(spec.access))
                doc.distribute_people.set(self.people(spec.readers))
                doc.distribute_departments.set(
                    [self.demo.departments[d] for d in spec.reader_departments]
                )
                trail.append_m2m_changes(
                    doc, before, trail.m2m_values(doc, M2M), "Access and distribution"
                )
        return doc

    def first_reason(self, spec: Doc, day: datetime.date) -> str:
        if (self.today - day).days > OLD_FIRST_ISSUE:
            return "First issue in Hoshin: content carried over from the paper system and reviewed."
        if spec.prefix == "REC":
            return "Record issued."
        if spec.prefix == "EXT":
            return "Registered as a document of external origin."
        return "First issue."

    def start(
        self, doc: Document, author: User, reason: str, body: str, day: datetime.date
    ) -> DocumentVersion:
        """Open the next version on ``day`` (nothing in a new version is dated: the day is
        drawn, as for every step, so that the random sequence stays the same)."""
        doc.refresh_from_db()
        with acting_as(author):
            return versions.start(doc, author, change_reason=reason, body=body)

    # --- review and approval ---------------------------------------------------------
    def route(self, spec: Doc) -> tuple[list[User], list[User]]:
        return self.people(spec.reviewers), self.people(spec.approvers)

    def submit(
        self,
        spec: Doc,
        version: DocumentVersion,
        author: User,
        day: datetime.date,
        effective_on: datetime.date | None = None,
    ) -> list[User]:
        """Submit the version; the signers in the order they will sign.

        A later version of a document with several reviewers is often a small change:
        then only the first of them (the owner of the process it touches) reviews it.
        """
        reviewers, approvers = self.route(spec)
        rejected = spec.rejection is not None and spec.rejection.version == version.number
        minor = version.number > 1 and version.number != spec.then_number and not rejected
        if minor and len(reviewers) > 1 and self.rng.random() < 0.6:
            reviewers = reviewers[:1]
        with acting_as(author):
            versions.submit(
                version,
                author,
                reviewers=reviewers,
                approvers=approvers,
                in_order=spec.in_order,
                effective_on=effective_on,
                today=day,
            )
        if not spec.in_order:
            reviewers = self.rng.sample(reviewers, len(reviewers))
            approvers = self.rng.sample(approvers, len(approvers))
        return reviewers + approvers

    def sign(self, version: DocumentVersion, signer: User, day: datetime.date) -> None:
        with acting_as(signer):
            versions.sign(
                version,
                signer,
                password=self.demo.password,
                comment=self.rng.choice(comments().signature),
                today=day,
            )

    def approve(
        self,
        spec: Doc,
        doc: Document,
        version: DocumentVersion,
        author: User,
        started: datetime.date,
        day: datetime.date,
    ) -> None:
        """Submit, review and approve: the version comes into force on ``day``."""
        submitted = self.between(started, day - _days(self.rng.randint(2, 6)))
        signers = self.submit(spec, version, author, submitted)
        rejection = spec.rejection
        if rejection is not None and rejection.version == version.number:
            by = self.demo.person(rejection.by)
            for signer in signers[: signers.index(by)]:
                self.sign(version, signer, submitted)
            refused = self.between(submitted, day - _days(2))
            with acting_as(by):
                versions.reject(version, by, comment=rejection.comment)
            version.body = _apply(version.body, rejection.fix, spec.title)
            with acting_as(author):
                versions.save_draft(version, author, reason="Changed as asked in review")
            submitted = self.between(refused, day - _days(1))
            signers = self.submit(spec, version, author, submitted)
        for signer in signers:
            self.sign(version, signer, day)
        version.refresh_from_db()
        if version.status != VersionStatus.EFFECTIVE:
            raise ValueError(f"{version}: {version.status} after every signature")

    # --- reading and periodic review ---------------------------------------------------
    def acknowledge(
        self, version: DocumentVersion, day: datetime.date, *, superseded: bool
    ) -> None:
        """Most people confirm reading a version; fewer the newer it is."""
        age = (self.today - day).days
        if superseded:
            share = 0.7
        elif age > 300:
            share = 0.8
        elif age > 150:
            share = 0.65
        elif age > 60:
            share = 0.5
        else:
            share = 0.3
        requests = ReadRequest.objects.for_record(version).select_related("person")
        for request in requests.order_by("id"):
            person = self.demo.people.get(request.person.username, request.person)
            if person.username == "employee":
                # The demo machinist has read the older documents, not the newest.
                read = superseded or age > 90
            else:
                read = self.rng.random() < share
            if read:
                with acting_as(person):
                    versions.acknowledge(version, person)

    def reviews_until(self, doc: Document, owner: User, limit: datetime.date) -> None:
        """Periodic reviews, "still valid", of every review date that came before ``limit``."""
        while True:
            doc.refresh_from_db()
            if doc.status != Document.EFFECTIVE or doc.due_date is None or doc.due_date >= limit:
                return
            earliest = (doc.last_reviewed_on or doc.effective_on or doc.due_date) + _days(1)
            day = max(earliest, doc.due_date - _days(self.rng.randint(3, 25)))
            with acting_as(owner):
                versions.periodic_review(
                    doc,
                    owner,
                    outcome=ReviewOutcome.NO_CHANGE,
                    comment=self.rng.choice(comments().periodic_review),
                    password=self.demo.password,
                    today=day,
                )

    # --- what is going on now ----------------------------------------------------------
    def loose_end(
        self,
        spec: Doc,
        doc: Document,
        owner: User,
        author: User,
        body: str,
        days: Sequence[datetime.date],
        last_day: datetime.date,
    ) -> None:
        then = spec.then
        if then is None:
            return
        day = self.ago(then.age)
        number = len(days) + 1
        if days and number - 2 < len(spec.revisions):
            revision = spec.revisions[number - 2]
            edits = (_fill_edit(e, days[0], day) for e in revision.edits)
            body = _apply(body, edits, spec.title)
            reason = revision.reason
        else:
            reason = spec.first_reason or self.first_reason(spec, day)

        if then.kind == "review":
            started = self.between(max(last_day, day - _days(20)), day - _days(3))
            version = self.start(doc, author, reason, body, started)
            signers = self.submit(spec, version, author, day)
            for username in then.signed:
                signer = self.demo.person(username)
                if signer not in signers:
                    raise ValueError(f"{spec.title}: {username} is not on the route")
                self.sign(version, signer, self.between(day, self.today))
        elif then.kind == "draft":
            version = self.start(doc, author, reason, body, day)
        elif then.kind == "revise":
            with acting_as(owner):
                versions.periodic_review(
                    doc,
                    owner,
                    outcome=ReviewOutcome.REVISE,
                    comment=then.comment,
                    password=self.demo.password,
                    today=day,
                )
            draft = doc.working()
            if draft is None:
                raise ValueError(f"{spec.title}: the periodic review started no new version")
            draft.body = body
            # Saved some day since (undated, but drawn to keep the random sequence).
            self.between(day, self.today)
            with acting_as(owner):
                versions.save_draft(draft, owner, reason="Draft in progress")
        elif then.kind == "future":
            started = self.ago(self.rng.randint(8, 15))
            version = self.start(doc, author, reason, body, started)
            signers = self.submit(
                spec, version, author, self.ago(4), effective_on=self.today + _days(then.age)
            )
            for signer in signers:
                self.sign(version, signer, self.ago(self.rng.randint(0, 3)))
        elif then.kind in ("obsolete", "close"):
            self.reviews_until(doc, owner, day)
            doc.refresh_from_db()
            name = "make_obsolete" if then.kind == "obsolete" else "close"
            with acting_as(self.quality):
                WORKFLOW.perform(
                    doc,
                    name,
                    self.quality,
                    comment=then.comment or "Complete: the record is closed.",
                    password=self.demo.password,
                    today=day,
                )
        else:
            raise ValueError(f"{spec.title}: unknown state {then.kind!r}")


def _fill_edit(edit: Edit, first: datetime.date, this: datetime.date) -> Edit:
    return Edit(_fill(edit.old, first, this), _fill(edit.new, first, this))


def load(demo: Demo) -> None:
    """The document register: about fifty documents of every type, with their histories."""
    player = Player(demo)
    with quick_signatures(demo.people.values(), demo.password):
        played = [player.play(spec) for spec in documents()]

    by_type = Counter(d.doc_type.prefix for d in played)
    by_state = Counter(d.status for d in played)
    demo.counts["documents"] = len(played)
    demo.counts["documents by type"] = dict(sorted(by_type.items()))
    demo.counts["documents by state"] = {
        s.name: by_state[s.name] for s in WORKFLOW.states if by_state[s.name]
    }
    version_states = Counter(DocumentVersion.objects.values_list("status", flat=True))
    demo.counts["document versions"] = {
        s.value: version_states[s.value] for s in VersionStatus if version_states[s.value]
    }
    asked = ReadRequest.objects.filter(content_type=DocumentVersion.content_type())
    demo.counts["read and understood"] = (
        f"{asked.filter(acknowledged_at__isnull=False).count()} of {asked.count()} confirmed"
    )
