"""The registry of record types.

Each register declares itself once: its model, its one field list (the edit form's
sections), the columns, filters and search fields of its list, the ISO clauses it
evidences. The form, its widgets, the API serializer, the filterset and the default
columns are derived from that declaration, and the generic views, URLs, exports and
REST API are derived from the registrations. A register overrides only what it needs:
a base form class with extra fields or rules, a base serializer, a hand-written
filterset.

Hooks that live in higher layers (a register's detail context, its PDF, its extra API
actions) are named by dotted path and imported when first used, so a registration
never imports its app's views.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from hoshin.core.workflow import Workflow

# The sections of a form: (legend or None, field names).
Fieldsets = Sequence[tuple["str | Promise | None", Sequence[str]]]


@dataclass(frozen=True)
class Column:
    """A list/export column: ``name`` is an attribute path, ``sort`` a database ordering.

    Label and sort may be left out: the core fills them from the standard columns or
    from the model field of that name."""

    name: str
    label: str | Promise = ""
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


# What every record has, shown the same way in every register.
STANDARD_COLUMNS = {
    "reference": Column("reference", _("Reference"), sort="id", link=True),
    "title": Column("title", _("Title"), sort="title", link=True),
    "status": Column("status", _("Status"), sort="status"),
    "owner": Column("owner", _("Owner"), sort="owner__last_name"),
    "due_date": Column("due_date", _("Due"), sort="due_date"),
}


def resolve_column(model: type[models.Model], column: str | Column) -> Column:
    """A column complete with label and sort, from the standard ones or the model field."""
    if isinstance(column, str):
        column = STANDARD_COLUMNS.get(column) or Column(column)
    standard = STANDARD_COLUMNS.get(column.name)
    label, sort = column.label, column.sort
    if standard is not None:
        label, sort = label or standard.label, sort or standard.sort
    if not label or sort is None:
        try:
            model_field = model._meta.get_field(column.name.split(".")[0])
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None:
            label = label or capfirst(str(model_field.verbose_name))  # type: ignore[union-attr]
            if sort is None and "." not in column.name and not model_field.is_relation:
                sort = column.name
    link = column.link or (standard is not None and standard.link)
    label = label or capfirst(column.name.replace("_", " "))
    return replace(column, label=label, sort=sort, link=link)


def field_names(fieldsets: Fieldsets | None) -> list[str]:
    """The names of a form's sections, in order, without duplicates."""
    names: list[str] = []
    for _legend, section in fieldsets or ():
        names += [n for n in section if n not in names]
    return names


