"""The state chart on every record page is drawn once per workflow, state and language."""

from __future__ import annotations

from django.utils import translation

from hoshin.core.charts import draw_state_chart, state_chart
from hoshin.core.registry import registry


def test_state_chart_is_kept_per_state_and_shows_the_same_as_a_fresh_drawing() -> None:
    workflow = registry.get("nonconformities").workflow
    first, second = workflow.states[0].name, workflow.states[1].name
    chart = state_chart(workflow, first)
    assert state_chart(workflow, first) is chart
    assert chart == draw_state_chart(workflow, first)
    assert state_chart(workflow, second) == draw_state_chart(workflow, second) != chart


def test_state_chart_is_kept_per_language() -> None:
    workflow = registry.get("nonconformities").workflow
    state = workflow.states[0].name
    with translation.override("fr"):
        french = state_chart(workflow, state)
        assert french == draw_state_chart(workflow, state)
    with translation.override("en"):
        assert state_chart(workflow, state) == draw_state_chart(workflow, state)
    # Labels are translated when drawn: each language has its own drawing.
    assert workflow.chart_cache[(state, "fr")] is french
    assert (state, "en") in workflow.chart_cache
