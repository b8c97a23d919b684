"""Full-text search of a register: an index, not a scan, with the words people type."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoshin.core import search
from hoshin.improvement.models import Nonconformity

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    queryset = search.matching(
        Nonconformity.objects.all(),
        ["reference", "title", "description", "product_ref", "lot_ref"],
        text,
    )
    return set(queryset.values_list("title", flat=True))


@pytest.fixture
def three(make_nc):  # type: ignore[no-untyped-def]
    make_nc(title="Burr on bore of housing", lot_ref="L-7781")
    make_nc(title="Crack in weld seam", description="Found a burr too, near the seam.")
    make_nc(title="Paint run on panel", product_ref="PN-4420")


def test_every_word_must_match_and_words_match_by_their_start(three):
    assert found("burr") == {"Burr on bore of housing", "Crack in weld seam"}
    assert found("burr seam") == {"Crack in weld seam"}
    assert found("hous") == {"Burr on bore of housing"}
    assert found("PAINT") == {"Paint run on panel"}


def test_part_and_lot_numbers_and_references_are_found(three):
    assert found("L-7781") == {"Burr on bore of housing"}
    assert found("pn-4420") == {"Paint run on panel"}
    reference = Nonconformity.objects.get(title__startswith="Crack").reference
    assert found(reference) == {"Crack in weld seam"}


BURRS = {"Burr on bore of housing", "Crack in weld seam"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Operators and quotes are dropped; what is left are words, and every one must match.
        ('"burr"', BURRS),
        ("burr:* | ", BURRS),
        ("(paint)", {"Paint run on panel"}),
        ("NEAR(burr", {"Crack in weld seam"}),  # "near" is a word: only that text has both
        ('"burr" OR *', set()),  # "or" is a word too, and no text has one starting so
        ("burr) AND (", set()),
        ("burr:* | paint", set()),  # "|" is no "or": no text has burr and paint
        ("'; drop table x", set()),
    ],
)
def test_query_syntax_typed_by_people_is_only_words(three, text, expected):
    assert found(text) == expected


def test_a_query_of_punctuation_alone_finds_everything(three):
    everything = {"Burr on bore of housing", "Crack in weld seam", "Paint run on panel"}
    assert found("***") == found("") == found("'; --") == everything


def test_the_index_follows_edits(three, owner):
    nc = Nonconformity.objects.get(title__startswith="Paint")
    nc.title = "Orange peel on panel"
    nc.save()
    assert found("paint") == set()
    assert found("orange") == {"Orange peel on panel"}


def test_the_list_page_searches_with_q(client, three, quality):
    client.force_login(quality)
    response = client.get(reverse("nonconformities_list"), {"q": "burr bore"})
    assert response.status_code == 200
    assert [obj.title for obj in response.context["page"].object_list] == [
        "Burr on bore of housing"
    ]
