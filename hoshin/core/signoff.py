"""Review and approval routes: who signs, in what order, and the signing itself.

Used for anything that needs several people's signatures before it takes effect
(a document version today). The route lives in :class:`~hoshin.core.models.SignOff`
rows linked to the record; signing writes a :class:`~hoshin.core.models.Signature`
and trail events through the record's own trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.core import trail
from hoshin.core.models import Signature, SignatureMeaning, SignOff, SignOffState, User
from hoshin.core.workflow import TransitionError


@dataclass(frozen=True)
class Step:
    signer: User
    meaning: str  # SignatureMeaning.REVIEWED or APPROVED
    position: int


def plan(reviewers: Sequence[User], approvers: Sequence[User], *, in_order: bool) -> list[Step]:
    """The steps of a route: every reviewer signs before any approver.

    In order, each person waits for the one before; otherwise all reviewers sign in
    parallel, then all approvers in parallel.
    """
    steps: list[Step] = []
    position = 0
    for group, meaning in (
        (reviewers, SignatureMeaning.REVIEWED),
        (approvers, SignatureMeaning.APPROVED),
    ):
        if not group:
            continue
        if not in_order:
            position += 1
        for person in group:
            if in_order:
                position += 1
            steps.append(Step(person, meaning.value, position))
    return steps


def check_route(steps: Sequence[Step], author: User | None) -> dict[str, list[str]]:
    """What is wrong with a proposed route, by field."""
    problems: dict[str, list[str]] = {}
    if not any(s.meaning == SignatureMeaning.APPROVED for s in steps):
        problems.setdefault("approvers", []).append(_("Name at least one approver."))
    seen: set[int] = set()
    for step in steps:
        field = "approvers" if step.meaning == SignatureMeaning.APPROVED else "reviewers"
        if author is not None and step.signer.pk == author.pk:
            problems.setdefault(field, []).append(
                _("%(who)s wrote this version and cannot review or approve it.")
                % {"who": step.signer}
            )
        if step.signer.pk in seen:
            problems.setdefault(field, []).append(
                _("%(who)s is named twice on the route.") % {"who": step.signer}
            )
        seen.add(step.signer.pk)
        if not step.signer.is_active or step.signer.is_read_only:
            problems.setdefault(field, []).append(
                _("%(who)s cannot sign in Hoshin.") % {"who": step.signer}
            )
    return problems


def steps_of(record: models.Model) -> Any:
    """Every sign-off step of the record, in all its rounds."""
    return SignOff.objects.for_record(record)


def current_round(record: models.Model) -> int:
    last = steps_of(record).aggregate(r=models.Max("round"))["r"]
    return int(last or 0)


def route(record: models.Model, round: int | None = None) -> list[SignOff]:
    """The steps of the record's latest (or given) round, in signing order."""
    round = current_round(record) if round is None else round
    return list(steps_of(record).filter(round=round).select_related("signer", "signature"))


def start(record: models.Model, steps: Iterable[Step]) -> int:
    """Open a new round with these steps; returns the round number."""
    with transaction.atomic():
        number = current_round(record) + 1
        for step in steps:
            item = SignOff(
                signer=step.signer, meaning=step.meaning, position=step.position, round=number
            )
            item.link_to(record)
            item.save()
        return number


def whose_turn(steps: Sequence[SignOff]) -> list[SignOff]:
    """The pending steps that may sign now: every step before them has signed."""
    pending = [s for s in steps if s.state == SignOffState.PENDING]
    if not pending:
        return []
    first = min(s.position for s in pending)
    return [s for s in pending if s.position == first]


def is_complete(steps: Sequence[SignOff]) -> bool:
    return bool(steps) and all(s.state == SignOffState.SIGNED for s in steps)


