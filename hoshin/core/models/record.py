"""The base every QMS record stands on.

``TrailedModel`` gives any model an audit trail written from ``save()`` (so every code
path is covered), optimistic concurrency through ``version``, and voiding instead of
deletion. ``Record`` adds what a register entry has: a human-friendly reference,
title, owner, site, status and due date.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import numbers, roles
from hoshin.core.models.people import Site

if TYPE_CHECKING:
    from hoshin.core.workflow import Workflow


class StaleRecordError(Exception):
    """Someone else saved the record after this copy was read."""

    def __init__(self, instance: models.Model) -> None:
        self.instance = instance
        super().__init__(
            _(
                "This record was changed by someone else while you were editing it. "
                "Reload it to see their change, then apply yours again."
            )
        )


class VoidedRecordError(Exception):
    pass


# Fields never compared or shown in the trail.
_UNTRACKED = {"updated_at", "version", "content_type", "object_id"}


class TrailedQuerySet(models.QuerySet[Any]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Records are voided, never deleted.")


class TrailedModel(models.Model):
    """A model whose every create and change is written to the audit trail."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, editable=False)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True, editable=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    objects: ClassVar[Any] = TrailedQuerySet.as_manager()

    # Long texts (a document's body) go into the trail as length and hash, not in full:
    # the trail stays small, and a record destroyed at the end of its retention period
    # leaves no copy of its content behind in the trail.
    trail_digest_fields: ClassVar[frozenset[str]] = frozenset()
    # Fields kept in step with other trailed data by a direct UPDATE (a KPI's next due
    # date): verify-trail does not compare them with the record's own trail.
    trail_derived_fields: ClassVar[frozenset[str]] = frozenset()

    # A child whose rows its parent's tallies read (a cost line): saving it recounts the
    # parent's contribution (hoshin.core.tally).
    tallied_in_parent: ClassVar[bool] = False

    class Meta:
        abstract = True

    def tallies(self) -> Iterable[tuple[str, str, datetime.date | None, Decimal | None]]:
        """What this record adds to the home page's and dashboards' figures:
        ``(tally name, label, day, amount)``, one tuple per record counted."""
        return ()

    # A child (a corrective action, a cost line) writes into its parent's trail.
    @property
    def trail_parent(self) -> models.Model | None:
        return None

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Records are voided, never deleted.")

    def tracked_fields(self) -> list[models.Field[Any, Any]]:
        return [
            f for f in self._meta.concrete_fields if f.name not in _UNTRACKED and not f.primary_key
        ]

    def snapshot(self) -> dict[str, Any]:
        """Field values for the trail, foreign keys by their id."""
        return {f.attname: getattr(self, f.attname) for f in self.tracked_fields()}

    def _describe(self, field: models.Field[Any, Any], value: Any) -> Any:
        if value is None or value == "":
            return value
        if field.name in self.trail_digest_fields:
            data = str(value).encode()
            return f"{len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}"
        if field.name == "status" and not field.choices:
            workflow = getattr(type(self), "workflow", None)
            return workflow.label(value) if workflow is not None else value
        if isinstance(value, Decimal):
            return numbers.plain(value)  # 2, not the column's 2.000000
        if isinstance(value, list):
            return " / ".join(str(v) for v in value if str(v).strip())
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items() if str(v).strip())
        if field.is_relation and isinstance(field.related_model, type):
            # The object this record holds already (its owner, its process) needs no query.
            cache: Any = field  # a relation field, with the descriptor cache's helpers
            cached = cache.get_cached_value(self, None) if cache.is_cached(self) else None
            if cached is not None and cached.pk == value:
                return str(cached)
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else value
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value

    def _stored(self, field: models.Field[Any, Any], value: Any) -> Any:
        """The value as stored (a digest for a long text), kept in the record's own
        events so that verify-trail can rebuild the row from its trail; a child's
        events (an action in its record's trail) carry none."""
        if field.name in self.trail_digest_fields and value not in (None, ""):
            return self._describe(field, value)
        return value

    def _change(self, field: models.Field[Any, Any], old: Any, new: Any, own: bool) -> Any:
        change = {
            "label": str(field.verbose_name),
            "before": self._describe(field, old),
            "after": self._describe(field, new),
        }
        if own:
            change["value"] = self._stored(field, new)
        return change

    def _diff(self, before: dict[str, Any]) -> dict[str, Any]:
        from hoshin.core.trail import jsonable

        own = self.trail_parent is None
        changes: dict[str, Any] = {}
        for f in self.tracked_fields():
            old, new = before.get(f.attname), getattr(self, f.attname)
            if jsonable(old) != jsonable(new):
                changes[f.name] = self._change(f, old, new, own)
        return changes

    def save(  # noqa: DJ012  (kept beside the diff helpers it uses)
        self,
        *args: Any,
        reason: str = "",
        trail_action: str | None = None,
        check_version: bool = True,
        **kwargs: Any,
    ) -> None:
        """Save and write the trail event in the same transaction.

        On update the row is locked and its version compared with the version this
        copy was read at: a stale copy raises :class:`StaleRecordError`.
        """
        from hoshin.core import tally

        root = tally.root_of(self)
        if root is not None and root is not self:
            with tally.tracking(root):
                self._save(
                    *args,
                    reason=reason,
                    trail_action=trail_action,
                    check_version=check_version,
                    tallied=False,
                    **kwargs,
                )
            return
        self._save(
            *args,
            reason=reason,
            trail_action=trail_action,
            check_version=check_version,
            tallied=root is not None,
            **kwargs,
        )

    def _save(
        self,
        *args: Any,
        reason: str,
        trail_action: str | None,
        check_version: bool,
        tallied: bool,
        **kwargs: Any,
    ) -> None:
        from hoshin.core import tally, trail

        with transaction.atomic():
            if self._state.adding:
                self.before_create()
                super().save(*args, **kwargs)
                if tallied:
                    with tally.children_as(self, None):  # a new record has none yet
                        tally.apply(tally.contribution(self))
                own = self.trail_parent is None
                changes = {
                    f.name: self._change(f, None, getattr(self, f.attname), own)
                    for f in self.tracked_fields()
                    if getattr(self, f.attname) not in (None, "", [], {})
                }
                trail.append(
                    action=trail_action or trail.TrailAction.CREATE,
                    instance=self,
                    changes=changes,
                    message=reason or self._child_label(),
                )
                return
            current = type(self)._default_manager.select_for_update().get(pk=self.pk)
            if check_version and current.version != self.version:
                raise StaleRecordError(self)
            changes = self._diff(current.snapshot())
            self.version = current.version + 1
            kwargs.pop("update_fields", None)
            super().save(*args, **kwargs)
            if tallied:
                # The record's own save changes none of its children: read them once.
                with tally.children_as(self, current):
                    before, after = tally.contribution(current), tally.contribution(self)
                    tally.apply(tally.difference(before, after))
            if changes or trail_action:
                trail.append(
                    action=trail_action or trail.TrailAction.CHANGE,
                    instance=self,
                    changes=changes,
                    message=reason or self._child_label(),
                )

    def _child_label(self) -> str:
        """For an event written into a parent's trail: say what it is about."""
        if self.trail_parent is None:
            return ""
        return f"{str(self._meta.verbose_name).capitalize()}: {str(self)[:120]}"

    def before_create(self) -> None:
        """Hook for allocating references and defaults inside the create transaction."""

    def mark_void(self, reason: str) -> None:
        """Mark the record void (it stays); the caller saves it."""
        self.voided_at = timezone.now()
        self.void_reason = reason.strip()

    def void(self, reason: str) -> None:
        from hoshin.core import trail

        if not reason.strip():
            raise ValueError("A reason is required to void a record.")
        self.mark_void(reason)
        self.save(reason=reason, trail_action=trail.TrailAction.VOID)


