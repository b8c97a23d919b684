"""The tamper suite: someone with the database drops the triggers, as an attacker with
sqlite3 would, and tampers; ``hoshin verify-trail`` fails and names what was touched.

The seven tamperings of issue 9: the newest event of a stream deleted, the last ten
events deleted, every event of a record deleted, an event edited and the rest of its
chain recomputed, a record's row edited, a signature row deleted, a signature row edited.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoshin.core import seals, trail
from hoshin.core.actor import acting_as
from hoshin.core.models import Signature, TrailEvent
from hoshin.core.models.trail import GENESIS, TrailSeal
from hoshin.core.registry import registry
from tests.conftest import advance
from tests.factories import REGISTER_FACTORIES, NonconformityFactory, UserFactory

pytestmark = pytest.mark.django_db

PROTECTED = ("core_trailevent", "core_signature", "core_trailseal")


def drop_triggers() -> None:
    """What an attacker with the database does first."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in PROTECTED:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for table in PROTECTED:
                cur.execute(f"DROP TRIGGER {table}_no_update")
                cur.execute(f"DROP TRIGGER {table}_no_delete")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])


def verify(*args: str) -> str:
    """verify-trail's refusal (it must refuse)."""
    with pytest.raises(CommandError) as refused:
        call_command("verify_trail", *args, stdout=io.StringIO())
    return str(refused.value)


