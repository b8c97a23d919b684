"""Declarative workflows: one state machine per record type.

The same definition drives the buttons on the record page, the API's
``transition`` endpoint, the state chart and the tests. Written here rather than
taken from a state-machine library because the properties needed are data, not
decorators: per-transition roles (including "the record's owner"), fields required
before a transition with their names shown to the user, checks with messages, and
e-signatures; all inspectable to draw the chart and list available transitions.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hoshin.core import roles, trail

if TYPE_CHECKING:
    from hoshin.core.models import Record, User

# A check receives the register's own record type; typed loosely so each register's
# checks can name their model.
Check = Callable[[Any], "str | Promise | None"]
# What a transition does to the record beyond its status, before it is saved: called
# with the record, the person, their comment and the day. Declared on the transition, so the
# workflow module wires in the services it needs and the models import none of them.
Effect = Callable[[Any, "User", str, datetime.date], None]

# Entering this state marks the record void (it stays, never deleted), whatever else
# the transition's effect does.
VOID = "void"


@dataclass(frozen=True)
class State:
    name: str
    label: str | Promise
    final: bool = False
    # Open but at rest (a document in force, a KPI being measured): not a to-do on its
    # owner's home page unless its date has passed.
    steady: bool = False


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    signature: str | None = None  # the meaning of the signature, when one is needed
    comment_required: bool = False
    signer_not_owner: bool = False
    style: str = "primary"
    help: str | Promise = ""
    # Someone waits for this signature (listed under "waiting for my signature"); not
    # for occasional steps such as making a document obsolete.
    awaited: bool = True
    effect: Effect | None = None


class TransitionError(Exception):
    """A transition was refused; ``problems`` name what is missing, by field when known."""

    def __init__(self, problems: dict[str, list[str]], status: int = 400) -> None:
        self.problems = problems
        self.status = status
        super().__init__("; ".join(m for ms in problems.values() for m in ms))


@dataclass
class Workflow:
    states: Sequence[State]
    transitions: Sequence[Transition]
    initial: str
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {t.name: t for t in self.transitions}
        names = {s.name for s in self.states}
        unknown = {self.initial} - names
        for t in self.transitions:
            unknown |= ({t.target} | set(t.sources)) - names
        if unknown:
            raise ValueError(f"Workflow refers to unknown states: {sorted(unknown)}")

    @property
    def final_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states if s.final)

    def state(self, name: str) -> State:
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def label(self, name: str) -> str:
        try:
            return str(self.state(name).label)
        except KeyError:
            return name

    def choices(self) -> list[tuple[str, str | Promise]]:
        return [(s.name, s.label) for s in self.states]

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError({"transition": [_("Unknown transition “%s”.") % name]}) from None

    def outgoing(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    # --- who may do what -------------------------------------------------------
    def allowed_by_role(self, t: Transition, record: Record, user: User) -> bool:
        if not getattr(user, "is_authenticated", False) or user.is_read_only:
            return False
        if user.roles & t.roles:
            return True
        return roles.OWNER in t.roles and record.owner_id == user.pk

    def available(self, record: Record, user: User) -> list[Transition]:
        """Transitions this person could fire now (requirements may still be missing)."""
        return [t for t in self.outgoing(record.status) if self.allowed_by_role(t, record, user)]

    def problems(self, t: Transition, record: Record) -> dict[str, list[str]]:
        """What stands between the record and the transition, by field."""
        found: dict[str, list[str]] = {}
        for name in t.required:
            value = getattr(record, name, None)
            if value in (None, "", [], {}) or (isinstance(value, list) and not any(value)):
                label = getattr(record._meta.get_field(name), "verbose_name", name)
                found.setdefault(name, []).append(
                    _("%s is required first.") % str(label).capitalize()
                )
        for check in t.checks:
            message = check(record)
            if message:
                found.setdefault("__all__", []).append(str(message))
        return found

    # --- doing it ----------------------------------------------------------------
    def perform(
        self,
        record: Record,
        name: str,
        user: User,
        *,
        comment: str = "",
        password: str = "",
        today: datetime.date | None = None,
    ) -> Record:
        """Fire transition ``name`` on ``record`` as ``user``; raises TransitionError if refused.

        ``today`` is the day it happens on, for the effects that record a date (the demo
        plays past days); it defaults to today's date."""
        from hoshin.core.models import Signature, StaleRecordError

        t = self.transition(name)
        if record.status not in t.sources:
            raise TransitionError(
                {
                    "transition": [
                        _("“%(t)s” is not possible from the state “%(s)s”.")
                        % {"t": t.label, "s": self.label(record.status)}
                    ]
                },
                status=409,
            )
        if not self.allowed_by_role(t, record, user):
            raise TransitionError(
                {"transition": [_("You are not allowed to do “%s”.") % t.label]}, status=403
            )
        problems = self.problems(t, record)
        if t.comment_required and not comment.strip():
            problems.setdefault("comment", []).append(_("Give a reason or comment."))
        if t.signature:
            if not password or not user.check_password(password):
                problems.setdefault("password", []).append(
                    _("Re-enter your password to sign; the password given is not correct.")
                )
            if t.signer_not_owner and record.owner_id == user.pk:
                problems.setdefault("__all__", []).append(
                    _("The signature must be given by someone other than the record's owner.")
                )
        if problems:
            raise TransitionError(problems)

        with transaction.atomic():
            fresh = type(record)._default_manager.select_for_update().get(pk=record.pk)
            if fresh.version != record.version:
                raise StaleRecordError(record)
            record.status = t.target
            self.on_transition(record, t, user, comment, today or timezone.localdate())
            record.save(reason=comment, trail_action=trail.TrailAction.TRANSITION)
            if t.signature:
                signature = Signature(
                    signer=user,
                    signer_name=str(user),
                    meaning=t.signature,
                    content_hash=content_hash(record),
                    reference=record.reference,
                    transition=t.name,
                    statement=comment,
                )
                signature.link_to(record)
                signature.save()
                trail.append(
                    action=trail.TrailAction.SIGNATURE,
                    instance=record,
                    changes={
                        "meaning": t.signature,
                        "signer": user.get_username(),
                        "content_hash": signature.content_hash,
                        "transition": t.name,
                    },
                    message=comment,
                )
        from hoshin.core.signals import record_transitioned

        record_transitioned.send(type(record), record=record, transition=t, user=user)
        return record

    def on_transition(
        self, record: Record, t: Transition, user: User, comment: str, today: datetime.date
    ) -> None:
        """Apply what the transition does besides changing the status."""
        if t.target == VOID:
            record.mark_void(comment)
        if t.effect is not None:
            t.effect(record, user, comment, today)

    # --- the state chart --------------------------------------------------------
    def chart(self, current: str | None = None) -> dict[str, Any]:
        """Nodes and edges for drawing; laid out left to right along the main path."""
        order = [s.name for s in self.states if s.name != VOID]
        nodes = [
            {"name": s.name, "label": str(s.label), "current": s.name == current, "x": i}
            for i, s in enumerate(self.states)
            if s.name in order
        ]
        edges = []
        for t in self.transitions:
            if t.target == VOID:
                continue
            for source in t.sources:
                edges.append({"from": source, "to": t.target, "label": str(t.label)})
        return {
            "nodes": nodes,
            "edges": edges,
            "voidable": any(t.target == VOID for t in self.transitions),
        }


def content_hash(record: Record) -> str:
    """SHA-256 of what is being signed: the record's tracked fields at signing time."""
    data = trail.jsonable(record.snapshot())
    blob = json.dumps({"reference": record.reference, "fields": data}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
