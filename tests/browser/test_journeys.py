"""What people do with Hoshin, end to end in Chromium: sign in, report a nonconformity,
take it through containment, root cause, corrective action and a signed closure, and
find it again in the register, on a desktop and on a phone."""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import App, screenshot

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"NC-\d{4}-\d{4}")
PHONE = {"width": 390, "height": 844}


def today() -> str:
    """The server's today (it runs on UTC), as a date field takes it."""
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def login(page: Any, app: App, username: str, password: str | None = None) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or app.password)
    page.get_by_role("button", name="Sign in").click()
    if password is None:
        expect(page).not_to_have_url(re.compile(r"/login/"))


def logout(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def report_nc(page: Any, app: App, title: str) -> tuple[str, str]:
    """As the signed-in person, report a nonconformity on the process owned by ``owner``;
    returns its reference and detail URL."""
    page.goto("/")
    page.get_by_role("link", name="Report a nonconformity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a nonconformity")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(
        "Found at final inspection: 12 of 200 housings H-220 have a burr on the bore."
    )
    page.get_by_label("Source").select_option(label="Process monitoring")
    page.get_by_label("Severity").select_option(label="Major")
    page.get_by_label("Process").select_option(label=app.process)
    page.get_by_label("Detected on").fill(today())
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/nonconformities/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(title)
    match = REFERENCE.search(heading.inner_text())
    assert match, heading.inner_text()
    return match.group(0), page.url


def step(page: Any, label: str) -> Any:
    """The <details> block of a workflow step on the record page."""
    return page.locator("details.transition").filter(has=page.locator("summary", has_text=label))


def take_step(page: Any, label: str, password: str | None = None) -> None:
    block = step(page, label)
    if block.get_attribute("open") is None:  # a refused step comes back already open
        block.locator("summary").click()
    if password is not None:
        block.get_by_label("Your password, to sign").fill(password)
    block.get_by_role("button", name="Confirm").click()


def choose(select: Any, label: str) -> None:
    """Choose the option that reads ``label``; a person's option goes on with their job and
    department ("Name — Job, Department")."""
    pattern = re.compile(rf"^\s*{re.escape(label)}(\s+—|\s*$)")
    value = select.locator("option").filter(has_text=pattern).first.get_attribute("value")
    select.select_option(value=value)


def status_filter(page: Any) -> Any:
    """The register's status filter: one tick per state."""
    return page.get_by_role("group", name="Status")


def status_badge(page: Any) -> Any:
    return page.locator("h1 + .badge-state")


def edit_record(page: Any, fill: dict[str, str], selects: dict[str, str] | None = None) -> None:
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit NC-")
    for field_id, value in fill.items():
        page.locator(f"#id_{field_id}").fill(value)
    for field_id, label in (selects or {}).items():
        choose(page.locator(f"#id_{field_id}"), label)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".alert-success")).to_contain_text("Changes saved")


