"""Dependencies point down: each model carries its workflow, transitions declare their
effects, and the apps contribute home panels, shortcuts and indicators to registries in
the core (``make lint`` checks the import contracts themselves with lint-imports)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hoshin.core import dashboard, indicators, roles
from hoshin.core.actor import acting_as
from hoshin.core.models import Record
from hoshin.core.registry import registry
from hoshin.core.workflow import State, Transition, Workflow
from hoshin.planning import automatic, periods
from hoshin.planning.models import Kpi


# --- workflows -------------------------------------------------------------------------
def test_every_register_model_carries_the_workflow_of_its_registration() -> None:
    registered = {rt.model for rt in registry}
    records = {m for m in apps.get_models() if issubclass(m, Record)}
    assert records == registered
    for rt in registry:
        assert isinstance(rt.model.workflow, Workflow), rt.slug
        assert rt.model.workflow is rt.workflow, rt.slug


def test_no_model_keeps_a_transition_hook_the_workflow_would_no_longer_call() -> None:
    """Effects are declared on the transitions: an ``on_<transition>`` method left on a
    model would silently never run."""
    for rt in registry:
        for t in rt.workflow.transitions:
            assert not hasattr(rt.model, f"on_{t.name}"), f"{rt.slug}: on_{t.name}"


def test_the_registered_effects_are_the_ones_the_registers_need() -> None:
    def effect(model: type[Any], name: str) -> Any:
        return model.workflow.transition(name).effect

    from hoshin.improvement.models import Nonconformity
    from hoshin.planning.models import Risk
    from hoshin.support.models import Document

    assert effect(Nonconformity, "close") is not None
    assert effect(Risk, "review") is not None and effect(Risk, "close") is not None
    for name in ("make_obsolete", "close", "dispose", "void"):
        assert effect(Document, name) is not None, name


@pytest.mark.django_db
def test_a_transition_applies_its_declared_effect_and_void_marks_the_record(
    quality: Any, make_nc: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoshin.improvement.models import Nonconformity

    calls: list[tuple[Any, Any, str]] = []
    workflow = Workflow(
        initial="reported",
        states=[State("reported", "Reported"), State("void", "Void", final=True)],
        transitions=[
            Transition(
                "void",
                "Void",
                sources=("reported",),
                target="void",
                roles=frozenset({roles.QUALITY_MANAGER}),
                effect=lambda record, user, comment, today: calls.append(
                    (record.pk, user, comment)
                ),
            )
        ],
    )
    nc = make_nc()
    monkeypatch.setattr(Nonconformity, "workflow", workflow)
    workflow.perform(nc, "void", quality, comment="  Duplicate of another report. ")
    nc.refresh_from_db()
    assert calls == [(nc.pk, quality, "  Duplicate of another report. ")]
    assert nc.status == "void" and nc.voided_at is not None
    assert nc.void_reason == "Duplicate of another report."


# --- home panels and shortcuts -----------------------------------------------------------
def test_each_app_contributes_its_home_panel_and_the_home_page_knows_none() -> None:
    templates = [p.template for p in dashboard.panels]
    assert templates == [
        "core/_assigned_panel.html",  # the core's own: what is asked of me, first
        "improvement/_dashboard.html",
        "planning/_panel.html",
        "support/_panel.html",
    ]
    assert [s.url_name for s in dashboard.shortcuts] == ["nonconformities_create"]


@pytest.mark.django_db
def test_a_panel_and_a_shortcut_contributed_by_an_app_appear_on_the_home_page(
    client: Any, quality: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"tests/_panel.html": '<p id="contributed">{{ ctx.word }}</p>'},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    monkeypatch.setattr(dashboard, "panels", list(dashboard.panels))
    monkeypatch.setattr(dashboard, "shortcuts", list(dashboard.shortcuts))
    seen: list[Any] = []

    def context(request: Any) -> dict[str, Any]:
        seen.append(request.user)
        return {"word": "contributed-panel"}

    dashboard.register_panel(dashboard.Panel("tests/_panel.html", context, order=1))
    dashboard.register_panel(dashboard.Panel("tests/_panel.html", context, order=1))  # once
    dashboard.register_shortcut(dashboard.Shortcut("Plan a change", "changes_create", order=50))
    client.force_login(quality)
    page = client.get(reverse("home")).content.decode()
    assert seen == [quality]
    assert page.count('<p id="contributed">contributed-panel</p>') == 1
    assert page.index("contributed-panel") < page.index("Nonconformities per month")
    assert f'href="{reverse("nonconformities_create")}">Report a nonconformity</a>' in page
    assert f'href="{reverse("changes_create")}">Plan a change</a>' in page


# --- indicators ----------------------------------------------------------------------------
def test_the_apps_contribute_the_indicators_computed_kpis_offer() -> None:
    assert [i.name for i in indicators.in_order()] == [
        "nonconformities",
        "actions_on_time",
        "documents_read",
    ]
    assert [name for name, _label in automatic.choices()] == [
        "",
        "nonconformities",
        "actions_on_time",
        "documents_read",
    ]
    same = indicators.get("nonconformities")
    assert indicators.register(same) is same  # registering again is harmless
    with pytest.raises(ValueError, match="already registered"):
        indicators.register(
            indicators.Indicator("nonconformities", "Other", "", indicators.VALUE, list, list)
        )


@pytest.mark.django_db
def test_an_indicator_contributed_by_an_app_feeds_a_computed_kpi(
    owner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indicators, "indicators", dict(indicators.indicators))
    last_month = periods.last_complete(timezone.localdate(), "monthly")
    asked: list[tuple[datetime.date, datetime.date]] = []

    def days(first: datetime.date, last: datetime.date) -> list[indicators.Day]:
        asked.append((first, last))
        return [(last_month, 3, 4), (last_month + datetime.timedelta(days=1), 1, 4)]

    indicators.register(
        indicators.Indicator(
            "calls_answered",
            "Calls answered in a minute",
            "%",
            indicators.PROPORTION,
            days,
            lambda: last_month,
        )
    )
    assert ("calls_answered", "Calls answered in a minute") in automatic.choices()
    with acting_as(owner):
        kpi = Kpi(
            title="Calls",
            description="Answered within a minute.",
            unit="%",
            target=Decimal(90),
            owner=owner,
            automatic="calls_answered",
        )
        kpi.full_clean(exclude=["reference", "status"])
        kpi.save()
    [reading] = kpi.readings(last=6)
    assert (reading.period, reading.value) == (last_month, Decimal("50.00"))
    assert (reading.numerator, reading.denominator) == (4, 8)
    assert asked == [(last_month, periods.end_of(last_month, "monthly"))]

    kpi.automatic = "no_such_indicator"
    with pytest.raises(ValidationError, match="Unknown source"):
        kpi.full_clean(exclude=["reference", "status"])
