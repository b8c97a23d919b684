"""The REST API: tokens, lists, creating, updating, transitions and history.

Every refusal is a JSON body naming what is wrong, with a 4xx status; bad input never
gives a 500.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoshin.core.actor import acting_as
from hoshin.core.models import TrailAction, TrailEvent, User
from hoshin.improvement.models import Nonconformity
from tests.conftest import PASSWORD, advance

API = "/api/nonconformities/"
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """The token endpoint is throttled per address in the cache: start every test afresh."""
    cache.clear()


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def valid_body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Porosity in casting C-14",
        "description": "X-ray showed porosity in 3 of 50 castings.",
        "source": "supplier",
        "severity": "major",
        "detected_on": TODAY().isoformat(),
        **extra,
    }


def detail(nc: Nonconformity) -> str:
    return f"{API}{nc.pk}/"


# --- tokens ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_token_is_given_for_the_right_password_and_opens_the_api(owner: User) -> None:
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=owner).key == token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(API).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_gets_a_400_json_answer_and_no_token(owner: User) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "owner", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=owner).exists()


@pytest.mark.django_db
def test_a_token_request_without_fields_names_the_missing_fields(owner: User) -> None:
    response = APIClient().post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


@pytest.mark.django_db
def test_a_bad_token_is_refused_with_401(owner: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(API).status_code == 401


# --- listing -----------------------------------------------------------------------------
@pytest.fixture
def spread(make_nc: Callable[..., Nonconformity], owner: User, quality: User) -> dict[str, Any]:
    """Four NCs with different severities, titles and states."""
    a = make_nc(title="Alpha burr on housing", severity="minor")
    b = make_nc(title="Bravo crack in weld", severity="critical")
    c = make_nc(title="Charlie paint run", severity="major")
    d = make_nc(title="Delta burr on shaft", severity="major")
    advance(c, "contained", by=owner)
    return {"a": a, "b": b, "c": c, "d": d}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_the_list_filters_by_status(spread: dict[str, Any], quality: User) -> None:
    client = api_as(quality)
    assert ids(client.get(API, {"status": "contained"})) == [spread["c"].pk]
    assert set(ids(client.get(API, {"status": "reported"}))) == {spread[k].pk for k in "abd"}


@pytest.mark.django_db
def test_the_list_filters_by_severity_and_by_several_values(
    spread: dict[str, Any], quality: User
) -> None:
    client = api_as(quality)
    assert ids(client.get(API, {"severity": "critical"})) == [spread["b"].pk]
    both = client.get(API, {"severity": ["critical", "minor"]})
    assert set(ids(both)) == {spread["a"].pk, spread["b"].pk}


@pytest.mark.django_db
def test_the_list_searches_with_q(spread: dict[str, Any], quality: User) -> None:
    client = api_as(quality)
    assert set(ids(client.get(API, {"q": "burr"}))) == {spread["a"].pk, spread["d"].pk}
    assert ids(client.get(API, {"q": "burr shaft"})) == [spread["d"].pk]
    assert ids(client.get(API, {"q": spread["b"].reference})) == [spread["b"].pk]


@pytest.mark.django_db
def test_an_invalid_filter_value_is_a_400_not_a_500(spread: dict[str, Any], quality: User) -> None:
    response = api_as(quality).get(API, {"severity": "apocalyptic"})
    assert response.status_code == 400
    assert "severity" in response.json()


@pytest.mark.django_db
def test_the_list_is_ordered_as_asked(spread: dict[str, Any], quality: User) -> None:
    client = api_as(quality)
    expected = [spread[k].title for k in "abcd"]  # Alpha, Bravo, Charlie, Delta
    titles = [r["title"] for r in client.get(API, {"ordering": "title"}).json()["results"]]
    assert titles == expected
    titles = [r["title"] for r in client.get(API, {"ordering": "-title"}).json()["results"]]
    assert titles == expected[::-1]


@pytest.mark.django_db
def test_the_list_ignores_ordering_by_a_field_that_is_not_offered(
    spread: dict[str, Any], quality: User
) -> None:
    response = api_as(quality).get(API, {"ordering": "description"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4


@pytest.mark.django_db
def test_the_list_is_newest_first_by_default(spread: dict[str, Any], quality: User) -> None:
    order = ids(api_as(quality).get(API))
    assert order == [spread[k].pk for k in "dcba"]


@pytest.mark.django_db
def test_the_list_is_paginated(spread: dict[str, Any], quality: User) -> None:
    client = api_as(quality)
    first = client.get(API, {"page_size": 3}).json()
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["next"] and first["previous"] is None
    second = client.get(API, {"page_size": 3, "page": 2}).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    seen = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert seen == {nc.pk for nc in spread.values()}
    assert client.get(API, {"page": 99}).status_code == 404


# --- creating ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_creating_a_nonconformity_returns_201_with_reference_status_and_defaults(
    employee: User, quality: User
) -> None:
    response = api_as(employee).post(API, valid_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    nc = Nonconformity.objects.get(pk=body["id"])
    assert body["reference"].startswith("NC-")
    assert body["status"] == "reported"
    assert body["version"] == 1
    assert nc.detected_by == employee
    assert nc.created_by == employee
    assert nc.owner == quality  # no process: a quality manager handles it
    assert nc.due_date == TODAY() + datetime.timedelta(days=30)
    assert TrailEvent.objects.filter(reference=nc.reference, action=TrailAction.CREATE).exists()


@pytest.mark.django_db
def test_creating_without_the_required_fields_names_each_of_them(employee: User) -> None:
    response = api_as(employee).post(API, {}, format="json")
    assert response.status_code == 400
    assert {"title", "description", "source", "detected_on"} <= set(response.json())
    assert Nonconformity.objects.count() == 0


INVALID = [
    pytest.param({"source": "gossip"}, "source", id="unknown source"),
    pytest.param({"severity": "apocalyptic"}, "severity", id="unknown severity"),
    pytest.param(
        {"quantity_checked": 10, "quantity_nonconforming": 11},
        "quantity_nonconforming",
        id="more nonconforming than checked",
    ),
    pytest.param({"quantity_checked": -1}, "quantity_checked", id="negative quantity"),
    pytest.param({"quantity_checked": "many"}, "quantity_checked", id="quantity not a number"),
    pytest.param({"fishbone": "method was wrong"}, "fishbone", id="fishbone a string"),
    pytest.param({"fishbone": ["method"]}, "fishbone", id="fishbone a list"),
    pytest.param({"fishbone": {"weather": "rain"}}, "fishbone", id="fishbone unknown bone"),
    pytest.param({"fishbone": {"method": 3}}, "fishbone", id="fishbone note not text"),
    pytest.param({"whys": "because"}, "whys", id="whys not a list"),
    pytest.param({"whys": ["a", "b", "c", "d", "e", "f"]}, "whys", id="six whys"),
    pytest.param({"detected_on": "yesterday"}, "detected_on", id="date in words"),
    pytest.param({"detected_on": "2025-02-30"}, "detected_on", id="no such day"),
    pytest.param({"detected_on": 20250101}, "detected_on", id="date as a number"),
    pytest.param({"due_date": "31/12/2025"}, "due_date", id="due date in another format"),
    pytest.param({"containment_on": ""}, "containment_on", id="empty date"),
    pytest.param({"title": "x" * 201}, "title", id="title too long"),
    pytest.param({"title": ""}, "title", id="empty title"),
    pytest.param({"owner": 999999}, "owner", id="unknown owner"),
    pytest.param({"process": "P-05"}, "process", id="process not an id"),
    pytest.param({"cause_category": "luck"}, "cause_category", id="unknown cause"),
    pytest.param({"verification_result": "maybe"}, "verification_result", id="unknown result"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), INVALID)
def test_invalid_input_is_refused_with_a_400_naming_the_field(
    change: dict[str, Any], field: str, employee: User
) -> None:
    response = api_as(employee).post(API, valid_body(**change), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.json()
    assert Nonconformity.objects.count() == 0


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400(employee: User) -> None:
    response = api_as(employee).post(API, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert Nonconformity.objects.count() == 0


@pytest.mark.django_db
def test_a_detection_date_at_the_end_of_the_calendar_is_refused_not_a_500(
    employee: User,
) -> None:
    client = api_as(employee)
    client.raise_request_exception = False
    response = client.post(API, valid_body(detected_on="9999-12-31"), format="json")
    assert response.status_code == 400


# --- updating ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_update_without_the_version_is_refused_with_400(nc: Nonconformity, owner: User) -> None:
    response = api_as(owner).patch(detail(nc), {"title": "New"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    nc.refresh_from_db()
    assert nc.title != "New"


@pytest.mark.django_db
def test_an_update_with_the_current_version_is_saved_and_bumps_the_version(
    nc: Nonconformity, owner: User
) -> None:
    response = api_as(owner).patch(
        detail(nc),
        {"title": "New title", "version": nc.version, "reason": "Typo"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == nc.version + 1
    event = TrailEvent.objects.filter(reference=nc.reference, action=TrailAction.CHANGE).get()
    assert event.message == "Typo"
    assert event.changes["title"]["after"] == "New title"


@pytest.mark.django_db
def test_an_update_with_a_stale_version_is_a_409_and_changes_nothing(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    """GIVEN two people read version 1
    WHEN the quality manager saves first and the owner then saves with version 1
    THEN the owner gets 409 and the quality manager's change stands."""
    read = nc.version
    first = api_as(quality).patch(detail(nc), {"title": "First", "version": read}, format="json")
    assert first.status_code == 200
    second = api_as(owner).patch(
        detail(nc), {"title": "Second", "severity": "minor", "version": read}, format="json"
    )
    assert second.status_code == 409
    assert second.json()["code"] == "stale"
    nc.refresh_from_db()
    assert (nc.title, nc.severity, nc.version) == ("First", "major", read + 1)