# --- 1. Signing in -------------------------------------------------------------------------
def test_login_wrong_password_then_dashboard(page: Any, app: App) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in to Hoshin")).to_be_visible()
    screenshot(page, "01-login")

    login(page, app, "quality", password="not-the-password")
    error = page.locator("#login-errors")
    expect(error).to_be_visible()
    expect(error).to_contain_text("correct username and password")
    expect(page.get_by_label("Username")).to_have_value("quality")
    screenshot(page, "01-login-error")

    login(page, app, "quality")
    expect(page).to_have_url(f"{app.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")
    charts = page.locator(".chart svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    expect(page.get_by_role("img", name="Nonconformities per month by source")).to_be_visible()
    screenshot(page, "01-home-dashboard")


# --- 2. An employee reports a nonconformity ------------------------------------------------
def test_employee_reports_a_nonconformity(page: Any, app: App) -> None:
    login(page, app, "employee")
    title = f"Burr on bore {uuid.uuid4().hex[:6]}"
    reference, _url = report_nc(page, app, title)
    assert reference.startswith(f"NC-{today()[:4]}-")
    expect(page.locator(".alert-success")).to_contain_text(f"{reference} was recorded")
    expect(status_badge(page)).to_have_text("Reported")
    details = page.locator(".record-fields")
    expect(details).to_contain_text(app.process)
    expect(details).to_contain_text(app.people["owner"])  # the process owner handles it
    expect(details).to_contain_text(app.people["employee"])  # detected by
    # The reporter may not take the workflow steps: those belong to the owner.
    expect(page.locator("details.transition")).to_have_count(0)
    screenshot(page, "02-nc-reported")

    # Dates are picked with the browser's own date picker.
    page.goto("/nonconformities/new/")
    expect(page.get_by_label("Detected on")).to_have_attribute("type", "date")


# --- 3. From report to verified closure ----------------------------------------------------
def test_nonconformity_from_report_to_signed_closure(new_page: Any, app: App) -> None:
    page = new_page()
    login(page, app, "employee")
    title = f"Porosity in casting {uuid.uuid4().hex[:6]}"
    reference, url = report_nc(page, app, title)
    logout(page)

    # The process owner contains it.
    login(page, app, "owner")
    page.goto(url)
    edit_record(
        page,
        {
            "containment_action": "Lot L-77 quarantined; 100% inspection of stock.",
            "containment_on": today(),
        },
        {"containment_by": app.people["owner"]},
    )
    take_step(page, "Record containment")
    expect(page.locator(".alert-success")).to_contain_text(f"{reference}: Record containment done")
    expect(status_badge(page)).to_have_text("Contained")

    # Root cause: 5 whys and the fishbone category.
    edit_record(
        page,
        {
            "why_1": "The bore has a burr",
            "why_2": "Deburring was skipped",
            "why_3": "Work instruction WI-12 omits deburring",
            "root_cause": "WI-12 does not include the deburring step.",
        },
        {"cause_category": "Method"},
    )
    expect(page.locator("ol.whys > li")).to_have_count(3)
    expect(page.locator(".fishbone-bone.chosen")).to_contain_text("Method")
    take_step(page, "Root cause found")
    expect(status_badge(page)).to_have_text("Investigated")

    # A corrective action, then start the actions.
    page.get_by_role("link", name="Add action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New corrective action")
    page.locator("#id_description").fill("Add the deburring step to WI-12; train the shift.")
    choose(page.locator("#id_owner"), app.people["owner"])
    page.locator("#id_due_date").fill(today())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Corrective action saved")
    take_step(page, "Start corrective actions")
    expect(status_badge(page)).to_have_text("Actions in progress")
    screenshot(page, "03-nc-actions")

    # The action is done, with evidence.
    page.get_by_role("link", name="Update", exact=True).click()
    page.locator("#id_status").select_option(label="Done")
    page.locator("#id_evidence").fill("WI-12 rev C released; training record TR-88.")
    page.get_by_role("button", name="Save").click()
    actions = page.get_by_role("region", name="Corrective actions")
    expect(actions).to_contain_text("WI-12 rev C")
    expect(actions).to_contain_text("Done")

    # How effectiveness will be verified, and the result; then submit for verification.
    edit_record(
        page,
        {"verification_method": "Audit three lots after the change.", "verification_due": today()},
        {"verification_result": "Effective"},
    )
    take_step(page, "Ready for verification")
    expect(status_badge(page)).to_have_text("Verification")
    logout(page)

    # The quality manager (not the owner) verifies and signs.
    login(page, app, "quality")
    expect(page.locator("section[aria-labelledby=approvals-h]")).to_contain_text(reference)
    page.goto(url)
    block = step(page, "Verify effective and close")
    block.locator("summary").click()
    block.get_by_label("Your password, to sign").fill("wrong-password")
    block.get_by_role("button", name="Confirm").click()
    refused = step(page, "Verify effective and close").locator(".alert-danger")
    expect(refused).to_contain_text("password given is not correct")
    expect(status_badge(page)).to_have_text("Verification")

    take_step(page, "Verify effective and close", password=app.password)
    expect(page.locator(".alert-success")).to_contain_text("now Closed")
    expect(status_badge(page)).to_have_text("Closed")
    signatures = page.locator("section[aria-labelledby=sig-h]")
    expect(signatures).to_contain_text("Verified effective")
    expect(signatures).to_contain_text(app.people["quality"])
    expect(signatures.locator(".signature")).to_have_count(1)
    events = page.locator("ol.trail > li")
    expect(events.locator(".trail-signature")).to_have_count(1)
    expect(events.locator(".trail-signature")).to_contain_text("Signed")
    expect(events.filter(has_text="Status changed")).to_have_count(5)
    # Closed means closed: no more editing, no more steps.
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.locator("details.transition")).to_have_count(0)
    screenshot(page, "03-nc-closed")