def _my_turn(record: models.Model, user: User) -> SignOff:
    steps = route(record)
    mine = [s for s in steps if s.signer_id == user.pk and s.state == SignOffState.PENDING]
    if not mine:
        raise TransitionError({"__all__": [_("You are not waiting to sign this.")]}, status=403)
    if mine[0] not in whose_turn(steps):
        waiting_for = ", ".join(str(s.signer) for s in whose_turn(steps))
        raise TransitionError(
            {
                "__all__": [
                    _("It is not your turn yet: waiting for %(who)s.") % {"who": waiting_for}
                ]
            },
            status=409,
        )
    return mine[0]


def sign(
    record: models.Model,
    user: User,
    *,
    password: str,
    comment: str,
    content_hash: str,
    reference: str,
    author: User | None = None,
) -> SignOff:
    """Sign the user's step of the route; refused when it is not their turn."""
    step = _my_turn(record, user)
    problems: dict[str, list[str]] = {}
    if author is not None and author.pk == user.pk:
        problems.setdefault("__all__", []).append(
            _("You wrote this version: someone else must review and approve it.")
        )
    if problems:
        raise TransitionError(problems)
    check_password(user, password, record, "sign_off")
    with transaction.atomic():
        signature = Signature(
            signer=user,
            signer_name=str(user),
            meaning=step.meaning,
            content_hash=content_hash,
            reference=reference,
            transition="sign_off",
            statement=comment,
        )
        signature.link_to(record)
        signature.save()
        step.state = SignOffState.SIGNED
        step.signature = signature
        step.comment = comment
        step.decided_at = timezone.now()
        step.save(reason=comment)
        trail.append(
            action=trail.TrailAction.SIGNATURE,
            instance=record,
            changes={
                "meaning": step.meaning,
                "signer": user.get_username(),
                "content_hash": content_hash,
                "signed": reference,
            },
            message=comment,
        )
    return step


def reject(record: models.Model, user: User, *, comment: str) -> SignOff:
    """Send it back: the user's step is marked, the rest of the round cancelled."""
    step = _my_turn(record, user)
    if not comment.strip():
        raise TransitionError({"comment": [_("Say what needs to change.")]})
    with transaction.atomic():
        step.state = SignOffState.REJECTED
        step.comment = comment
        step.decided_at = timezone.now()
        step.save(reason=comment)
        cancel(record, reason=_("Round ended: changes requested by %(who)s.") % {"who": user})
    return step


def cancel(record: models.Model, *, reason: str) -> None:
    """Cancel the pending steps of the current round (recalled, withdrawn, rejected)."""
    for step in route(record):
        if step.state == SignOffState.PENDING:
            step.state = SignOffState.CANCELLED
            step.decided_at = timezone.now()
            step.save(reason=reason)


def awaiting(user: User | None) -> models.QuerySet[SignOff]:
    """The steps waiting for this person's signature now (their turn has come); for
    everyone when ``user`` is None."""
    earlier = SignOff.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        round=OuterRef("round"),
        position__lt=OuterRef("position"),
        state=SignOffState.PENDING,
    )
    steps = SignOff.objects.filter(state=SignOffState.PENDING)
    if user is not None:
        steps = steps.filter(signer=user)
    return steps.exclude(Exists(earlier)).order_by("created_at", "id")


def records_awaiting(user: User, model: type[models.Model]) -> models.QuerySet[Any]:
    ct = ContentType.objects.get_for_model(model)
    ids = awaiting(user).filter(content_type=ct).values("object_id")
    return model._default_manager.filter(pk__in=ids)


# --- what a signature binds: signed fields, supersession, the password check ----------
# Fields a signature never covers: the workflow moves them (status) or they are the
# record's housekeeping, never typed by anyone.
_NOT_SIGNED = {"status", "voided_at", "void_reason", "created_at", "created_by", "reference"}


def signable_fields(record: Any) -> list[str]:
    """The fields people type on a record: what a signature can cover."""
    return [
        f.attname
        for f in record.tracked_fields()
        if f.editable and f.name not in _NOT_SIGNED and f.attname not in _NOT_SIGNED
    ]