@pytest.mark.django_db
def test_an_update_cannot_set_the_status_directly(nc: Nonconformity, quality: User) -> None:
    response = api_as(quality).patch(
        detail(nc), {"status": "closed", "version": nc.version}, format="json"
    )
    assert response.status_code == 200
    nc.refresh_from_db()
    assert nc.status == "reported"


@pytest.mark.django_db
def test_delete_is_not_allowed(nc: Nonconformity, quality: User) -> None:
    response = api_as(quality).delete(detail(nc))
    assert response.status_code == 405
    assert Nonconformity.objects.filter(pk=nc.pk).exists()


# --- transitions -------------------------------------------------------------------------
def transition(client: APIClient, nc: Nonconformity, **body: Any) -> Any:
    return client.post(f"{detail(nc)}transition/", body, format="json")


@pytest.mark.django_db
def test_a_transition_without_fields_names_the_missing_field(
    nc: Nonconformity, owner: User
) -> None:
    response = transition(api_as(owner), nc)
    assert response.status_code == 400
    assert "transition" in response.json()


@pytest.mark.django_db
def test_a_transition_whose_requirements_are_missing_names_the_fields(
    nc: Nonconformity, owner: User
) -> None:
    response = transition(api_as(owner), nc, transition="contain")
    assert response.status_code == 400
    assert {"containment_action", "containment_by", "containment_on"} <= set(response.json())
    nc.refresh_from_db()
    assert nc.status == "reported"


