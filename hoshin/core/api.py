"""The REST API, derived from the registry: every register gets the same endpoints.

/api/<register>/ list + create (filters, ``q`` search, ``ordering``, pagination)
/api/<register>/{id}/ read + update (``version`` required: a stale one answers 409)
/api/<register>/{id}/transition/ POST {"transition", "comment", "password", "version"} and
    the fields the step carries (``Transition.step_fields``), e.g. ``"root_cause"``
/api/<register>/{id}/history/ GET the record's trail events

A read (list or one record) takes ``fields=id,reference,…`` for only those fields, or
``view=brief`` for the standard short set (``BRIEF``); the fields left out are never
built nor computed, and neither are the prefetches only they need.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import AnonRateThrottle
from rest_framework.utils.serializer_helpers import BindingDict

from hoshin.core import permissions, tokens, trail
from hoshin.core.actor import acting_as
from hoshin.core.addresses import client_address
from hoshin.core.api_errors import JSONField, Pagination, exception_handler  # noqa: F401
from hoshin.core.models import TrailEvent
from hoshin.core.registry import RegisterType, field_names, hook, model_fields, registry
from hoshin.core.signals import record_created
from hoshin.core.workflow import TransitionError

# The short form of a record (``?view=brief``): those of these a register has.
BRIEF = ("id", "reference", "title", "status", "owner", "due_date", "version", "url")
VIEWS = ("full", "brief")
# The serializer context's key for the fields a read asked for (absent: all of them).
SPARSE = "sparse_fields"


class HasRole(BasePermission):
    message = "Your account has no role in Hoshin."

    def has_permission(self, request: Request, view: Any) -> bool:
        return permissions.has_any_role(request.user)


# The fields each serializer class builds, per field set asked for (``SPARSE``); never
# bound nor used themselves: every serializer gets copies (``_own_copy``).
_built: dict[tuple[type, frozenset[str] | None], dict[str, serializers.Field]] = {}


# Values a rebuilt field may share with the built one: never changed in place (a query
# set is cloned by the field before use; validators are shared by DRF's own copies too).
_SHARED = (str, int, float, bool, type(None), Promise, models.Manager, models.QuerySet)
# Arguments shared whatever their type: DRF's copies share these two, and a choice field
# makes dicts of its own from its choices.
_SHARED_ARGUMENTS = ("validators", "regex", "choices")


def _own_copy(field: serializers.Field) -> serializers.Field:
    """A new unbound field like ``field``, made as DRF copies declared fields (from the
    arguments it was made with, so what its constructor adds, e.g. a max-length validator
    whose message is translated once, is its own) but without deep-copying the arguments
    that are never changed; a field holding other fields is deep-copied, as DRF does."""
    if isinstance(field, serializers.BaseSerializer) or "child" in vars(field):
        return copy.deepcopy(field)
    kwargs = {
        key: value
        if key in _SHARED_ARGUMENTS or isinstance(value, _SHARED)
        else copy.deepcopy(value)
        for key, value in field._kwargs.items()  # type: ignore[attr-defined]
    }
    return type(field)(*field._args, **kwargs)  # type: ignore[attr-defined]


# Builds its fields once per class and field set, not on every request (model
# introspection and deep copies were a third of a list's serialising time): only what
# ``get_fields`` reads may vary them, i.e. the class and the ``SPARSE`` context. (Said in
# comments: the schema would show a docstring as every subclass's description.)
class BuiltOnceSerializer(serializers.ModelSerializer):
    @cached_property
    def fields(self) -> BindingDict:
        key = (type(self), self.context.get(SPARSE))
        built = _built.get(key)
        if built is None:
            built = _built[key] = dict(self.get_fields())
        fields = BindingDict(self)
        for name, field in built.items():
            fields[name] = _own_copy(field)  # binds the copy to this serializer
        return fields


class RecordSerializer(BuiltOnceSerializer):
    """Base of every register's serializer."""

    # A model's JSON field refuses null where the column has none, and JSON too deep.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: JSONField,
    }

    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The version you read; required on update. A stale one gives 409.",
    )
    available_transitions = serializers.SerializerMethodField()

    record_fields = (
        "id",
        "reference",
        "title",
        "status",
        "status_label",
        "owner",
        "site",
        "due_date",
        "created_at",
        "updated_at",
        "version",
        "available_transitions",
    )

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        # Narrowed before the fields are built: the others cost nothing.
        names: list[str] = super().get_field_names(declared_fields, info)
        only: Collection[str] | None = self.context.get(SPARSE)
        return names if only is None else [n for n in names if n in only]

    def _workflow(self) -> Any:
        return registry.for_model(self.Meta.model).workflow

    def get_status_label(self, obj: Any) -> str:
        return str(self._workflow().label(obj.status))

    def get_available_transitions(self, obj: Any) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [t.name for t in self._workflow().available(obj, request.user)]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError({"version": ["Send the version you read."]})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("version", None)
        many = self._pop_many(validated_data)
        model: Any = self.Meta.model
        instance = model(**validated_data)
        self._clean(instance)
        instance.save()
        self._set_many(instance, many)
        return instance

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        instance.version = validated_data.pop("version")
        many = self._pop_many(validated_data)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        self._clean(instance)
        instance.save(reason=self._reason())
        self._set_many(instance, many)
        return instance

    def _reason(self) -> str:
        request = self.context.get("request")
        return str(request.data.get("reason", "")) if request is not None else ""

    def _pop_many(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        """Many-to-many values are set after the record is saved (it needs an id)."""
        model: Any = self.Meta.model
        names = [f.name for f in model._meta.many_to_many]
        return {name: validated_data.pop(name) for name in names if name in validated_data}

    def _set_many(self, instance: Any, many: dict[str, Any]) -> None:
        if not many:
            return
        before = trail.m2m_values(instance, list(many))
        for name, values in many.items():
            getattr(instance, name).set(values)
        trail.append_m2m_changes(
            instance, before, trail.m2m_values(instance, list(many)), self._reason()
        )

    def _clean(self, instance: Any) -> None:
        try:
            instance.full_clean(exclude=["reference", "status", "owner", "created_by"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


def serializer_for(rt: RegisterType) -> type[RecordSerializer]:
    """A register's serializer, derived from its fields: the record's own, the model
    fields of its forms (all writable unless read-only), and ``api_fields``."""
    base = rt.serializer_base or RecordSerializer
    model: Any = rt.model
    names = field_names(rt.fieldsets) + field_names(rt.create_fieldsets)
    own = [n for n in model_fields(model, names) if n not in RecordSerializer.record_fields]
    fields = tuple(dict.fromkeys([*RecordSerializer.record_fields, *own, *rt.api_fields]))
    m2m = {f.name for f in model._meta.many_to_many if f.name in fields}
    base_meta = getattr(base, "Meta", None)
    extra = {"owner": {"required": False}} | {n: {"required": False} for n in m2m}
    attrs = {
        "model": model,
        "fields": fields,
        "read_only_fields": tuple(rt.read_only_fields),
        "extra_kwargs": extra | getattr(base_meta, "extra_kwargs", {}),
    }
    if base_meta is not None and hasattr(base_meta, "list_serializer_class"):
        attrs["list_serializer_class"] = base_meta.list_serializer_class
    meta = type("Meta", (), attrs)
    name = f"{model.__name__}Serializer"
    return type(name, (base,), {"Meta": meta, "__module__": base.__module__})


_readable: dict[type, tuple[str, ...]] = {}


def readable_fields(serializer_class: type[serializers.BaseSerializer]) -> tuple[str, ...]:
    """The fields a register's answers show, in their order (built once per process)."""
    if serializer_class not in _readable:
        fields = serializer_class().fields.items()  # type: ignore[attr-defined]
        _readable[serializer_class] = tuple(n for n, f in fields if not f.write_only)
    return _readable[serializer_class]


def requested_fields(request: Request, known: tuple[str, ...]) -> frozenset[str] | None:
    """The fields ``fields`` or ``view`` ask for, or None for all of them; a name that is
    not one of ``known`` is refused (400) by name."""
    view = request.query_params.get("view", "")
    if view and view not in VIEWS:
        raise serializers.ValidationError({"view": [_("One of: %s.") % ", ".join(VIEWS)]})
    raw = ",".join(request.query_params.getlist("fields"))
    names = list(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    if names:
        unknown = [n for n in names if n not in known]
        if unknown:
            raise serializers.ValidationError(
                {
                    "fields": [
                        _("No such field: %(unknown)s. The fields are: %(known)s.")
                        % {"unknown": ", ".join(unknown), "known": ", ".join(known)}
                    ]
                }
            )
        return frozenset(names)
    if view == "brief":
        return frozenset(n for n in BRIEF if n in known)
    return None


# Query parameters that neither filter nor order: a read with only these skips the
# filter backends.
UNFILTERED_PARAMS = frozenset({"page", "page_size", "fields", "view", "format"})

_columns: dict[tuple[type, frozenset[str]], tuple[str, ...] | None] = {}


def plain_columns(
    serializer_class: type[serializers.BaseSerializer], names: frozenset[str]
) -> tuple[str, ...] | None:
    """The model fields behind ``names`` when each is a model field the serializer reads
    by itself (no method, no dotted source, no many-to-many), else None."""
    key = (serializer_class, names)
    if key not in _columns:
        serializer: Any = serializer_class(context={SPARSE: names})
        sources = [serializer.fields[name].source for name in names]
        _columns[key] = _model_columns(serializer.Meta.model, sources)
    return _columns[key]


def _model_columns(model: Any, sources: list[Any]) -> tuple[str, ...] | None:
    columns = []
    for source in sources:
        try:
            field = model._meta.get_field(source)
        except FieldDoesNotExist:  # a method, a property, "*": not a column
            return None
        if not field.concrete or field.many_to_many:
            return None
        columns.append(field.name)
    return tuple(sorted(columns))


_narrowed: dict[tuple[type, frozenset[str]], type] = {}


def narrowed_filterset(filterset_class: Any, asked: frozenset[str]) -> Any:
    """``filterset_class`` with only the filters ``asked`` names (a filter whose form field
    has several inputs reads ``<name>_<suffix>``: kept for those too)."""
    key = (filterset_class, asked)
    if key not in _narrowed:
        narrowed: Any = type(
            filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__}
        )
        narrowed.base_filters = {
            name: f
            for name, f in filterset_class.base_filters.items()
            if any(p == name or p.startswith(f"{name}_") for p in asked)
        }
        _narrowed[key] = narrowed
    return _narrowed[key]


class TransitionSerializer(serializers.Serializer):
    """The step; the fields it carries ride beside these, by their names on the record."""

    transition = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    version = serializers.IntegerField(required=False)


class TrailEventSerializer(BuiltOnceSerializer):
    class Meta:
        model = TrailEvent
        fields = (
            "id",
            "seq",
            "at",
            "actor_label",
            "action",
            "reference",
            "changes",
            "message",
            "hash",
            "prev_hash",
        )


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """No destroy: records are voided through the ``void`` transition, never deleted."""

    register: RegisterType
    filterset_class: Any  # the register's (build_router)
    permission_classes = [HasRole]
    # What a read asked for (``fields``/``view``); writes answer with every field.
    sparse: frozenset[str] | None = None
    _actor: Any = None  # the acting_as block of this request, once its user is known

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action in ("list", "retrieve"):
            self.sparse = requested_fields(request, readable_fields(self.get_serializer_class()))
        # Token authentication happens here, after the middleware: set the actor now.
        self._actor = acting_as(request.user)  # type: ignore[arg-type]
        self._actor.__enter__()

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # The actor is put back however the request ends, an unhandled error included (left
        # to the garbage collector, its reset would later restore the request's actor).
        self._actor = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._actor is not None:
                self._actor.__exit__(None, None, None)
                self._actor = None

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        if self.sparse is not None:
            context[SPARSE] = self.sparse
        return context

    def get_queryset(self) -> Any:
        prefetch = self.register.api_prefetch_related
        qs: Any = self.register.queryset()
        if self.sparse is not None:
            prefetch = [p for p in prefetch if p.split("__")[0] in self.sparse]
            columns = plain_columns(self.get_serializer_class(), self.sparse)
            if columns is not None:
                # Only model fields asked for: their columns alone, without the joins the
                # list page needs (a relation is answered by its id).
                qs = qs.select_related(None).only(*columns)
        qs = qs.prefetch_related(*prefetch).visible_to(self.request.user)
        return qs.order_by("-created_at", "-pk")

    def filter_queryset(self, queryset: Any) -> Any:
        # Without a filter or an ordering asked for, the backends would give the query set
        # back as it is, after building the filter form (deep copies of every filter and
        # its widgets: about a fifth of a plain list's time).
        asked = frozenset(self.request.query_params) - UNFILTERED_PARAMS
        if not asked:
            return queryset
        # Only the filters asked for are built (the others would filter nothing); the
        # class's own stays for the browsable API's form.
        self.filterset_class = narrowed_filterset(type(self).filterset_class, asked)
        try:
            return super().filter_queryset(queryset)
        finally:
            del self.filterset_class

    def perform_create(self, serializer: Any) -> None:
        if not permissions.can_create(self.request.user, self.register.model):
            raise PermissionDenied
        with transaction.atomic():
            record = serializer.save()
        record_created.send(type(record), record=record, user=self.request.user)

    def perform_update(self, serializer: Any) -> None:
        if not permissions.can_edit(self.request.user, serializer.instance):
            raise PermissionDenied("You may not edit this record.")
        # The record, its many-to-many fields and their trail events, all or nothing.
        with transaction.atomic():
            serializer.save()

    @extend_schema(request=TransitionSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("version") is not None:
            record.version = values["version"]
        workflow = self.register.workflow
        t = workflow.transition(values["transition"])
        if record.status in t.sources and not workflow.allowed_by_role(t, record, request.user):  # type: ignore[arg-type]
            # Refused before its fields are looked at, in the words the workflow uses.
            raise TransitionError(
                {"transition": [_("You are not allowed to do “%s”.") % t.label]}, status=403
            )
        workflow.perform(
            record,
            t.name,
            request.user,  # type: ignore[arg-type]
            comment=values["comment"],
            password=values["password"],
            values=self._step_values(record, t, request.data),
        )
        record = self.get_object()
        return Response(self.get_serializer(record).data)

    def _step_values(self, record: Any, t: Any, body: Any) -> dict[str, Any]:
        """The fields of the body that step ``t`` carries, converted by the register's
        serializer (its field rules and messages); any other field is refused."""
        own = set(TransitionSerializer().fields)
        sent = {k: v for k, v in body.items() if k not in own} if hasattr(body, "items") else {}
        unknown = {k: [f"The step “{t.label}” does not take this field."] for k in sent}
        for name in t.step_fields:
            unknown.pop(name, None)
        if unknown:
            raise serializers.ValidationError(unknown)
        if not sent:
            return {}
        serializer = self.get_serializer(
            record, data={**sent, "version": record.version}, partial=True
        )
        if not serializer.is_valid():
            errors: dict[str, Any] = dict(serializer.errors)
            raise serializers.ValidationError(
                {k: v for k, v in errors.items() if k in sent or k == "non_field_errors"} or errors
            )
        return {k: serializer.validated_data[k] for k in sent if k in serializer.validated_data}

    @extend_schema(responses=TrailEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        events = trail.record_history(record)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(TrailEventSerializer(page, many=True).data)


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for rt in registry:
        mixin = hook(rt.api_mixin)
        bases = (mixin, RecordViewSet) if mixin else (RecordViewSet,)
        viewset = type(
            f"{rt.model.__name__}ViewSet",
            bases,
            {
                "register": rt,
                "serializer_class": rt.serializer_class,
                "filterset_class": rt.filterset_class,
                "ordering_fields": list(rt.sortable.values()),
                "queryset": rt.model._default_manager.none(),
            },
        )
        router.register(rt.slug, viewset, basename=f"api-{rt.slug}")
    return router


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request: Request) -> str:
        # DRF would believe any X-Forwarded-For by default: the configured address instead.
        return client_address(request)


class ObtainToken(ObtainAuthToken):
    """A token for the right user name and password, unless the person may not have one:
    their password was set by an administrator and not yet changed (403, saying so)."""

    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if reason := tokens.refusal(user):
            raise PermissionDenied(reason)
        return Response({"token": tokens.issue(user).key})
