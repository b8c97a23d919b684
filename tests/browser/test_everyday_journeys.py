"""The everyday journeys of issue 10, in Chromium: a nonconformity taken from report to
verification in its step forms alone and closed by the verifier it names; an employee on
a phone updating their corrective action from the inbox; a document route signed in the
order chosen. Screenshots go to /tmp/shots/ to be looked at."""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import App
from tests.browser.test_document_journey import sign
from tests.browser.test_journeys import (
    PHONE,
    choose,
    login,
    logout,
    report_nc,
    status_badge,
    step,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the screenshots are looked at)


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def open_step(page: Any, label: str) -> Any:
    block = step(page, label)
    if block.get_attribute("open") is None:
        block.locator("summary").click()
    return block


def section(page: Any, legend: str) -> Any:
    """A folding section of the record page, by its legend."""
    return page.locator("details.record-section").filter(
        has=page.locator("summary", has_text=legend)
    )


def bell(page: Any) -> Any:
    """The inbox link with its count (the one shown: the bar's on a phone)."""
    return page.get_by_role("link", name=re.compile(r"^Inbox"))


def unread(page: Any) -> int:
    found = re.search(r"\d+", bell(page).inner_text())
    return int(found.group(0)) if found else 0


def fits_the_phone(page: Any) -> bool:
    """Nothing makes the page scroll sideways on a 390 px wide screen."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= 390"))


def visited_edit_pages(page: Any) -> list[str]:
    """Every address the page's main frame goes to that is a record's Edit page."""
    seen: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: (
            frame == page.main_frame
            and re.search(r"/edit/?$", frame.url)
            and seen.append(frame.url)
        ),
    )
    return seen


# --- (a) From report to verification in the steps, closed by the named verifier -------------
def test_the_owner_takes_a_nonconformity_to_verification_in_its_steps_and_the_named_verifier_closes_it(
    new_page: Any, app: App
) -> None:
    """GIVEN a nonconformity an employee reported on the owner's process
    WHEN its owner takes every step to verification, typing each step's fields in the step
    THEN no Edit page is ever opened, the verifier is named before the handover, told at once
    (the bell counts one more, the home page and the inbox list it) and closes it by setting
    the result in the closing step and signing with their password."""
    page = new_page()
    login(page, app, "employee")
    reference, url = report_nc(page, app, f"Burr on flange {uuid.uuid4().hex[:6]}")
    logout(page)

    verifier = new_page()
    login(verifier, app, "quality")

    login(page, app, "owner")
    edits = visited_edit_pages(page)
    page.goto(url)

    # Containment, in the step: what, who (found by typing the name) and when.
    block = open_step(page, "Record containment")
    block.get_by_role("textbox", name="Containment").fill("Lot L-81 quarantined and sorted.")
    block.get_by_role("searchbox").fill(app.people["owner"])
    contained_by = block.get_by_role("combobox", name="Contained by")
    assert contained_by.evaluate("s => s.selectedOptions[0].text").startswith(app.people["owner"])
    block.get_by_label("Contained on").fill(today())
    shot(page, "a1-contain-step")
    block.get_by_role("button", name="Confirm").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{reference}: Record containment done")
    expect(status_badge(page)).to_have_text("Contained")

    # The root cause, in the step: the ladder of whys grows as each is answered, each rung
    # asking why the answer above it happened; a cause on the fishbone; the category.
    block = open_step(page, "Root cause found")
    rungs = block.locator(".why-rung")
    expect(rungs.nth(1)).to_be_hidden()
    rungs.nth(0).locator("input").fill("The flange has a burr")
    expect(rungs.nth(1).locator(".why-prompt")).to_contain_text("The flange has a burr")
    rungs.nth(1).locator("input").fill("Deburring was skipped")
    rungs.nth(2).locator("input").fill("Work instruction WI-12 omits deburring")
    block.get_by_role("textbox", name="Method").fill("WI-12 has no deburring step")
    block.get_by_role("combobox", name="Root-cause category").select_option(label="Method")
    block.get_by_role("textbox", name="Root cause", exact=True).fill(
        "WI-12 does not include the deburring step."
    )
    shot(page, "a2-investigate-step")
    block.get_by_role("button", name="Confirm").click()
    expect(status_badge(page)).to_have_text("Investigated")
    cause = section(page, "Root cause")
    expect(cause).to_contain_text("Deburring was skipped")
    expect(cause).to_contain_text("WI-12 does not include the deburring step.")

    # A corrective action of their own, started, then done with its evidence.
    page.get_by_role("link", name="Add action").click()
    page.get_by_role("textbox", name="Action", exact=True).fill("Add deburring to WI-12.")
    page.get_by_label("Due date").fill(today())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Corrective action saved")
    open_step(page, "Start corrective actions").get_by_role("button", name="Confirm").click()
    expect(status_badge(page)).to_have_text("Actions in progress")
    page.get_by_role("link", name="Update my action").click()
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_label("Evidence of completion").fill("WI-12 rev C released.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="Corrective actions")).to_contain_text("Done")

    # Ready for verification: who will be asked is said before confirming.
    block = open_step(page, "Ready for verification")
    note = block.locator(".handover-note")
    expect(note).to_contain_text(app.people["quality"])
    expect(note).to_contain_text("will be asked to verify")
    block.get_by_label("Verification method").fill("Audit three lots after the change.")
    block.get_by_label("Verification due").fill(today())
    shot(page, "a3-ready-for-verification-step")
    verifier.reload()
    before = unread(verifier)
    block.get_by_role("button", name="Confirm").click()
    expect(status_badge(page)).to_have_text("Verification")
    assert edits == [], f"the owner opened an Edit page: {edits}"

    # The verifier is told at once: the bell, the home page, the inbox.
    verifier.goto("/")
    expect(bell(verifier)).to_contain_text(str(before + 1))
    asked = verifier.get_by_role("region", name="Asked of me")
    expect(asked).to_contain_text(reference)
    shot(verifier, "a4-verifier-home")
    bell(verifier).click()
    expect(verifier.get_by_role("heading", level=1)).to_have_text("Inbox")
    item = verifier.locator("ul.inbox > li").filter(has_text=reference).first
    expect(item).to_contain_text("Assigned to you")
    expect(item).to_contain_text("verify the actions' effectiveness")
    expect(item).to_contain_text(app.people["owner"])
    shot(verifier, "a5-verifier-inbox")
    verifier_edits = visited_edit_pages(verifier)
    item.get_by_role("link", name=reference).click()
    expect(verifier).to_have_url(url)

    # ...and closes it in the step: the result set there, signed with their password.
    block = open_step(verifier, "Verify effective and close")
    expect(block.get_by_label("Verification method")).to_have_value(
        "Audit three lots after the change."
    )
    block.get_by_role("combobox", name="Verification result").select_option(label="Effective")
    block.get_by_label("Verification notes").fill("Three lots without a burr.")
    block.get_by_label("Your password, to sign").fill(app.password)
    shot(verifier, "a6-close-step")
    block.get_by_role("button", name="Confirm").click()
    expect(verifier.locator(".alert-success")).to_contain_text("now Closed")
    expect(status_badge(verifier)).to_have_text("Closed")
    verification = section(verifier, "Effectiveness verification")
    expect(verification).to_contain_text("Effective")
    expect(verification).to_contain_text("Three lots without a burr.")
    signatures = verifier.locator("section[aria-labelledby=sig-h]")
    expect(signatures).to_contain_text("Verified")
    expect(signatures).to_contain_text(app.people["quality"])
    assert verifier_edits == [], f"the verifier opened an Edit page: {verifier_edits}"
    shot(verifier, "a7-closed")


# --- (b) On a phone: my corrective action, from the inbox -----------------------------------
def test_an_employee_on_a_phone_updates_their_corrective_action_from_the_inbox(
    new_page: Any, app: App
) -> None:
    """GIVEN a corrective action the owner gives an employee
    WHEN the employee opens it on a 390x844 phone from the bell's inbox
    THEN the bell and its count are in the bar without opening the menu, the action they came
    for is within the first screen of the record, they mark it done, and no page they see
    scrolls sideways (charts that do not fit scroll in their box and say so)."""
    owner = new_page()
    login(owner, app, "owner")
    reference, url = report_nc(owner, app, f"Chips in coolant {uuid.uuid4().hex[:6]}")
    owner.get_by_role("link", name="Add action").click()
    task = f"Clean the coolant filter of the DMU 50 {uuid.uuid4().hex[:4]}"
    owner.get_by_role("textbox", name="Action", exact=True).fill(task)
    choose(owner.get_by_role("combobox", name="Owner"), app.people["employee"])
    owner.get_by_label("Due date").fill(today())
    owner.get_by_role("button", name="Save").click()
    expect(owner.locator(".alert-success")).to_contain_text("Corrective action saved")
    # A cost too, so that the record shows a table of costs (for its owner, with a void form).
    owner.get_by_role("link", name="Add cost").click()
    owner.locator("#id_category").select_option(index=1)
    owner.locator("#id_description").fill("Scrapped housings, sorting time")
    owner.locator("#id_amount").fill("1250.00")
    owner.get_by_role("button", name="Save").click()
    expect(owner).to_have_url(url)

    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, app, "employee")
    expect(phone.locator("#main-nav")).to_be_hidden()
    expect(bell(phone)).to_be_visible()  # in the bar, not behind the menu
    assert unread(phone) >= 1
    assert fits_the_phone(phone)
    shot(phone, "b1-phone-home-first-screen", full_page=False)
    shot(phone, "b1-phone-home")
    # Charts keep readable text: one wider than the screen scrolls in its box, and says so.
    for box in phone.locator("div.chart").all():
        if box.evaluate("el => el.scrollWidth > el.clientWidth + 1"):
            hint = box.locator("xpath=following-sibling::*[1]")
            expect(hint).to_have_class(re.compile("chart-scroll-hint"))
            expect(hint).to_be_visible()

    bell(phone).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Inbox")
    item = phone.locator("ul.inbox > li").filter(has_text=task).first
    expect(item).to_contain_text("Assigned to you")
    assert fits_the_phone(phone)
    shot(phone, "b2-phone-inbox", full_page=False)
    item.get_by_role("link", name=reference).click()
    expect(phone).to_have_url(url)

    # The action they came for is on the first screen, before the record's sections.
    mine = phone.get_by_role("region", name="Your corrective action")
    expect(mine).to_contain_text(task)
    update = mine.get_by_role("link", name="Update my action")
    expect(update).to_be_visible()
    box = update.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    assert fits_the_phone(phone)
    shot(phone, "b3-phone-record-first-screen", full_page=False)
    shot(phone, "b3-phone-record")
    # The record's tables stack on a phone: no header row, one block per row.
    actions = phone.get_by_role("region", name="Corrective actions")
    expect(actions.locator("thead")).to_be_hidden()

    update.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Update corrective action")
    assert fits_the_phone(phone)
    phone.get_by_label("Status").select_option(label="Done")
    phone.get_by_label("Evidence of completion").fill("Filter cleaned, logged in the TPM sheet.")
    shot(phone, "b4-phone-action-form")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator(".alert-success")).to_contain_text("Corrective action saved")
    expect(phone).to_have_url(url)
    row = phone.get_by_role("region", name="Corrective actions")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Filter cleaned")
    # Done: no longer asked of them at the top of the record.
    expect(phone.get_by_role("region", name="Your corrective action")).to_have_count(0)
    assert fits_the_phone(phone)
    shot(phone, "b5-phone-action-done")

    # The owner's view of it on a phone (the costs with their void form) fits too.
    owner_phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(owner_phone, app, "owner")
    owner_phone.goto(url)
    expect(owner_phone.get_by_role("region", name="Cost of poor quality")).to_contain_text(
        "Scrapped housings"
    )
    assert fits_the_phone(owner_phone)
    shot(owner_phone, "b6-phone-owner-record")


# --- (c) A document route signed in the order chosen ---------------------------------------
def test_a_document_route_is_signed_in_the_order_chosen(new_page: Any, app: App) -> None:
    """GIVEN a work instruction whose author asks the internal auditor to review first and
    the quality manager second (the reverse of their alphabetical order), one after another
    WHEN the route is sent
    THEN the page lists them in that order, the quality manager may not sign before the
    auditor has, is told once the auditor has signed, and the approval closes the route."""
    first, second = "auditor", "quality"
    assert app.people[second] < app.people[first], "the chosen order must not be alphabetical"
    title = f"Torque settings {uuid.uuid4().hex[:6]}"

    page = new_page()
    login(page, app, "owner")
    page.goto("/documents/new/")
    page.get_by_role("combobox", name="Type").select_option(label="Work instruction")
    page.get_by_label("Title").fill(title)
    page.locator("#id_body").fill("# Purpose\n\nTighten M8 screws to 25 Nm.\n")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    detail_url = page.url

    page.get_by_role("link", name="Open version").click()
    choose(page.get_by_label("Reviewer 1", exact=True), app.people[first])
    choose(page.get_by_label("Reviewer 2", exact=True), app.people[second])
    choose(page.get_by_label("Approver 1", exact=True), app.people["ceo"])
    # One empty position at a time is offered: the list grows as people are chosen.
    expect(page.get_by_label("Reviewer 3", exact=True)).to_be_visible()
    expect(page.get_by_label("Reviewer 4", exact=True)).to_be_hidden()
    expect(page.get_by_label("Approver 2", exact=True)).to_be_visible()
    expect(page.get_by_label("Approver 3", exact=True)).to_be_hidden()
    page.get_by_label("Sign one after another, in the order chosen").check()
    shot(page, "c1-route-chosen")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("Sent for review")
    route = page.get_by_role("region", name="Review and approval").locator("li")
    expect(route.nth(0)).to_contain_text(app.people[first])
    expect(route.nth(1)).to_contain_text(app.people[second])
    expect(route.nth(2)).to_contain_text(app.people["ceo"])
    shot(page, "c2-route-sent")
    version_url = page.url

    # The second reviewer's turn has not come.
    reviewer2 = new_page()
    login(reviewer2, app, second)
    reviewer2.goto(version_url)
    expect(reviewer2.get_by_role("region", name="Your signature is awaited")).to_have_count(0)
    before = unread(reviewer2)

    # The first signs...
    reviewer1 = new_page()
    login(reviewer1, app, first)
    reviewer1.goto(version_url)
    expect(reviewer1.get_by_role("region", name="Your signature is awaited")).to_be_visible()
    sign(reviewer1, app)

    # ...and then the second is told, and may sign.
    reviewer2.goto("/inbox/")
    expect(bell(reviewer2)).to_contain_text(str(before + 1))
    item = reviewer2.locator("ul.inbox > li").first
    expect(item).to_contain_text("Your signature is awaited")
    reviewer2.goto(version_url)
    sign(reviewer2, app)

    approver = new_page()
    login(approver, app, "ceo")
    approver.goto(version_url)
    sign(approver, app)
    approver.goto(detail_url)
    expect(approver.locator("h1 + .badge-state")).to_have_text("Effective")
    approver.goto(version_url)
    signed = approver.get_by_role("region", name="Review and approval").locator("li")
    for i, who in enumerate((first, second, "ceo")):
        expect(signed.nth(i)).to_contain_text(app.people[who])
    shot(approver, "c3-route-signed")