@pytest.mark.django_db
def test_an_unknown_transition_is_a_400(nc: Nonconformity, owner: User) -> None:
    response = transition(api_as(owner), nc, transition="teleport")
    assert response.status_code == 400
    assert "transition" in response.json()


@pytest.fixture
def ready_to_close(nc: Nonconformity, owner: User) -> Nonconformity:
    record = advance(nc, "verification", by=owner)
    with acting_as(owner):
        record.verification_result = "effective"
        record.save()
    return record


@pytest.mark.django_db
def test_closing_with_a_wrong_password_is_a_400_on_password(
    ready_to_close: Nonconformity, quality: User
) -> None:
    response = transition(api_as(quality), ready_to_close, transition="close", password="wrong")
    assert response.status_code == 400
    assert "password" in response.json()
    ready_to_close.refresh_from_db()
    assert ready_to_close.status == "verification"


@pytest.mark.django_db
def test_closing_without_a_password_is_a_400_on_password(
    ready_to_close: Nonconformity, quality: User
) -> None:
    response = transition(api_as(quality), ready_to_close, transition="close")
    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.django_db
def test_a_transition_the_person_may_not_take_is_a_403(
    ready_to_close: Nonconformity, owner: User
) -> None:
    response = transition(api_as(owner), ready_to_close, transition="close", password=PASSWORD)
    assert response.status_code == 403
    assert "transition" in response.json()