class Counter(models.Model):
    """Next number per reference series (e.g. ``NC-2026``), incremented under a row lock."""

    key = models.CharField(max_length=60, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"

    @classmethod
    def next(cls, key: str) -> int:
        """One statement: the increment locks the row until the caller's transaction ends
        and returns the new value (both databases support UPDATE ... RETURNING)."""
        q = connection.ops.quote_name
        table = q(cls._meta.db_table)
        sql = (
            f"UPDATE {table} SET {q('value')} = {q('value')} + 1 "  # noqa: S608
            f"WHERE {q('key')} = %s RETURNING {q('value')}"
        )
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [key])
                row = cursor.fetchone()
            if row is not None:
                return int(row[0])
            try:
                with transaction.atomic():
                    cls.objects.create(key=key, value=1)
            except IntegrityError:  # another writer made the series first: take the next
                return cls.next(key)
            return 1


class RecordQuerySet(TrailedQuerySet):
    def visible_to(self, user: Any) -> RecordQuerySet:
        """Records this person may see: everything for oversight roles, else their own."""
        if not getattr(user, "is_authenticated", False) or not user.roles:
            return self.none()
        if user.roles & roles.SEE_ALL:
            return self
        return self.filter(self.model.involvement_q(user))

    def active(self) -> RecordQuerySet:
        return self.filter(voided_at__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> RecordQuerySet:
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=self.model.final_states())


