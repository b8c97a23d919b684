"""Review and approval routes: who signs, in what order, and the signing itself.

Used for anything that needs several people's signatures before it takes effect
(a document version today). The route lives in :class:`~hoshin.core.models.SignOff`
rows linked to the record; signing writes a :class:`~hoshin.core.models.Signature`
and trail events through the record's own trail.
"""

from __future__ import annotations

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
    if not password or not user.check_password(password):
        problems.setdefault("password", []).append(
            _("Re-enter your password to sign; the password given is not correct.")
        )
    if problems:
        raise TransitionError(problems)
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