@pytest.mark.django_db
def test_a_transition_from_the_wrong_state_is_a_409(nc: Nonconformity, owner: User) -> None:
    response = transition(api_as(owner), nc, transition="start_actions")
    assert response.status_code == 409
    assert "transition" in response.json()


@pytest.mark.django_db
def test_a_transition_with_a_stale_version_is_a_409(
    ready_to_close: Nonconformity, quality: User
) -> None:
    response = transition(
        api_as(quality),
        ready_to_close,
        transition="close",
        password=PASSWORD,
        version=ready_to_close.version - 1,
    )
    assert response.status_code == 409
    ready_to_close.refresh_from_db()
    assert ready_to_close.status == "verification"


@pytest.mark.django_db
def test_a_successful_transition_answers_200_with_the_new_status_and_next_steps(
    ready_to_close: Nonconformity, quality: User
) -> None:
    response = transition(
        api_as(quality),
        ready_to_close,
        transition="close",
        password=PASSWORD,
        comment="Three lots checked, no burr.",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "closed"
    assert body["status_label"] == "Closed"
    assert body["available_transitions"] == []
    assert body["verified_by"] == quality.pk
    assert "password" not in body


@pytest.mark.django_db
def test_a_successful_contain_lists_the_next_transitions(nc: Nonconformity, owner: User) -> None:
    with acting_as(owner):
        nc.containment_action = "Lot quarantined"
        nc.containment_by = owner
        nc.containment_on = TODAY()
        nc.save()
    response = transition(api_as(owner), nc, transition="contain")
    assert response.status_code == 200
    assert response.json()["status"] == "contained"
    assert response.json()["available_transitions"] == ["investigate"]


# --- history -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_history_lists_the_records_trail_events_in_order(
    ready_to_close: Nonconformity, quality: User
) -> None:
    transition(api_as(quality), ready_to_close, transition="close", password=PASSWORD)
    response = api_as(quality).get(f"{detail(ready_to_close)}history/", {"page_size": 500})
    assert response.status_code == 200
    events = response.json()["results"]
    assert events[0]["action"] == "create"
    assert events[-2]["action"] == "transition"
    assert events[-1]["action"] == "signature"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    for previous, event in itertools.pairwise(events):
        assert event["prev_hash"] == previous["hash"]
    assert {e["reference"] for e in events} == {ready_to_close.reference}


@pytest.mark.django_db
def test_the_history_of_an_invisible_record_is_a_404(nc: Nonconformity, employee: User) -> None:
    assert api_as(employee).get(f"{detail(nc)}history/").status_code == 404


# --- schema ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_schema_is_served_to_a_signed_in_person(owner: User) -> None:
    response = api_as(owner).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/nonconformities/{id}/transition/" in paths
    assert "delete" not in paths["/api/nonconformities/{id}/"]


@pytest.mark.django_db
def test_serving_the_schema_does_not_break_filtering_by_status(
    spread: dict[str, Any], quality: User
) -> None:
    """GIVEN somebody opened the API schema
    WHEN a list is filtered by status
    THEN the filter still works."""
    client = api_as(quality)
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200
    assert ids(client.get(API, {"status": "contained"})) == [spread["c"].pk]


