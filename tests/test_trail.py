"""The audit trail: every change is an append-only, hash-chained event."""

from __future__ import annotations

import datetime
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from hoshin.core import trail
from hoshin.core.actor import acting_as
from hoshin.core.models import TrailEvent
from tests.conftest import advance

pytestmark = pytest.mark.django_db


def events(nc) -> list[TrailEvent]:  # type: ignore[no-untyped-def]
    return list(trail.record_history(nc))


def test_creating_a_record_writes_a_create_event_with_its_values(nc, owner):
    (event,) = events(nc)
    assert event.action == "create"
    assert event.actor == owner
    assert event.seq == 1
    assert event.prev_hash == "0" * 64
    assert event.changes["title"]["after"] == nc.title


def test_a_change_records_each_field_before_and_after_with_the_reason(nc, owner):
    with acting_as(owner):
        nc.title = "Burr on bore, lot 77"
        nc.severity = "critical"
        nc.save(reason="Customer escalated")
    event = events(nc)[-1]
    assert event.action == "change"
    assert event.message == "Customer escalated"
    assert event.changes["title"] == {
        "label": "title",
        "before": "Burr on bore of housing H-220",
        "after": "Burr on bore, lot 77",
        "value": "Burr on bore, lot 77",  # as stored: verify-trail rebuilds the row from it
    }
    assert event.changes["severity"]["before"] == "Major"
    assert event.changes["severity"]["value"] == "critical"
    assert event.changes["severity"]["after"] == "Critical"
    assert set(event.changes) == {"title", "severity"}


def test_saving_without_changes_writes_nothing(nc):
    nc.save()
    assert len(events(nc)) == 1


def test_events_outside_a_request_name_the_system_actor(nc):
    nc.title = "Changed by a script"
    nc.save()
    assert events(nc)[-1].actor_label == "system"


def test_an_api_request_that_fails_closes_its_actor_block(owner, monkeypatch):
    """An unhandled error in an API view left the request's actor block open; when the
    garbage collector closed it (tests later), it restored the request's "anonymous" actor,
    and every later event outside a request was attributed to it."""
    from contextlib import contextmanager

    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from hoshin.core import api

    opened, closed = [], []

    @contextmanager
    def watched(user, label="system"):
        opened.append(user)
        with acting_as(user, label):
            yield
        closed.append(user)

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug in a view")

    monkeypatch.setattr(api, "acting_as", watched)
    monkeypatch.setattr(api.RecordViewSet, "list", broken)
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")

    assert client.get("/api/nonconformities/").status_code == 500
    assert opened == [owner]
    assert closed == [owner]


def test_each_event_points_at_the_previous_one(nc, owner, auditor):
    advance(nc, "closed", owner, verifier=auditor)
    chain = events(nc)
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    for before, after in pairwise(chain):
        assert after.prev_hash == before.hash
    assert {"create", "change", "transition", "signature"} <= {e.action for e in chain}


def test_the_database_refuses_to_update_or_delete_trail_events(nc):
    event = events(nc)[0]
    for sql in (
        "UPDATE core_trailevent SET message = 'forged' WHERE id = %s",
        "DELETE FROM core_trailevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.message == ""


def test_the_orm_refuses_to_update_or_delete_trail_events(nc):
    event = events(nc)[0]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        TrailEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        TrailEvent.objects.update(message="x")


def test_records_cannot_be_deleted_only_voided(nc):
    with pytest.raises(PermissionError):
        nc.delete()
    with pytest.raises(PermissionError):
        type(nc).objects.all().delete()


def _disable_triggers() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER
            cur.execute("ALTER TABLE core_trailevent DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER core_trailevent_no_update")
            cur.execute("DROP TRIGGER core_trailevent_no_delete")


def test_verify_trail_passes_on_an_intact_trail(nc, owner, capsys):
    advance(nc, "investigated", owner)
    call_command("verify_trail")
    assert "intact" in capsys.readouterr().out


def test_verify_trail_names_the_first_edited_event(nc, owner):
    advance(nc, "investigated", owner)
    target = events(nc)[2]
    _disable_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE core_trailevent SET message = 'forged' WHERE id = %s", [target.pk])
    _checked, broken = trail.verify()
    assert broken is not None and broken.event_id == target.pk
    assert "edited" in broken.problem
    with pytest.raises(CommandError, match=f"event #{target.pk}"):
        call_command("verify_trail")


def test_verify_trail_detects_a_removed_event(nc, owner):
    advance(nc, "investigated", owner)
    chain = events(nc)
    _disable_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_trailevent WHERE id = %s", [chain[1].pk])
    _checked, broken = trail.verify()
    assert broken is not None and broken.event_id == chain[2].pk
    assert "missing" in broken.problem


def test_verify_trail_detects_a_rewritten_chain_link(nc, owner):
    advance(nc, "contained", owner)
    chain = events(nc)
    _disable_triggers()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_trailevent SET prev_hash = %s WHERE id = %s", ["f" * 64, chain[1].pk]
        )
    _checked, broken = trail.verify()
    assert broken is not None and broken.event_id == chain[1].pk


def test_child_records_write_into_their_parents_trail(nc, owner):
    advance(nc, "actions", owner)
    action = nc.actions().get()
    with acting_as(owner):
        action.status = "done"
        action.evidence = "WI-12 rev C"
        action.completed_on = datetime.date.today()
        action.save()
    last = events(nc)[-1]
    assert last.action == "change"
    assert last.changes["evidence"]["after"] == "WI-12 rev C"
    assert last.object_id == nc.pk


def test_streams_are_independent_chains(make_nc):
    first, second = make_nc(), make_nc()
    assert events(first)[0].seq == events(second)[0].seq == 1
    assert trail.verify()[1] is None
