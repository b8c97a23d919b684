"""Filterset base: one filterset serves the register list page and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hoshin.core import guards, search
from hoshin.core.models import Site, User
from hoshin.core.widgets import Checkboxes, PersonSelect


class IdChoiceField(guards.IdChoiceMixin, django_filters.fields.ModelChoiceField):
    pass


class IdMultipleChoiceField(
    guards.IdMultipleChoiceMixin, django_filters.fields.ModelMultipleChoiceField
):
    pass


class RecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=[], distinct=False)
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True).select_related("department"),
        label=_("Owner"),
    )
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.all(), label=_("Site"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due by")
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Created from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Created until")
    )

    # Shown first on the list page; the others fold under "More filters".
    primary: tuple[str, ...] = ("q", "status", "owner", "overdue")
    # What "overdue" means in this register (a KPI: a figure is overdue), when it differs.
    overdue_label: Any = None

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        """Every relation filter, declared by hand or derived, refuses an id no 64-bit
        column holds (SQLite would raise OverflowError on it)."""
        filters: dict[str, Any] = super().get_filters()
        for f in filters.values():
            if isinstance(f, django_filters.ModelMultipleChoiceFilter):
                f.field_class = IdMultipleChoiceField
            elif isinstance(f, django_filters.ModelChoiceFilter):
                f.field_class = IdChoiceField
        return filters

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        filters: Any = self.filters  # type: ignore[has-type]
        order = [n for n in self.primary if n in filters]
        order += [n for n in filters if n not in order]
        self.filters = type(filters)((n, filters[n]) for n in order)
        # Not there in a set narrowed to the filters an API request names.
        if self.overdue_label is not None and "overdue" in self.filters:
            self.filters["overdue"].label = self.overdue_label
        for f in self.filters.values():
            if isinstance(f.field.widget, forms.SelectMultiple):
                f.field.widget = Checkboxes(choices=f.field.widget.choices)
            elif isinstance(f.field.widget, forms.Select) and _is_people(f):
                f.field.widget = PersonSelect(attrs=f.field.widget.attrs)
                f.field.widget.choices = f.field.choices
            widget = f.field.widget
            if isinstance(widget, Checkboxes):
                continue
            css = "form-select" if hasattr(widget, "choices") else "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(f, django_filters.DateFilter):
                widget.input_type = "date"

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        from hoshin.core.registry import registry

        rt = registry.for_model(self._meta.model)
        return search.matching(queryset, rt.search_fields, value, stored=rt.search_stored)

    def filter_overdue(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        final = self._meta.model.final_states()
        late = Q(due_date__lt=timezone.localdate()) & ~Q(status__in=final)
        return queryset.filter(late) if value else queryset.exclude(late)


def _is_people(f: django_filters.Filter) -> bool:
    queryset = getattr(f, "queryset", None)
    return queryset is not None and not callable(queryset) and issubclass(queryset.model, User)


def filter_for(model: type[Any], name: str) -> django_filters.Filter:
    """The filter a model field gets: its choices (any of several), its related records,
    or its value."""
    field: Any = model._meta.get_field(name)
    label = capfirst(str(field.verbose_name))
    if field.choices:
        return django_filters.MultipleChoiceFilter(
            choices=field.choices, label=label, distinct=False
        )
    if field.is_relation:
        return django_filters.ModelChoiceFilter(
            queryset=field.related_model._default_manager.all(), label=label
        )
    if isinstance(field, models.BooleanField):
        return django_filters.BooleanFilter(label=label)
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return django_filters.NumberFilter(label=label)
    if isinstance(field, models.DateField):
        return django_filters.DateFilter(label=label)
    return django_filters.CharFilter(label=label)


def filterset_for(rt: Any) -> type[RecordFilterSet]:
    """A register's filterset: the standard filters, its ``filters`` derived from the
    model, and anything its ``filterset_base`` declares by hand."""
    base = rt.filterset_base or RecordFilterSet
    if base._meta.model is not None:
        return base  # written by hand, whole
    declared = base.declared_filters
    extra = {n: filter_for(rt.model, n) for n in rt.filters if n not in declared}
    names = ["q", "status", *rt.filters, "owner", "site", "overdue"]
    names += [n for n in declared if n not in names and n not in RecordFilterSet.declared_filters]
    meta = type("Meta", (), {"model": rt.model, "fields": list(dict.fromkeys(names))})
    attrs: dict[str, Any] = {"Meta": meta, "__module__": base.__module__, **extra}
    if rt.primary_filters:
        attrs["primary"] = tuple(rt.primary_filters)
    return type(f"{rt.model.__name__}FilterSet", (base,), attrs)
