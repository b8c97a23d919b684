"""Document control end to end in Chromium: an author drafts a work instruction (with
the live preview), a reviewer and an approver sign it, it takes effect, an employee
finds it in "my documents to read" and confirms reading it; the controlled copy is a
real PDF carrying number, version and approvals."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import SCREENSHOTS, App, screenshot
from tests.browser.test_journeys import PHONE, choose, login, logout

pytestmark = pytest.mark.browser


def sign(page: Any, app: App) -> None:
    form = page.locator("form.sign-form").first
    form.get_by_label("Your password, to sign").fill(app.password)
    form.get_by_role("button", name="Confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("Signed")


def test_a_work_instruction_from_draft_to_read_and_understood(new_page: Any, app: App) -> None:
    page = new_page()
    title = f"Deburring of housings {uuid.uuid4().hex[:6]}"

    # The process owner drafts it, watching the preview.
    login(page, app, "owner")
    page.goto("/documents/")
    page.get_by_role("link", name="New document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New controlled document")
    page.get_by_role("combobox", name="Type").select_option(label="Work instruction")
    page.get_by_label("Title").fill(title)
    page.locator("#id_body").fill(
        "# Purpose\n\nRemove burrs from the bore of H-220.\n\n"
        "| Step | Tool |\n|---|---|\n| Deburr | Scraper |\n| Inspect | Loupe 10x |\n"
    )
    preview = page.locator("#id_body-preview")
    expect(preview.locator("h3")).to_have_text("Purpose")
    expect(preview.locator("table")).to_be_visible()
    page.get_by_label("must read (people)").select_option(label=app.people["employee"])
    screenshot(page, "10-document-new")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(title)
    number = re.search(r"WI-\d{3}", heading.inner_text())
    assert number, heading.inner_text()
    detail_url = page.url

    # ...and sends it to the quality manager (review) and the CEO (approval).
    page.get_by_role("link", name="Open version").click()
    choose(page.get_by_label("Reviewer 1", exact=True), app.people["quality"])
    choose(page.get_by_label("Approver 1", exact=True), app.people["ceo"])
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("Sent for review")
    expect(page.locator(".badge-state").first).to_have_text("In review")
    screenshot(page, "11-document-in-review")
    logout(page)

    # The approver's turn has not come yet.
    login(page, app, "ceo")
    page.goto(detail_url)
    expect(page.get_by_text("Your signature is awaited")).to_have_count(0)
    logout(page)

    # The reviewer sees it waiting at home and signs.
    login(page, app, "quality")
    waiting = page.locator("#approvals-h").locator("xpath=..")
    expect(waiting).to_contain_text(number.group(0))
    page.goto(detail_url)
    sign(page, app)
    logout(page)

    # The approver signs: the version takes effect.
    login(page, app, "ceo")
    page.goto(detail_url)
    sign(page, app)
    page.goto(detail_url)
    expect(page.locator("h1 + .badge-state")).to_have_text("Effective")
    expect(page.get_by_role("heading", name=re.compile(r"In force: version 1"))).to_be_visible()
    screenshot(page, "12-document-effective")

    # The controlled copy: a PDF with the number, version and both signatures.
    response = page.request.get(f"{detail_url}versions/1/copy.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert number.group(0) in text and "Version 1" in text
    assert "Controlled copy" in text and "Approved" in text and "Reviewed" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    copy = SCREENSHOTS / "13-controlled-copy.pdf"
    copy.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(copy), str(copy)[:-4]],  # noqa: S607
            check=True,
        )
    logout(page)

    # The employee reads it from their list, on a phone.
    phone = new_page(viewport=PHONE)
    login(phone, app, "employee")
    phone.goto("/documents/to-read/")
    item = phone.locator("li.list-group-item").filter(has_text=title)
    expect(item).to_be_visible()
    screenshot(phone, "14-to-read-phone")
    item.get_by_role("button", name="I have read and understood it").click()
    expect(phone.locator(".messages .alert-success")).to_contain_text("your reading is recorded")
    expect(phone.locator("li.list-group-item").filter(has_text=title)).to_have_count(0)

    # The owner sees the reading confirmed.
    owner = new_page()
    login(owner, app, "owner")
    owner.goto(detail_url)
    expect(owner.get_by_text("Read and understood: 1 of 1")).to_be_visible()


def test_search_finds_the_passage_and_highlights_it(page: Any, app: App) -> None:
    """GIVEN a procedure whose text holds a word no other document has
    WHEN the quality manager searches for it with another word of the passage
    THEN exactly that document is found, its passage shown with both words marked."""
    word = f"gaugeset{uuid.uuid4().hex[:8]}"
    title = f"Calibration of gauges {word[-8:]}"
    login(page, app, "quality")
    page.goto("/documents/")
    page.get_by_role("link", name="New document").click()
    page.get_by_role("combobox", name="Type").select_option(label="Procedure")
    page.get_by_label("Title").fill(title)
    page.locator("#id_body").fill(
        "# Purpose\n\nEvery gauge is checked before use.\n\n"
        f"Send each calibration of {word} to the approved laboratory once a year.\n"
    )
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)

    page.goto(f"/documents/search/?q=calibration+{word}")
    results = page.locator("ol.search-results > li")
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("link")).to_contain_text(title)
    marks = results.first.locator(".search-passage mark")
    expect(marks.filter(has_text=word)).to_have_count(1)
    expect(marks.filter(has_text=re.compile("^calibration$", re.IGNORECASE))).not_to_have_count(0)
    expect(page.get_by_text("1 document found")).to_be_visible()
    screenshot(page, "15-document-search")