# --- 4. A refused step says what is missing --------------------------------------------------
def test_refused_step_names_the_missing_fields(page: Any, app: App) -> None:
    login(page, app, "quality")
    reference, _url = report_nc(page, app, f"Wrong label on box {uuid.uuid4().hex[:6]}")
    block = step(page, "Record containment")
    expect(block.locator(".alert-warning")).to_contain_text("Containment is required first")
    take_step(page, "Record containment")
    expect(page.locator(".alert-danger").first).to_contain_text("could not be taken")
    errors = step(page, "Record containment").locator(".alert-danger")
    expect(errors).to_be_visible()
    for name in ("Containment", "Contained by", "Contained on"):
        expect(errors).to_contain_text(f"{name} is required first.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(status_badge(page)).to_have_text("Reported")
    screenshot(page, "04-refused-step")


# --- 5. The register list: filter, search, sort, export -----------------------------------
def test_register_list_filter_search_sort_export(page: Any, app: App) -> None:
    login(page, app, "quality")
    word = f"Zq{uuid.uuid4().hex[:6]}"
    report_nc(page, app, f"Dented cover {word}B")  # so that there is always more than one
    reference, _url = report_nc(page, app, f"Scratched cover {word}A")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Nonconformities"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nonconformities")
    table = page.locator("#register-table table")
    expect(table.get_by_role("link", name=reference)).to_be_visible()  # newest first
    screenshot(page, "05-list")

    # Filter by status (htmx swaps the table and keeps the URL shareable).
    status_filter(page).get_by_label("Reported", exact=True).check()
    expect(page).to_have_url(re.compile(r"status=reported"))
    statuses = table.locator("tbody .badge-state")
    expect(statuses.first).to_have_text("Reported")
    assert set(statuses.all_inner_texts()) == {"Reported"}
    expect(table.get_by_role("link", name=reference)).to_be_visible()

    # Sorting by a column keeps the filter and marks the column.
    table.get_by_role("link", name="Title").click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(page).to_have_url(re.compile(r"status=reported"))
    expect(table.locator("th a[aria-sort=ascending]")).to_contain_text("Title")
    titles = table.locator("tbody td[data-label=Title]").all_inner_texts()
    assert len(titles) > 1
    assert titles == sorted(titles)
    table.get_by_role("link", name="Title").click()
    expect(table.locator("th a[aria-sort=descending]")).to_contain_text("Title")
    titles = table.locator("tbody td[data-label=Title]").all_inner_texts()
    assert titles == sorted(titles, reverse=True)

    # Search as you type narrows it to the new record.
    page.get_by_label("Search").press_sequentially(f"{word}A")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name=reference)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"q={word}A"))

    # Export exactly what the filter shows.
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename == "nonconformities.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Reference", "Title", "Status"]
    assert [r[0] for r in rows[1:]] == [reference]
    screenshot(page, "05-list-filtered")

    # Clearing the search and the status shows everything again, and the address
    # (bookmarks, the back button, the export links) no longer carries them.
    page.get_by_label("Search").fill("")
    status_filter(page).get_by_label("Reported", exact=True).uncheck()
    expect(table.locator("tbody tr")).not_to_have_count(1)
    expect(page).not_to_have_url(re.compile(rf"q={word}"))
    expect(page).not_to_have_url(re.compile(r"status=reported"))


# --- 6. On a phone ----------------------------------------------------------------------------
def test_phone_home_and_list(new_page: Any, app: App) -> None:
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(page, app, "owner")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")

    nav = page.locator("#main-nav")
    toggler = page.get_by_role("button", name="Toggle navigation")
    expect(toggler).to_be_visible()
    expect(nav).to_be_hidden()
    assert no_sideways_scroll(page)
    screenshot(page, "06-phone-home")

    toggler.click()
    expect(nav).to_have_class(re.compile(r"(^| )show( |$)"))  # the slide-down has ended
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Nonconformities")).to_be_visible()
    screenshot(page, "06-phone-nav-open")
    nav.get_by_role("link", name="Nonconformities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nonconformities")
    expect(nav).to_be_hidden()
    assert no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Report a nonconformity")).to_be_visible()
    first_row = page.locator("#register-table tbody tr").first
    expect(first_row).to_be_visible()
    # The records come first: the filters are folded, the first record on the first screen.
    expect(status_filter(page)).to_be_hidden()
    box = first_row.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], box
    screenshot(page, "06-phone-list")
    page.get_by_text("Search and filter").click()
    status_filter(page).get_by_label("Reported", exact=True).check()
    expect(page).to_have_url(re.compile(r"status=reported"))
    page.reload()  # a filter in use stays in sight
    expect(status_filter(page).get_by_label("Reported", exact=True)).to_be_checked()
    expect(status_filter(page)).to_be_visible()
    assert no_sideways_scroll(page)


def no_sideways_scroll(page: Any) -> bool:
    """The page itself does not scroll sideways (wide tables scroll inside their box)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


# --- 7. No page is blocked by the Content Security Policy -----------------------------------
def test_pages_keep_to_the_content_security_policy(page: Any, app: App, browser_log: Any) -> None:
    """The policy allows no inline script or style: a page that tries one is broken in part
    (and the browser says so on the console)."""
    login(page, app, "quality")  # the login and home pages
    report_nc(page, app, f"Loose screw {uuid.uuid4().hex[:6]}")  # the form and a record
    page.locator("details.workflow-chart > summary").click()  # the chart is folded
    expect(page.locator(".state-chart svg")).to_be_visible()
    page.goto("/nonconformities/")
    status_filter(page).get_by_label("Reported", exact=True).check()  # an htmx swap
    expect(page).to_have_url(re.compile(r"status=reported"))
    page.goto("/api/docs/")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    assert not browser_log.csp, "Refused by the Content Security Policy:\n" + "\n".join(
        dict.fromkeys(browser_log.csp)
    )
