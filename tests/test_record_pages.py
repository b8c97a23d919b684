"""Record pages that read well (issue 10): what is filled, in the sections of the workflow,
the empty ones folded, the trail folded with full names and values in words; filters as
ticks; exports with every field, a spreadsheet ready to read; the import template."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from openpyxl import load_workbook

from hoshin.core.display import readable
from hoshin.core.models import TrailEvent, User
from hoshin.improvement.models import Nonconformity
from hoshin.planning.imports import COLUMNS, read_rows
from hoshin.support.models import Document
from tests.conftest import advance, approve, make_user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user: User, record: Any) -> str:
    slug = "nonconformities" if isinstance(record, Nonconformity) else "documents"
    response = signed_in(user).get(reverse(f"{slug}_detail", args=[record.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, legend: str) -> re.Match[str]:
    """The <details> of the section named ``legend``, with its body up to </details>."""
    found = re.search(
        r'<details class="card mb-3 record-section"(?P<open> open)?[^>]*>\s*'
        r'<summary class="card-header">' + re.escape(legend) + r"(?P<body>.*?)</details>",
        html,
        re.S,
    )
    assert found, f"no section {legend!r}"
    return found


def field_rows(html: str) -> list[tuple[str, str]]:
    rows = re.findall(
        r'<dt class="col-sm-4">(.*?)</dt>\s*<dd class="col-sm-8">(.*?)</dd>', html, re.S
    )
    return [(label.strip(), value.strip()) for label, value in rows]


# --- the record page -------------------------------------------------------------------
@pytest.mark.django_db
def test_a_new_nonconformity_shows_only_its_filled_fields(nc: Nonconformity, owner: User) -> None:
    html = page(owner, nc)
    rows = field_rows(html)
    assert ("Severity", "Major") in rows  # a choice by its label
    assert ("Detected on", dateformat.format(nc.detected_on, "j M Y")) in rows
    assert all(value not in ("", "—", "None") for _label, value in rows), rows
    labels = [label for label, _value in rows]
    assert "Containment" not in labels and "Lot" not in labels
    assert html.count("—</dd>") == 0


@pytest.mark.django_db
def test_sections_follow_the_workflow_and_fold_while_nothing_is_recorded(
    nc: Nonconformity, owner: User
) -> None:
    html = page(owner, nc)
    legends = ["What happened", "Containment and correction", "Root cause"]
    positions = [html.index(f'<summary class="card-header">{legend}') for legend in legends]
    assert positions == sorted(positions)
    assert section(html, "What happened")["open"]
    assert not section(html, "Containment and correction")["open"]
    assert "nothing recorded yet" in section(html, "Containment and correction")["body"]
    assert not section(html, "Effectiveness verification")["open"]

    contained = advance(nc, "contained", by=owner)
    html = page(owner, contained)
    assert section(html, "Containment and correction")["open"]
    assert "Quarantined lot L-77" in section(html, "Containment and correction")["body"]


@pytest.mark.django_db
def test_the_next_steps_come_before_the_fields_and_the_trail_is_folded_last(
    nc: Nonconformity, owner: User
) -> None:
    html = page(owner, nc)
    assert html.index('id="next-steps"') < html.index("What happened")
    trail = re.search(r'<details class="card mb-3 record-section" id="trail">', html)
    assert trail is not None  # folded: no "open"
    assert trail.start() > html.index("What happened")


@pytest.mark.django_db
def test_the_owner_of_an_open_corrective_action_finds_it_first_on_the_page(
    nc: Nonconformity, owner: User, employee: User
) -> None:
    from hoshin.core.actor import acting_as
    from hoshin.core.models import Action

    with acting_as(owner):
        action = Action(description="Retrain the night shift", owner=employee, due_date=nc.due_date)
        action.link_to(nc)
        action.save()
    nc.detected_by = employee  # an employee sees the records they reported
    with acting_as(owner):
        nc.save()
    html = page(employee, nc)
    update = reverse("nc_action_edit", args=[nc.pk, action.pk])
    assert "Your corrective action" in html
    assert html.index(update) < html.index("What happened")


@pytest.mark.django_db
def test_the_trail_says_values_in_words_in_the_readers_zone_with_full_names(
    make_doc: Callable[..., Document], quality: User, ceo: User
) -> None:
    reviewer = make_user("rita", "process_owner", first_name="Rita", last_name="Reviewer")
    quality.first_name, quality.last_name, quality.time_zone = "Quinn", "Quality", "Asia/Kolkata"
    quality.save()
    doc = make_doc()
    approve(doc, quality, reviewer, ceo, in_order=True)
    html = page(quality, doc)
    trail = re.sub(r"<(?!/?(ins|del)>)[^>]+>", " ", html[html.index('id="trail"') :])
    assert "False" not in trail and "True" not in trail
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", trail)
    assert "<ins>Yes</ins>" in trail  # signing in order: No → Yes
    assert "Rita Reviewer" in trail, trail
    event = TrailEvent.objects.filter(object_id=doc.pk).latest("id")
    local = timezone.localtime(event.at, zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert f"{dateformat.format(local, 'j M Y, H:i')} IST" in trail


def test_values_read_in_words() -> None:
    assert readable(True) == "Yes" and readable(False) == "No"
    assert readable("2026-12-03") == "3 Dec 2026"
    with timezone.override(zoneinfo.ZoneInfo("Europe/Dublin")):
        assert readable("2026-12-03T18:42:33.771004+00:00") == "3 Dec 2026, 18:42 GMT"
        moment = datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.UTC)
        assert readable(moment) == "1 Jul 2026, 09:05 IST"
    assert readable("Burr on bore") == "Burr on bore"
    assert readable("2026-99-99") == "2026-99-99"


# --- filters ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_multi_choice_filters_are_ticks_not_list_boxes_and_filter(
    make_nc: Callable[..., Nonconformity], quality: User
) -> None:
    major = make_nc(title="Major burr", severity="major")
    minor = make_nc(title="Minor scratch", severity="minor")
    critical = make_nc(title="Critical crack", severity="critical")
    client = signed_in(quality)
    html = client.get(reverse("nonconformities_list")).content.decode()
    assert "<select multiple" not in html and 'multiple=""' not in html
    assert re.search(r'<input type="checkbox" name="severity" value="major"', html)
    assert re.search(r'<input type="checkbox" name="status" value="reported"', html)

    response = client.get(reverse("nonconformities_list"), {"severity": ["major", "critical"]})
    body = response.content.decode()
    assert major.reference in body and critical.reference in body
    assert minor.reference not in body
    ticked = re.search(r'<input type="checkbox" name="severity" value="major"[^>]*>', body)
    assert ticked is not None and "checked" in ticked.group()


@pytest.mark.django_db
def test_people_are_offered_with_their_job_and_department_and_searchable(
    nc: Nonconformity, quality: User, owner: User
) -> None:
    from hoshin.core.models import Department

    owner.job_title = "Machining supervisor"
    owner.department = Department.objects.create(name="Machining")
    owner.save()
    html = signed_in(quality).get(reverse("nonconformities_list")).content.decode()
    assert re.search(r'<select name="owner"[^>]*data-person-picker=', html)
    assert f"{owner} — Machining supervisor, Machining" in html
    html = signed_in(quality).get(reverse("nonconformities_edit", args=[nc.pk])).content.decode()
    assert re.search(r'<select name="containment_by"[^>]*data-person-picker=', html)
    assert "pickers.js" in html
    url = reverse("nonconformities_action_add", args=[nc.pk])
    html = signed_in(quality).get(url).content.decode()
    assert re.search(r'<select name="owner"[^>]*data-person-picker=', html)
    assert f"{owner} — Machining supervisor, Machining" in html


# --- exports ----------------------------------------------------------------------------
def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_the_export_has_every_field_of_the_register_not_only_the_lists_columns(
    nc: Nonconformity, owner: User, quality: User
) -> None:
    advance(nc, "investigated", by=owner)
    header, row = csv_rows(signed_in(quality).get(reverse("nonconformities_export_csv")))
    values = dict(zip(header, row, strict=True))
    for label in ("Reference", "Title", "Description", "Containment", "Root cause", "5 whys"):
        assert label in header, label
    assert values["Containment"] == "Quarantined lot L-77; 100% inspection."
    assert values["Root cause"] == "Work instruction WI-12 omits the deburring step."
    assert values["Contained by"] == str(owner)
    assert "Deburr step skipped" in values["5 whys"]
    assert len(header) == len(set(header))


@pytest.mark.django_db
def test_the_xlsx_export_has_a_bold_filled_frozen_header_with_an_autofilter(
    make_nc: Callable[..., Nonconformity], quality: User
) -> None:
    for i in range(3):
        make_nc(title=f"Burr {i}")
    response = signed_in(quality).get(reverse("nonconformities_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert header[0].value == "Reference"
    assert all(c.font.bold for c in header)
    assert all(c.fill.fill_type == "solid" for c in header)
    assert sheet.freeze_panes == "A2"
    last = header[-1].column_letter
    assert sheet.auto_filter.ref == f"A1:{last}4"
    assert sheet.max_row == 4


@pytest.mark.django_db
def test_the_document_export_lists_its_readers_from_prefetched_rows(
    make_doc: Callable[..., Document], quality: User, employee: User
) -> None:
    doc = make_doc()
    doc.distribute_people.add(employee)
    header, row = csv_rows(signed_in(quality).get(reverse("documents_export_csv")))
    values = dict(zip(header, row, strict=True))
    assert values["Must read (people)"] == str(employee)


# --- import template --------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_kpi_import_template_has_the_columns_the_import_reads(fmt: str, quality: User) -> None:
    client = signed_in(quality)
    page_html = client.get(reverse("kpis_import")).content.decode()
    url = reverse("kpis_import_template", args=[fmt])
    assert url in page_html
    response = client.get(url)
    assert response.status_code == 200
    assert f"kpi-figures-template.{fmt}" in response["Content-Disposition"]
    rows = read_rows(response.content, f"template.{fmt}")
    assert rows and set(rows[0]) <= set(COLUMNS.values())
    assert {"kpi", "period", "value", "numerator", "denominator", "unit", "note"} == {
        key for row in rows for key in row
    }
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == [
            "kpi",
            "period",
            "value",
            "count",
            "out of",
            "unit",
            "note",
        ]
        assert sheet["A1"].font.bold