def signed_hash(record: Any, fields: Sequence[str]) -> str:
    """SHA-256 of the record's reference and the values of ``fields`` (by attname)."""
    import hashlib
    import json

    values = trail.jsonable({name: getattr(record, name, None) for name in fields})
    blob = json.dumps({"reference": record.reference, "fields": values}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def in_force(record: Any) -> list[Signature]:
    """The record's signatures that still bind its content: given by a workflow step,
    naming the fields they cover, and not superseded."""
    return list(
        Signature.objects.for_record(record)
        .filter(covers__isnull=False, supersession__isnull=True)
        .select_related("signer")
    )


def _signed_values(record: Any, signatures: Sequence[Signature]) -> dict[str, Signature]:
    fields: dict[str, Signature] = {}
    for signature in signatures:
        for name in (signature.covers or {}).get("fields", []):
            fields.setdefault(name, signature)
    return fields


def signed_changes(record: Any) -> list[tuple[Signature, list[str]]]:
    """The in-force signatures whose fields this (unsaved) copy changes, with those
    fields by name, against the stored record."""
    if record.pk is None:
        return []
    signatures = in_force(record)
    if not signatures:
        return []
    stored = type(record)._default_manager.filter(pk=record.pk).first()
    if stored is None:
        return []
    found: list[tuple[Signature, list[str]]] = []
    for signature in signatures:
        names = [
            record._meta.get_field(a[:-3] if a.endswith("_id") else a).name
            for a in (signature.covers or {}).get("fields", [])
            if trail.jsonable(getattr(record, a, None)) != trail.jsonable(getattr(stored, a, None))
        ]
        if names:
            found.append((signature, names))
    return found


def frozen_problems(record: Any) -> dict[str, list[str]]:
    """Field messages for an edit of signed content where the signing step refuses it."""
    problems: dict[str, list[str]] = {}
    for signature, names in signed_changes(record):
        if (signature.covers or {}).get("reopen"):
            continue
        for name in names:
            problems.setdefault(name, []).append(
                _(
                    "Signed by %(who)s (%(meaning)s) on %(day)s: this field cannot be "
                    "changed while the signature stands."
                )
                % {
                    "who": signature.signer_name,
                    "meaning": signature.get_meaning_display(),
                    "day": f"{signature.signed_at:%Y-%m-%d}",
                }
            )
    return problems


def supersede(record: Any, signatures: Sequence[Signature], reason: str) -> None:
    """Mark signatures superseded (their record changed or went back before them), in
    the record's trail too; the signature rows themselves stay as they were signed."""
    from hoshin.core.actor import current_actor
    from hoshin.core.models import Supersession

    actor = current_actor()
    for signature in signatures:
        Supersession.objects.create(signature=signature, by=actor, reason=reason)
        trail.append(
            action=trail.TrailAction.SUPERSEDED,
            instance=record,
            changes={
                "signature": signature.pk,
                "meaning": signature.meaning,
                "signer": signature.signer.get_username(),
                "content_hash": signature.content_hash,
            },
            message=reason,
        )


def reopen_for_edit(record: Any) -> list[Signature]:
    """An edit of content signed by a step that reopens on edit: the record goes back
    to the state before that signature (the earliest, when several), and the caller
    supersedes the signatures returned once the edit is saved."""
    changed = [s for s, _names in signed_changes(record) if (s.covers or {}).get("reopen")]
    if not changed:
        return []
    earliest = min(changed, key=lambda s: (s.signed_at, s.pk))
    record.status = (earliest.covers or {})["before"]
    # Every signature given after it goes too: the record is back before them all.
    start = (earliest.signed_at, earliest.pk)
    later = [s for s in in_force(record) if (s.signed_at, s.pk) >= start]
    for signature in later:
        record.on_signature_superseded(signature)
    return later


def superseded_by_going_back(record: Any, workflow: Any) -> list[Signature]:
    """The signatures a transition leaves behind: given on reaching a state that comes
    after the record's new state in the workflow's order (reassessing a reviewed risk)."""
    order = [s.name for s in workflow.states]
    if record.status not in order:
        return []
    now = order.index(record.status)
    found = []
    for signature in in_force(record):
        reached = (signature.covers or {}).get("reached")
        if reached in order and order.index(reached) > now:
            record.on_signature_superseded(signature)
            found.append(signature)
    return found


def check(signature: Signature, record: Any) -> bool | None:
    """Does the record still hold what was signed? None when it cannot be told: a
    signature that names no fields (a document version's sign-off, whose rounds sign
    successive texts, or one given before signatures named them)."""
    if signature.covers is None:
        return None
    return signed_hash(record, signature.covers.get("fields", [])) == signature.content_hash


def mismatched(record: Any) -> list[Signature]:
    """The record's in-force signatures whose stored content hash no longer matches it."""
    return [s for s in in_force(record) if check(s, record) is False]


def mismatched_signatures() -> list[tuple[Signature, Any]]:
    """Every signature in force whose record no longer holds the content it signed, with
    that record (None if the record is gone): for ``hoshin verify-trail``."""
    from hoshin.core.models import Supersession

    found: list[tuple[Signature, Any]] = []
    superseded = set(Supersession.objects.values_list("signature_id", flat=True))
    signatures = (
        Signature.objects.filter(covers__isnull=False).select_related("content_type").order_by("id")
    )
    for signature in signatures.iterator(chunk_size=2000):
        if signature.pk in superseded:
            continue
        model = signature.content_type.model_class()
        record = (
            model._default_manager.filter(pk=signature.object_id).first()
            if model is not None
            else None
        )
        if record is None:
            found.append((signature, None))
        elif check(signature, record) is False:
            found.append((signature, record))
    return found


# --- the password a signature needs: throttled and trailed like signing in --------
def _lockout() -> tuple[int, datetime.timedelta]:
    from django.conf import settings

    limit = int(getattr(settings, "HOSHIN_SIGNATURE_FAILURE_LIMIT", settings.AXES_FAILURE_LIMIT))
    hours = float(getattr(settings, "AXES_COOLOFF_TIME", 0.25))
    return limit, datetime.timedelta(hours=hours)


def recent_failures(user: User) -> int:
    """Wrong signature passwords this person gave in the lockout period, since their
    last signature (a good one starts the count again, as for signing in)."""
    from hoshin.core.models import TrailEvent

    _limit, period = _lockout()
    since = timezone.now() - period
    last = Signature.objects.filter(signer=user).order_by("-signed_at").values("signed_at").first()
    if last is not None and last["signed_at"] > since:
        since = last["signed_at"]
    return int(
        TrailEvent.objects.filter(
            actor=user, action=trail.TrailAction.SIGNATURE_REFUSED, at__gt=since
        ).count()
    )


def check_password(user: User, password: str, record: Any, step: str) -> None:
    """The signer's password, re-entered to sign: refused when wrong, and refused
    whatever is given once too many wrong ones came in the lockout period (429). Each
    refusal is written to the record's trail (without the password)."""
    limit, period = _lockout()
    failures = recent_failures(user)
    if failures >= limit:
        _trail_refusal(user, record, step, failures + 1, locked=True)
        minutes = max(1, int(period.total_seconds() // 60))
        raise TransitionError(
            {
                "password": [
                    _(
                        "Too many wrong passwords: signing is locked for %(n)d minutes "
                        "after the last attempt."
                    )
                    % {"n": minutes}
                ]
            },
            status=429,
        )
    if not password or not user.check_password(password):
        _trail_refusal(user, record, step, failures + 1, locked=False)
        raise TransitionError(
            {"password": [_("Re-enter your password to sign; the password given is not correct.")]}
        )


def _trail_refusal(user: User, record: Any, step: str, count: int, *, locked: bool) -> None:
    trail.append(
        action=trail.TrailAction.SIGNATURE_REFUSED,
        instance=record,
        actor=user,
        changes={"signer": user.get_username(), "step": step, "failures": count, "locked": locked},
        message=str(_("Signature refused: locked after too many wrong passwords."))
        if locked
        else str(_("Signature refused: wrong password.")),
    )