# --- fuzzing -----------------------------------------------------------------------------
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    SAFE_TEXT,
    st.dates().map(str),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SAFE_TEXT, inner, max_size=4),
    max_leaves=8,
)
FIELDS = [
    "title",
    "description",
    "source",
    "severity",
    "process",
    "site",
    "owner",
    "due_date",
    "product_ref",
    "lot_ref",
    "quantity_checked",
    "quantity_nonconforming",
    "disposition",
    "disposition_authorised_by",
    "detected_by",
    "detected_on",
    "containment_action",
    "containment_by",
    "containment_on",
    "correction",
    "whys",
    "fishbone",
    "cause_category",
    "root_cause",
    "verification_method",
    "verification_due",
    "verification_result",
    "verification_notes",
    "version",
    "status",
    "reference",
]
# Plausible values mixed in so that fuzzing also gets past the first validation errors.
PLAUSIBLE = {
    "source": st.sampled_from(["supplier", "internal_audit", "nope"]),
    "severity": st.sampled_from(["minor", "major", "critical", "x"]),
    "detected_on": st.dates(
        min_value=datetime.date(1900, 1, 1), max_value=datetime.date(9000, 1, 1)
    ).map(str),
    "fishbone": st.dictionaries(st.sampled_from(["method", "machine", "weather"]), JSON_SCALARS),
    "whys": st.lists(SAFE_TEXT, max_size=6),
    "quantity_checked": st.integers(min_value=-5, max_value=2**64),
    "quantity_nonconforming": st.integers(min_value=-5, max_value=2**64),
}


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS)))
    body: dict[str, Any] = {}
    if draw(st.booleans()):
        body = valid_body()
    for name in chosen:
        strategy = JSON_VALUES
        if name in PLAUSIBLE:
            strategy = st.one_of(PLAUSIBLE[name], JSON_VALUES)
        body[name] = draw(strategy)
    return body


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies())
def test_no_json_body_makes_the_create_endpoint_fail_with_a_500(
    body: dict[str, Any], employee: User, quality: User
) -> None:
    client = api_as(employee)
    client.raise_request_exception = False
    response = client.post(API, body, format="json")
    assert response.status_code < 500, (body, response.content[:500])
    assert response.status_code in (201, 400), (body, response.content[:500])


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies(), current=st.booleans())
@example(body={"title": "Burr on bore, lot 77"}, current=True)  # an update that goes through
def test_no_json_body_makes_the_update_endpoint_fail_with_a_500(
    body: dict[str, Any], current: bool, nc: Nonconformity, quality: User
) -> None:
    client = api_as(quality)
    client.raise_request_exception = False
    nc.refresh_from_db()
    if current:  # with the version read, so that valid bodies get past the stale check
        body = {**body, "version": nc.version}
    response = client.patch(detail(nc), body, format="json")
    assert response.status_code < 500, (body, response.content[:500])
    assert response.status_code in (200, 400, 409), (body, response.content[:500])
    if response.status_code == 200:
        nc.refresh_from_db()
        assert response.json()["version"] == nc.version


@pytest.mark.django_db
def test_many_to_many_changes_through_the_api_are_in_the_trail(quality, owner) -> None:
    from django.test import Client

    from hoshin.core.models import TrailEvent
    from hoshin.planning.models import Kpi, Objective

    client = Client()
    client.force_login(quality)
    kpi = Kpi(title="OTD", description="x", unit="%", target=95, owner=quality)
    kpi.save()
    created = client.post(
        "/api/objectives/",
        {"title": "On time", "description": "95 %", "kpis": [kpi.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    objective = Objective.objects.get()
    assert list(objective.kpis.all()) == [kpi]
    change = TrailEvent.objects.filter(reference=objective.reference, action="change").last()
    assert change is not None and "kpis" in change.changes
