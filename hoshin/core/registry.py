"""The registry of record types.

Each register declares itself once (model, forms, filterset, columns, serializer,
workflow, the ISO clauses it evidences); the generic views, URLs, exports and the
REST API are derived from the registrations.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise

if TYPE_CHECKING:
    from hoshin.core.workflow import Workflow


@dataclass(frozen=True)
class Column:
    """A list/export column: ``name`` is an attribute path, ``sort`` a database ordering."""

    name: str
    label: str | Promise
    sort: str | None = None
    link: bool = False

    def value(self, obj: Any) -> Any:
        target = obj
        parts = self.name.split(".")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return None
        last = parts[-1]
        display = getattr(target, f"get_{last}_display", None)
        if callable(display):
            return display()
        value = getattr(target, last, None)
        return value() if callable(value) else value


@dataclass(frozen=True)
class Section:
    """A block another app adds to a register's record page (e.g. the risks raised from
    a nonconformity), so the register's own app need not know that app."""

    template: str
    context: Callable[[Any, Any], dict[str, Any]]


@dataclass
class RegisterType:
    model: type[models.Model]
    slug: str
    label: str | Promise
    label_singular: str | Promise
    workflow: Workflow
    form_class: type[Any]
    filterset_class: type[Any]
    serializer_class: type[Any]
    columns: list[Column]
    # Full-text searched by ``q``; the register's migration creates the index of exactly
    # these fields with ``hoshin.core.search.SearchIndex``.
    search_fields: list[str]
    create_form_class: type[Any] | None = None
    clauses: list[str] = field(default_factory=list)
    list_select_related: list[str] = field(default_factory=list)
    # The index keeps a stored vector on PostgreSQL (``search.StoredSearchVector``).
    search_stored: bool = False
    # Long columns lists and exports never show (a document's searchable text).
    list_defer: list[str] = field(default_factory=list)
    # Many-to-many fields the API shows, loaded for a whole page at once.
    api_prefetch_related: list[str] = field(default_factory=list)
    detail_template: str | None = None
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = None
    pdf: Callable[[Any, Any], bytes] | None = None
    help: str | Promise = ""
    nav: bool = True
    # A shorter name for the navigation bar, when the label is long.
    nav_label: str | Promise = ""
    create_label: str | Promise = ""
    # Extra buttons beside "create" on the list page (a template to include).
    list_actions_template: str | None = None
    # Run before the register is read (list, detail, export, API): for work that is due
    # by date, done lazily so nothing depends on a scheduled task having run.
    before_read: Callable[[], Any] | None = None
    # Register-specific API actions: a mixin of DRF ``@action`` methods for the viewset.
    api_mixin: type | None = None
    # Records of this register carry actions of this kind ("corrective", "treatment"):
    # the generic action pages exist for it.
    action_kind: str = ""
    # Blocks other apps add to the record page (see ``Section``).
    sections: list[Section] = field(default_factory=list)

    @property
    def sortable(self) -> dict[str, str]:
        return {c.name: c.sort for c in self.columns if c.sort}

    def queryset(self) -> models.QuerySet[Any]:
        if self.before_read is not None:
            self.before_read()
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return queryset.defer(*self.list_defer) if self.list_defer else queryset


class Registry:
    def __init__(self) -> None:
        self._by_slug: dict[str, RegisterType] = {}
        self._by_model: dict[type[models.Model], RegisterType] = {}

    def register(self, register_type: RegisterType) -> RegisterType:
        if register_type.slug in self._by_slug:
            raise ValueError(f"Register {register_type.slug!r} is already registered.")
        # Status choices are set on the class: the API schema builds (and caches) the
        # filter fields from the class, and every filterset instance copies them.
        status = register_type.filterset_class.base_filters.get("status")
        if status is not None:
            # Declared once on the base filterset, the filter object is shared by every
            # register's filterset: each gets its own copy with its workflow's states.
            status = copy.deepcopy(status)
            status.extra["choices"] = register_type.workflow.choices()
            register_type.filterset_class.base_filters["status"] = status
        self._by_slug[register_type.slug] = register_type
        self._by_model[register_type.model] = register_type
        return register_type

    def __iter__(self) -> Iterator[RegisterType]:
        return iter(self._by_slug.values())

    def get(self, slug: str) -> RegisterType:
        return self._by_slug[slug]

    def for_model(self, model: type[models.Model]) -> RegisterType:
        for cls in model.__mro__:
            if cls in self._by_model:
                return self._by_model[cls]
        raise KeyError(model)


registry = Registry()
