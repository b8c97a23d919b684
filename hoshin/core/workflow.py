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
class Handover:
    """Who must take the next step once this one is taken: they are named to the person
    taking it (before they confirm) and notified once it is done (core/inbox.py)."""

    # What they are asked to do, after "will be asked to": "verify the actions' effect".
    task: str | Promise
    # The people, given the record (its state before the step): a named person, or the
    # holders of a role.
    people: Callable[[Any], Sequence[User]]
    # Days they have for it, said in the notification ("by 2026-12-24").
    due_days: int | None = None


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
    # What the signature binds: these fields; None: every field people type except those
    # later steps fill in (Workflow.signed_fields). An edit of them while it stands is
    # refused, or with reopen_on_edit takes the record back to the state before the
    # signature and marks it superseded.
    signs: tuple[str, ...] | None = None
    reopen_on_edit: bool = False
    handover: Handover | None = None
    # The fields the step carries: shown in the step's form and taken with the API's
    # transition body, set by whoever may take the step (even if they may not edit the
    # record). None: the fields it requires.
    fields: tuple[str, ...] | None = None
    # Whether the step makes sense for this record at all (a document's kind: only records
    # are closed): one that does not is not offered. Unlike a check, no change to the
    # record makes it possible. None: every record of the register.
    applies: Callable[[Any], bool] | None = None

    def applies_to(self, record: Any) -> bool:
        return self.applies is None or self.applies(record)

    @property
    def step_fields(self) -> tuple[str, ...]:
        return self.required if self.fields is None else self.fields


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
    # The drawn state chart per (current state, language): a workflow does not change
    # once declared, so hoshin.core.charts.state_chart draws each one once per process.
    chart_cache: dict[tuple[str | None, str], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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
        return [
            t
            for t in self.outgoing(record.status)
            if t.applies_to(record) and self.allowed_by_role(t, record, user)
        ]

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

    def apply_values(
        self, t: Transition, record: Record, values: dict[str, Any]
    ) -> dict[str, list[str]]:
        """Set the step's fields on the record and check them with the model's rules;
        what is wrong, by field. Fields the step does not carry are refused."""
        from django.core.exceptions import ValidationError

        found: dict[str, list[str]] = {}
        for name in values:
            if name not in t.step_fields:
                found[name] = [_("The step “%s” does not take this field.") % t.label]
        if found or not values:
            return found
        for name, value in values.items():
            setattr(record, name, value)
        others = [f.name for f in record._meta.fields if f.name not in t.step_fields]
        try:
            record.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                key = key if key in t.step_fields else "__all__"  # NON_FIELD_ERRORS too
                found.setdefault(key, []).extend(messages)
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
        values: dict[str, Any] | None = None,
    ) -> Record:
        """Fire transition ``name`` on ``record`` as ``user``; raises TransitionError if refused.

        ``values`` are the step's own fields (``Transition.step_fields``), already converted
        by its form or serializer: set on the record before its requirements and checks are
        looked at, saved and trailed with the transition. ``today`` is the day it happens
        on, for the effects that record a date (the demo plays past days); it defaults to
        today's date."""
        from hoshin.core import signoff
        from hoshin.core.models import StaleRecordError

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
        problems = self.apply_values(t, record, values or {})
        for key, messages in self.problems(t, record).items():
            known = problems.setdefault(key, [])
            known.extend([m for m in messages if m not in known])
        if t.comment_required and not comment.strip():
            problems.setdefault("comment", []).append(_("Give a reason or comment."))
        if t.signature:
            try:  # throttled and trailed; a lockout (429) is refused before anything else
                signoff.check_password(user, password, record, t.name)
            except TransitionError as exc:
                if exc.status != 400:
                    raise
                problems.setdefault("password", []).extend(exc.problems["password"])
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
            before = record.status
            record.status = t.target
            self.on_transition(record, t, user, comment, today or timezone.localdate())
            left = signoff.superseded_by_going_back(record, self)
            record.save(reason=comment, trail_action=trail.TrailAction.TRANSITION)
            if left:
                signoff.supersede(
                    record,
                    left,
                    _("Back to “%(s)s”: signed again when reached.")
                    % {"s": self.label(record.status)},
                )
            if t.signature:
                self._sign(record, t, user, comment, before)
        from hoshin.core.signals import record_transitioned

        record_transitioned.send(type(record), record=record, transition=t, user=user)
        return record

    def signed_fields(self, t: Transition, record: Record) -> list[str]:
        """What a step's signature binds (attnames): the fields it declares, or else every
        field people type except those later steps still fill in (an objective's outcome
        after its approval), found from the order the states are declared in."""
        from hoshin.core import signoff

        if t.signs is not None:
            return [_attname(record, name) for name in t.signs]
        order = [s.name for s in self.states]
        reached = order.index(t.target)
        later: set[str] = set()
        for u in self.transitions:
            ahead = [s for s in u.sources if order.index(s) >= reached]
            if any(order.index(u.target) > order.index(s) for s in ahead):
                later |= set(u.required) | set(getattr(u, "fields", None) or ())
        later_attnames = {_attname(record, name) for name in later}
        return [a for a in signoff.signable_fields(record) if a not in later_attnames]

    def _sign(self, record: Record, t: Transition, user: User, comment: str, before: str) -> None:
        from hoshin.core import signoff
        from hoshin.core.models import Signature

        fields = self.signed_fields(t, record)
        signature = Signature(
            signer=user,
            signer_name=str(user),
            meaning=str(t.signature),
            content_hash=signoff.signed_hash(record, fields),
            reference=record.reference,
            transition=t.name,
            statement=comment,
            covers={
                "fields": fields,
                "reached": t.target,
                "before": before,
                "reopen": t.reopen_on_edit,
            },
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
                "fields": fields,
            },
            message=comment,
        )

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
                if source == t.target:  # a step that keeps the state (a signed authorisation)
                    continue
                edges.append({"from": source, "to": t.target, "label": str(t.label)})
        return {
            "nodes": nodes,
            "edges": edges,
            "voidable": any(t.target == VOID for t in self.transitions),
        }


def _attname(record: Record, name: str) -> str:
    """A field's column attribute (``owner_id`` for ``owner``)."""
    return str(getattr(record._meta.get_field(name), "attname", name))


def content_hash(record: Record) -> str:
    """SHA-256 of what is being signed: the record's tracked fields at signing time."""
    data = trail.jsonable(record.snapshot())
    blob = json.dumps({"reference": record.reference, "fields": data}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()