class Record(TrailedModel):
    """Abstract base of every register entry."""

    reference_prefix: ClassVar[str] = "REC"
    # Every register's model names its workflow; the registration and the generic
    # views read it from here.
    workflow: ClassVar[Workflow]

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    status = models.CharField(_("status"), max_length=32, db_index=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )

    objects: ClassVar[Any] = RecordQuerySet.as_manager()
    # Set by save(): the signatures an edit superseded (the page says so).
    superseded_signatures: list[Any]

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @classmethod
    def involvement_q(cls, user: Any) -> Q:
        """Records a person without an oversight role may see: those that concern them."""
        return Q(owner=user) | Q(created_by=user)

    @classmethod
    def final_states(cls) -> tuple[str, ...]:
        return cls.workflow.final_states

    def tallies(self) -> Iterable[tuple[str, str, datetime.date | None, Decimal | None]]:
        """Every register counts its rows (a list's count when nothing filters it) and its
        open records by state and due date (the home page's open and overdue figures); a
        voided record is not open."""
        from hoshin.core.tally import all_name, open_name

        yield (all_name(type(self)), "", None, None)  # every row: the lists' unfiltered count
        if self.voided_at is None and self.status not in self.final_states():
            yield (open_name(type(self)), self.status, self.due_date, None)

    def next_reference(self) -> str:
        year = (self.created_at or timezone.now()).year
        key = f"{self.reference_prefix}-{year}"
        return f"{key}-{Counter.next(key):04d}"

    def before_create(self) -> None:
        if not self.reference:
            self.reference = self.next_reference()
        if not self.status:
            self.status = self.workflow.initial
        from hoshin.core.actor import current_actor

        actor = current_actor()
        if self.created_by_id is None and actor is not None:
            self.created_by = actor
        if self.owner_id is None and actor is not None:
            self.owner = self.default_owner(actor)

    def default_owner(self, creator: Any) -> Any:
        """Who owns a new record when nobody was named: whoever records it, unless the
        register says otherwise (a nonconformity goes to its process owner)."""
        return creator

    def get_status_display(self) -> str:
        return self.workflow.label(self.status)

    # --- signed content ----------------------------------------------------------------
    def clean(self) -> None:
        """An edit of fields a signature in force covers is refused, field by field
        (unless the signing step reopens the record on edit; see ``save``)."""
        super().clean()
        from django.core.exceptions import ValidationError

        from hoshin.core import signoff

        problems = signoff.frozen_problems(self)
        if problems:
            raise ValidationError(problems)

    def save(  # noqa: DJ012  (beside the signed-content rules it applies)
        self, *args: Any, reason: str = "", trail_action: str | None = None, **kwargs: Any
    ) -> None:
        """An edit (not a workflow step) of signed content: refused, or where the signing
        step says so, the record goes back to the state before the signature and the
        signature is marked superseded, in the same transaction."""
        from hoshin.core import trail

        if self._state.adding or trail_action not in (None, trail.TrailAction.CHANGE):
            super().save(*args, reason=reason, trail_action=trail_action, **kwargs)
            return
        from django.core.exceptions import ValidationError

        from hoshin.core import signoff

        with transaction.atomic():
            problems = signoff.frozen_problems(self)
            if problems:
                raise ValidationError(problems)
            superseded = signoff.reopen_for_edit(self)
            super().save(*args, reason=reason, trail_action=trail_action, **kwargs)
            if superseded:
                signoff.supersede(
                    self,
                    superseded,
                    str(_("Signed content changed: back to “%(state)s” to be signed again."))
                    % {"state": self.workflow.label(self.status)},
                )
        self.superseded_signatures = superseded

    def on_signature_superseded(self, signature: Any) -> None:
        """What the record undoes when a signature stops standing (a register whose field
        records the signer clears it); called before the record is saved."""

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status not in self.final_states()
        )