def intact(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_trail", *args, stdout=out)
    assert "intact" in out.getvalue()
    return out.getvalue()


def stream_of(record: Any) -> str:
    return trail.stream_for(record)


def recompute_from(stream: str, seq: int) -> None:
    """Rehash a stream from ``seq`` to its end so that every link holds again."""
    prev = (
        TrailEvent.objects.filter(stream=stream, seq=seq - 1).values_list("hash", flat=True).first()
        or GENESIS
    )
    for event in TrailEvent.objects.filter(stream=stream, seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        event.hash = event.compute_hash()
        sql(
            "UPDATE core_trailevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash


@pytest.fixture
def closed_nc(nc, owner, quality):  # type: ignore[no-untyped-def]
    """A nonconformity taken to the end: a trail of a dozen events and a signature."""
    return advance(nc, "closed", owner, verifier=quality)


# --- the seven tamperings ------------------------------------------------------------------


def test_an_intact_sealed_trail_verifies(closed_nc):
    trail.seal()
    out = intact()
    assert "1 seals" in out
    assert "1 signatures" in out
    intact("--full")


def test_1_deleting_a_streams_newest_event_is_named(closed_nc):
    trail.seal()
    stream = stream_of(closed_nc)
    head = TrailEvent.objects.filter(stream=stream).order_by("-seq").first()
    drop_triggers()
    sql("DELETE FROM core_trailevent WHERE id = %s", [head.pk])
    refusal = verify()
    assert f"stream {stream} truncated: sealed at seq {head.seq}, now {head.seq - 1}" in refusal


def test_2_deleting_the_last_ten_events_names_every_stream_cut(closed_nc, make_nc):
    others = [make_nc(title=f"Scratch on lid {n}") for n in range(4)]
    for other in others:
        with acting_as(other.owner):
            other.title += " (confirmed)"
            other.save()
    trail.seal()
    last = list(TrailEvent.objects.order_by("-id")[:10])
    cut = {e.stream for e in last}
    drop_triggers()
    ids = ",".join(str(e.pk) for e in last)
    sql(f"DELETE FROM core_trailevent WHERE id IN ({ids})")  # noqa: S608 - our own ids
    refusal = verify()
    for stream in cut:
        assert f"stream {stream} " in refusal
        assert "truncated" in refusal or "removed" in refusal


def test_3_deleting_every_event_of_a_record_names_the_stream_and_the_record(closed_nc, make_nc):
    make_nc(title="Another one")
    trail.seal()
    stream = stream_of(closed_nc)
    drop_triggers()
    sql("DELETE FROM core_trailevent WHERE stream = %s", [stream])
    refusal = verify()
    assert f"stream {stream} removed" in refusal
    assert f"{closed_nc.reference}: no event of this record is left in the trail" in refusal


def test_3b_a_record_without_events_is_named_even_before_any_seal(nc):
    drop_triggers()
    sql("DELETE FROM core_trailevent WHERE stream = %s", [stream_of(nc)])
    assert f"{nc.reference}: no event of this record is left" in verify()


def test_4_editing_an_event_and_recomputing_the_rest_of_its_chain_is_named(closed_nc):
    trail.seal()
    stream = stream_of(closed_nc)
    target = TrailEvent.objects.get(stream=stream, seq=3)
    drop_triggers()
    sql("UPDATE core_trailevent SET message = 'nothing happened' WHERE id = %s", [target.pk])
    recompute_from(stream, 3)
    assert trail.verify()[1] is None  # each chain alone is consistent again
    refusal = verify()
    assert f"stream {stream} rewritten" in refusal
    assert f"stream {stream}" in verify("--full")


def test_5_editing_a_records_row_is_named_with_the_field_and_both_values(closed_nc):
    drop_triggers()
    sql(
        "UPDATE improvement_nonconformity SET status = 'verification' WHERE id = %s", [closed_nc.pk]
    )
    refusal = verify()
    assert (
        f"{closed_nc.reference}: status is 'verification' in the record, 'closed' in its trail"
        in refusal
    )


def test_5b_a_row_edited_after_the_seal_is_named_by_the_incremental_check(closed_nc):
    registers = [rt.model for rt in registry]
    sealed = trail.seal(registers=registers)
    assert [len(h) for h in sealed.heads] == [4]  # head and the state of the row found right
    drop_triggers()
    sql("UPDATE improvement_nonconformity SET severity = 'minor' WHERE id = %s", [closed_nc.pk])
    refusal = verify()
    assert f"{closed_nc.reference}: severity is 'minor' in the record, 'major' in its trail" in (
        refusal
    )
    with pytest.raises(trail.SealRefused, match=closed_nc.reference):
        trail.seal(registers=registers)


def test_sealed_records_that_did_not_move_are_not_replayed(closed_nc, make_nc):
    registers = [rt.model for rt in registry]
    trail.seal(registers=registers)
    moved = make_nc(title="After the seal")
    with CaptureQueriesContext(connection) as queries:
        report = trail.check(registers=registers)
    assert report.intact and report.records == 2
    replays = [q["sql"] for q in queries if '"core_trailevent"."content_type_id" =' in q["sql"]]
    assert len(replays) == 1 and str(moved.pk) in replays[0]


def test_6_deleting_a_signature_row_is_named(closed_nc):
    signature = Signature.objects.for_record(closed_nc).get()
    drop_triggers()
    sql("DELETE FROM core_signature WHERE id = %s", [signature.pk])
    refusal = verify()
    assert f"{closed_nc.reference}: the signature of event #" in refusal
    assert "has no signature row" in refusal


def test_7_editing_a_signature_row_is_named(closed_nc, ceo):
    signature = Signature.objects.for_record(closed_nc).get()
    drop_triggers()
    sql("UPDATE core_signature SET signer_id = %s WHERE id = %s", [ceo.pk, signature.pk])
    refusal = verify()
    assert f"signature #{signature.pk} of {closed_nc.reference}" in refusal
    assert "not in the trail, or differs from it" in refusal


def test_every_problem_is_named_not_only_the_first(closed_nc, make_nc):
    other, third = make_nc(title="Second record"), make_nc(title="Third record")
    trail.seal()
    drop_triggers()
    sql("UPDATE improvement_nonconformity SET title = 'forged' WHERE id = %s", [other.pk])
    sql("DELETE FROM core_signature")
    sql("DELETE FROM core_trailevent WHERE stream = %s", [stream_of(third)])
    refusal = verify()
    assert f"stream {stream_of(third)} removed" in refusal
    assert f"{other.reference}: title is 'forged'" in refusal
    assert "has no signature row" in refusal
    assert f"{third.reference}: no event of this record is left" in refusal
    assert "Audit trail BROKEN: 4 problems" in refusal


# --- every register -------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(REGISTER_FACTORIES), ids=lambda m: m._meta.model_name)
def test_each_registers_rows_are_rebuilt_from_their_trail(model):
    owner = UserFactory(role="quality_manager")
    record = REGISTER_FACTORIES[model](owner=owner)
    with acting_as(owner):
        record.refresh_from_db()
        record.title = "Renamed after review"
        record.save()
    intact("--full")
    drop_triggers()
    table = model._meta.db_table
    sql(f"UPDATE {table} SET title = 'forged' WHERE id = %s", [record.pk])  # noqa: S608
    assert f"{record.reference}: title is 'forged' in the record" in verify()


@pytest.mark.parametrize("model", list(REGISTER_FACTORIES), ids=lambda m: m._meta.model_name)
def test_each_registers_owner_edited_in_the_row_is_named(model):
    owner, intruder = UserFactory(role="quality_manager"), UserFactory()
    record = REGISTER_FACTORIES[model](owner=owner)
    drop_triggers()
    table = model._meta.db_table
    sql(f"UPDATE {table} SET owner_id = %s WHERE id = %s", [intruder.pk, record.pk])  # noqa: S608
    assert f"{record.reference}: owner is '{intruder.pk}' in the record, '{owner.pk}'" in verify()


def test_a_record_from_before_events_carried_values_is_checked_on_its_later_changes(nc, owner):
    import json

    stream = stream_of(nc)
    create = TrailEvent.objects.get(stream=stream, seq=1)
    legacy = {k: {x: y for x, y in v.items() if x != "value"} for k, v in create.changes.items()}
    drop_triggers()  # rewrite the create event as an older Hoshin wrote it
    sql("UPDATE core_trailevent SET changes = %s WHERE id = %s", [json.dumps(legacy), create.pk])
    recompute_from(stream, 1)
    intact("--full")
    with acting_as(owner):
        nc.refresh_from_db()
        nc.title = "Renamed since the upgrade"
        nc.save()
    intact("--full")  # fields it was created with are not taken for forgeries
    sql("UPDATE improvement_nonconformity SET title = 'forged' WHERE id = %s", [nc.pk])
    assert f"{nc.reference}: title is 'forged' in the record" in verify()


def test_the_registry_is_what_is_cross_checked():
    assert {rt.model for rt in registry} == set(REGISTER_FACTORIES)


def test_cross_checking_reads_in_batches_not_per_record(owner):
    NonconformityFactory.create_batch(3, owner=owner)
    registers = [rt.model for rt in registry]
    with CaptureQueriesContext(connection) as few:
        assert trail.check(full=True, registers=registers).intact
    NonconformityFactory.create_batch(12, owner=owner)
    with CaptureQueriesContext(connection) as many:
        assert trail.check(full=True, registers=registers).intact
    assert len(many) == len(few)


# --- the chain of seals -----------------------------------------------------------------------


def test_each_seal_records_the_moved_heads_and_points_at_the_previous_digest(nc, owner, make_nc):
    first = trail.seal()
    assert first.prev_digest == GENESIS
    assert first.heads == [[stream_of(nc), 1, TrailEvent.objects.get(stream=stream_of(nc)).hash]]
    other = make_nc(title="New since the first seal")
    second = trail.seal()
    assert second.prev_digest == first.digest
    assert [h[0] for h in second.heads] == [stream_of(other)]
    assert (second.events, second.streams) == (2, 2)
    assert trail.sealed_heads().keys() == {stream_of(nc), stream_of(other)}


def test_seals_are_append_only_at_the_database(nc):
    item = trail.seal()
    from django.db import DatabaseError, transaction

    for statement in ("UPDATE core_trailseal SET events = 0", "DELETE FROM core_trailseal"):
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(statement)
    assert TrailSeal.objects.get().digest == item.digest


def test_an_edited_or_removed_seal_is_named(nc, make_nc):
    trail.seal()
    make_nc(title="Between seals")
    middle = trail.seal()
    make_nc(title="After")
    trail.seal()
    drop_triggers()
    sql("UPDATE core_trailseal SET events = 1 WHERE id = %s", [middle.pk])
    assert f"seal #{middle.pk}: its content does not match its digest" in verify()
    sql("DELETE FROM core_trailseal WHERE id = %s", [middle.pk])
    assert "does not point at the previous seal's digest" in verify()


def test_a_seal_is_refused_over_a_truncated_stream(closed_nc):
    trail.seal()
    drop_triggers()
    head = TrailEvent.objects.filter(stream=stream_of(closed_nc)).order_by("-seq").first()
    sql("DELETE FROM core_trailevent WHERE id = %s", [head.pk])
    with pytest.raises(trail.SealRefused, match="truncated"):
        trail.seal()
    with pytest.raises(CommandError, match="Not sealed"):
        call_command("seal", stdout=io.StringIO())


def test_a_kept_digest_is_checked(closed_nc):
    kept = trail.seal().digest
    assert f"Digest {kept} is in the chain of seals" in intact("--digest", kept)
    assert "is not the digest of any seal" in verify("--digest", "ab" * 32)


def test_a_chain_of_seals_recomputed_after_tampering_no_longer_matches_the_kept_digest(
    closed_nc,
):
    kept = trail.seal().digest
    stream = stream_of(closed_nc)
    head = TrailEvent.objects.filter(stream=stream).order_by("-seq").first()
    drop_triggers()
    assert head.action == "signature"  # closing signed it: the signature goes too
    sql("DELETE FROM core_trailevent WHERE id = %s", [head.pk])
    sql("DELETE FROM core_signature")
    sql("DELETE FROM core_trailseal")
    trail.seal()  # the attacker seals the truncated trail afresh
    intact()  # consistent in itself...
    assert f"digest {kept} is not the digest of any seal" in verify("--digest", kept)


def test_a_kept_older_digest_still_anchors_what_it_sealed(closed_nc, make_nc):
    kept = trail.seal()
    make_nc(title="After the kept seal")
    trail.seal()
    stream = stream_of(closed_nc)
    sealed_seq = dict((s, q) for s, q, _h in kept.heads)[stream]
    drop_triggers()
    # Rewrite the record's history, then the seals after the kept one, consistently.
    sql("UPDATE core_trailevent SET message = 'forged' WHERE stream = %s AND seq = 2", [stream])
    recompute_from(stream, 2)
    sql("DELETE FROM core_trailseal WHERE id > %s", [kept.pk])
    latest = TrailSeal(
        at=timezone.now(),
        events=TrailEvent.objects.count(),
        streams=len(trail.current_heads()),
        last_event=TrailEvent.objects.order_by("-id").first().pk,
        heads=sorted([s, q, h] for s, (q, h) in trail.current_heads().items()),
        prev_digest=kept.digest,
    )
    latest.digest = latest.compute_digest()
    latest.save()
    refusal = verify("--digest", kept.digest)
    assert f"stream {stream}: seq {sealed_seq} sealed with two different hashes" in refusal


# --- incremental and full -------------------------------------------------------------------


def test_incremental_rechecks_only_events_after_the_seal_full_rechecks_all(closed_nc, make_nc):
    total = TrailEvent.objects.count()
    trail.seal()
    new = make_nc(title="After the seal")
    with acting_as(new.owner):
        new.title = "After the seal, renamed"
        new.save()
    registers = [rt.model for rt in registry]
    incremental = trail.check(registers=registers)
    full = trail.check(full=True, registers=registers)
    assert incremental.intact and full.intact
    assert incremental.events == 2  # the new stream's two events; the sealed heads are compared
    assert full.events == total + 2


def test_an_event_edited_in_place_before_the_seal_is_found_by_the_full_check(closed_nc):
    trail.seal()
    target = TrailEvent.objects.get(stream=stream_of(closed_nc), seq=2)
    drop_triggers()
    sql("UPDATE core_trailevent SET message = 'forged' WHERE id = %s", [target.pk])
    intact()  # the incremental check trusts what the last seal covered
    assert f"event #{target.pk} (stream {stream_of(closed_nc)}, seq 2)" in verify("--full")


def test_without_a_seal_every_event_is_checked(closed_nc):
    target = TrailEvent.objects.get(stream=stream_of(closed_nc), seq=2)
    drop_triggers()
    sql("UPDATE core_trailevent SET message = 'forged' WHERE id = %s", [target.pk])
    assert f"event #{target.pk}" in verify()


# --- sealing: on demand and daily -----------------------------------------------------------


def test_the_seal_command_prints_mails_and_files_the_digest(
    nc, quality, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.HOSHIN_SEAL_DIGEST_FILE = str(tmp_path / "digests.txt")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seal", stdout=out)
    item = TrailSeal.objects.get()
    assert item.digest in out.getvalue().split()
    (message,) = mail.outbox
    assert message.to == [quality.email]
    assert item.digest in message.body
    assert item.digest in (tmp_path / "digests.txt").read_text()


def test_the_digest_also_goes_to_the_addresses_kept_outside(
    nc, quality, settings, django_capture_on_commit_callbacks
):
    settings.HOSHIN_SEAL_DIGEST_EMAILS = ["digests@notary.example", quality.email]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seal", stdout=io.StringIO())
    item = TrailSeal.objects.get()
    sent = sorted(m.to[0] for m in mail.outbox if item.digest in m.body)
    assert sent == sorted([quality.email, "digests@notary.example"])  # each address once


def test_remind_seals_once_a_day_and_mails_the_digest(
    nc, quality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=io.StringIO())
    first = TrailSeal.objects.get()
    assert [m.to for m in mail.outbox if first.digest in m.body] == [[quality.email]]
    call_command("remind", stdout=io.StringIO())
    assert TrailSeal.objects.count() == 1  # not again within 24 hours
    now = timezone.now()
    assert seals.seal_if_due(now + datetime.timedelta(hours=23)) is None
    later = seals.seal_if_due(now + datetime.timedelta(hours=25))
    assert later is not None and later.prev_digest == first.digest


# --- a property -------------------------------------------------------------------------------


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.sampled_from(["title", "severity", "description", "due_date"]), min_size=0, max_size=4
    ),
    forged=st.sampled_from(["title", "severity", "description", "due_date"]),
)
def test_any_history_of_edits_verifies_and_any_forged_field_is_named(make_nc, edits, forged):
    nc = make_nc()
    values = {
        "title": "Burr, lot {n}",
        "severity": ["minor", "major", "critical"],
        "description": "Seen again {n}",
        "due_date": None,
    }
    with acting_as(nc.owner):
        for n, name in enumerate(edits):
            nc.refresh_from_db()
            if name == "severity":
                nc.severity = values["severity"][n % 3]
            elif name == "due_date":
                nc.due_date = datetime.date(2030, 1, 1) + datetime.timedelta(days=n)
            else:
                setattr(nc, name, values[name].format(n=n))
            nc.save()
    registers = [rt.model for rt in registry]
    mine = f"{nc.reference}: "  # earlier examples' forged records stay in the database
    assert not [p for p in trail.check(full=True, registers=registers).problems if mine in p]
    table = type(nc)._meta.db_table
    column = {"due_date": "due_date"}.get(forged, forged)
    value = "1999-12-31" if forged == "due_date" else "forged"
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, nc.pk])  # noqa: S608
    problems = trail.check(full=True, registers=registers).problems
    assert any(p.startswith(f"{mine}{forged} is ") for p in problems), problems
