"""The API builds a serializer's fields once per class and field set (issue 11): what each
request gets is still its own, shaped by its own ``?fields=``, bound to its own
serializer, context and language."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hoshin.core.api import BRIEF, readable_fields
from hoshin.core.models import User
from hoshin.core.registry import registry
from hoshin.improvement.models import Nonconformity
from tests.factories import NonconformityFactory

API = "/api/nonconformities/"


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def full() -> tuple[str, ...]:
    return readable_fields(registry.for_model(Nonconformity).serializer_class)


@pytest.mark.django_db
def test_consecutive_reads_with_different_fields_each_get_their_own_shape(quality: User) -> None:
    nc = NonconformityFactory(owner=quality)
    client = api_as(quality)
    first = client.get(f"{API}{nc.pk}/", {"fields": "id,title"}).json()
    second = client.get(f"{API}{nc.pk}/", {"fields": "reference,status,version"}).json()
    brief = client.get(API, {"view": "brief"}).json()["results"][0]
    whole = client.get(f"{API}{nc.pk}/").json()
    again = client.get(f"{API}{nc.pk}/", {"fields": "id,title"}).json()
    assert list(first) == ["id", "title"]
    assert list(second) == ["reference", "status", "version"]
    assert list(brief) == [n for n in full() if n in BRIEF]
    assert tuple(whole) == full()
    assert again == first


@pytest.mark.django_db
def test_a_write_after_a_sparse_read_answers_with_the_whole_record(quality: User) -> None:
    nc = NonconformityFactory(owner=quality)
    client = api_as(quality)
    read = client.get(f"{API}{nc.pk}/", {"fields": "id,version"}).json()
    assert list(read) == ["id", "version"]
    response = client.patch(
        f"{API}{nc.pk}/", {"title": "Burr on edge", "version": read["version"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert tuple(response.json()) == full()
    assert response.json()["title"] == "Burr on edge"
    listed = client.get(API, {"fields": "title"}).json()["results"]
    assert listed == [{"title": "Burr on edge"}]


@pytest.mark.django_db
def test_each_serializer_gets_fields_of_its_own_bound_to_it(quality: User) -> None:
    serializer_class = registry.for_model(Nonconformity).serializer_class
    one = serializer_class(context={"marker": 1})
    two = serializer_class(context={"marker": 2})
    assert list(one.fields) == list(two.fields)
    for name in one.fields:
        a, b = one.fields[name], two.fields[name]
        assert a is not b
        assert a.parent is one and b.parent is two
        assert a.context["marker"] == 1 and b.context["marker"] == 2
        assert a.error_messages is not b.error_messages
        assert a.validators is not b.validators
    one.fields["title"].error_messages["required"] = "Changed for one request only."
    one.fields["title"].validators.append(lambda value: None)
    three = serializer_class()
    assert three.fields["title"].error_messages["required"] != "Changed for one request only."
    assert len(three.fields["title"].validators) == len(two.fields["title"].validators)
    whys_one, whys_two = one.fields["whys"], two.fields["whys"]
    assert whys_one.child is not whys_two.child  # type: ignore[attr-defined]
    assert whys_one.child.parent is whys_one  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_refusal_is_in_the_language_of_each_request_not_of_the_first(quality: User) -> None:
    client = api_as(quality)
    limit = Nonconformity._meta.get_field("title").max_length
    too_long = "x" * (limit + 1)  # type: ignore[operator]
    body = {"title": too_long, "description": "d", "source": "supplier", "severity": "major"}
    english = client.post(API, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    french = client.post(API, body, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    english_again = client.post(API, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == french.status_code == 400
    assert english.json()["title"] == [f"Ensure this field has no more than {limit} characters."]
    assert french.json()["title"] == [
        f"Assurez-vous que ce champ comporte au plus {limit}\u00a0caractères."
    ]
    assert english_again.json()["title"] == english.json()["title"]


@pytest.mark.django_db
def test_what_a_reader_may_do_is_worked_out_for_each_reader(quality: User, auditor: User) -> None:
    nc = NonconformityFactory(owner=quality)
    as_quality = api_as(quality).get(f"{API}{nc.pk}/").json()["available_transitions"]
    as_auditor = api_as(auditor).get(f"{API}{nc.pk}/").json()["available_transitions"]
    assert as_quality != as_auditor
    assert api_as(quality).get(f"{API}{nc.pk}/").json()["available_transitions"] == as_quality