def model_fields(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Of ``names``, those that are fields of ``model`` (the rest are form-only fields)."""
    found = []
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        found.append(name)
    return found


@cache
def named(path: str) -> Any:
    return import_string(path)


def hook(value: Any) -> Any:
    """A hook given by dotted path is imported the first time it is used."""
    return named(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Section:
    """A block another app adds to a register's record page (e.g. the risks raised from
    a nonconformity), so the register's own app need not know that app. ``context`` is
    a callable ``(request, record) -> dict`` or its dotted path."""

    template: str
    context: Any

    def render_context(self, request: Any, record: Any) -> dict[str, Any]:
        result: dict[str, Any] = hook(self.context)(request, record)
        return result


@dataclass
class RegisterType:
    model: type[models.Model]
    slug: str
    label: str | Promise
    label_singular: str | Promise
    # The one field list: the edit form's sections. The edit form, its widgets, the
    # record page's fields and the API's writable fields are derived from it.
    fieldsets: Fieldsets
    # Full-text searched by ``q``; the register's migration creates the index of exactly
    # these fields with ``hoshin.core.search.SearchIndex``.
    search_fields: list[str]
    # The create form, when it asks for less (or other fields) than the edit form.
    create_fieldsets: Fieldsets | None = None
    # Names (standard or model fields) or ``Column`` where a label or sort differs;
    # each is made a complete ``Column`` on registration.
    columns: Sequence[Any] = tuple(STANDARD_COLUMNS)
    # Filters beyond the standard ones (search, status, owner, site, overdue), derived
    # from the model fields; ``filterset_base`` gives hand-written ones.
    filters: Sequence[str] = ()
    primary_filters: Sequence[str] = ()
    # Fields only the API shows (computed, or declared on ``serializer_base``), and the
    # ones it shows but never takes.
    api_fields: Sequence[str] = ()
    read_only_fields: Sequence[str] = ()
    # Register-specific behaviour: extra form fields and rules, serializer fields.
    form_base: type | None = None
    create_form_base: type | None = None
    serializer_base: type | None = None
    filterset_base: type | None = None
    # Taken from the model's ``workflow`` when not given.
    workflow: Workflow = None  # type: ignore[assignment]
    clauses: list[str] = field(default_factory=list)
    list_select_related: list[str] = field(default_factory=list)
    # The index keeps a stored vector on PostgreSQL (``search.StoredSearchVector``).
    search_stored: bool = False
    # Long columns lists and exports never show (a document's searchable text).
    list_defer: list[str] = field(default_factory=list)
    # Many-to-many fields the API shows, loaded for a whole page at once.
    api_prefetch_related: list[str] = field(default_factory=list)
    detail_template: str | None = None
    # Drawn at the top of the record page, above the next steps: the action a person
    # came for (acknowledge a document, update my corrective action), on a phone too.
    detail_top_template: str | None = None
    # Sections of the record page a register draws itself, by a field of the section
    # (e.g. the root cause as a ladder of whys); the others are drawn from the fields.
    section_templates: dict[str, str] = field(default_factory=dict)
    # ``(request, record) -> dict`` added to the record page's context (or its path).
    detail_context: Any = None
    # ``(request, record) -> bytes``: the record's PDF, when not the generic one.
    pdf: Any = None
    help: str | Promise = ""
    nav: bool = True
    # A shorter name for the navigation bar, when the label is long.
    nav_label: str | Promise = ""
    create_label: str | Promise = ""
    # Extra buttons beside "create" on the list page (a template to include).
    list_actions_template: str | None = None
    # The list's order when the person chooses none (a column name, "-" first for
    # descending); newest first when empty.
    default_sort: str = ""
    # Run before the register is read (list, detail, export, API): for work that is due
    # by date, done lazily so nothing depends on a scheduled task having run.
    before_read: Any = None
    # Register-specific API actions: a mixin of DRF ``@action`` methods (or its path).
    api_mixin: Any = None
    # Records of this register carry actions of this kind ("corrective", "treatment"):
    # the generic action pages exist for it.
    action_kind: str = ""

    # Derived from the declaration above.
    form_class: type[Any] = field(init=False)
    create_form_class: type[Any] | None = field(init=False)
    serializer_class: type[Any] = field(init=False)
    filterset_class: type[Any] = field(init=False)

    def __post_init__(self) -> None:
        from hoshin.core import api, filters, forms

        if self.workflow is None:
            self.workflow = self.model.workflow
        self.columns = [resolve_column(self.model, c) for c in self.columns]
        self.form_class = forms.form_for(self.model, self.fieldsets, self.form_base, edit=True)
        self.create_form_class = (
            forms.form_for(
                self.model, self.create_fieldsets, self.create_form_base or self.form_base
            )
            if self.create_fieldsets is not None
            else None
        )
        self.serializer_class = api.serializer_for(self)
        self.filterset_class = filters.filterset_for(self)

    @property
    def sortable(self) -> dict[str, str]:
        return {c.name: c.sort for c in self.columns if isinstance(c, Column) and c.sort}

    @property
    def sections(self) -> list[Section]:
        return registry.sections(self.slug)

    def call(self, name: str, *args: Any) -> Any:
        """Call the hook ``name`` (detail_context, pdf, before_read) if the register has one."""
        target = hook(getattr(self, name))
        return None if target is None else target(*args)

    def queryset(self) -> models.QuerySet[Any]:
        self.call("before_read")
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return queryset.defer(*self.list_defer) if self.list_defer else queryset

    def record_queryset(self) -> models.QuerySet[Any]:
        """For one record's page: the people, site and process its fields show come in
        the same query (a query each otherwise)."""
        shown = set(field_names(self.fieldsets)) | set(self.list_select_related) | {"owner"}
        related = [
            f.name for f in self.model._meta.concrete_fields if f.many_to_one and f.name in shown
        ]
        return self.queryset().select_related(*related)


class Registry:
    def __init__(self) -> None:
        self._by_slug: dict[str, RegisterType] = {}
        self._by_model: dict[type[models.Model], RegisterType] = {}
        self._sections: dict[str, list[Section]] = {}

    def register(self, *register_types: RegisterType) -> None:
        for register_type in register_types:
            self._register(register_type)

    def _register(self, register_type: RegisterType) -> None:
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

    def add_section(self, slug: str, section: Section) -> None:
        """Add a block to another register's record page (whichever app registers first)."""
        self._sections.setdefault(slug, []).append(section)

    def sections(self, slug: str) -> list[Section]:
        return self._sections.get(slug, [])

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
