"""Planning in Chromium: a process owner records a risk, finds it through the heat map,
defines a KPI, enters figures, and clicks a point of the control chart."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import App, screenshot
from tests.browser.test_journeys import PHONE, login

pytestmark = pytest.mark.browser


def months_back(n: int) -> str:
    today = datetime.datetime.now(datetime.UTC).date().replace(day=1)
    month = today.month - 1 - n
    return f"{today.year + month // 12}-{month % 12 + 1:02d}"


def test_a_risk_on_the_heat_map(new_page: Any, app: App) -> None:
    page = new_page()
    title = f"Single foundry for housings {uuid.uuid4().hex[:6]}"
    login(page, app, "owner")
    page.goto("/risks/")
    page.get_by_role("link", name="New risk or opportunity").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("All H-220 castings come from one foundry.")
    page.get_by_label("Source").select_option(label="Process")
    page.get_by_label("Inherent likelihood").select_option(value="4")
    page.get_by_label("Inherent impact").select_option(value="5")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/risks/\d+/$"))
    expect(page.locator(".rating-box").first).to_contain_text("20")
    screenshot(page, "20-risk")

    page.goto("/risks/heat-map/")
    inherent = page.get_by_role("region", name=re.compile("Inherent rating"))
    cell = inherent.get_by_role("link", name=re.compile(r"at likelihood 4, impact 5"))
    expect(cell).to_be_visible()
    screenshot(page, "21-heat-map")
    cell.click()
    expect(page).to_have_url(re.compile(r"inherent_likelihood=4"))
    expect(page.get_by_role("link", name=title)).to_be_visible()

    # On a phone both grids fit the screen whole: no column hides past the edge.
    phone = new_page(viewport=PHONE)
    login(phone, app, "owner")
    phone.goto("/risks/heat-map/")
    grids = phone.locator(".heat-map").locator("xpath=..")
    expect(grids).to_have_count(2)
    for grid in grids.all():
        assert grid.evaluate("el => el.scrollWidth <= el.clientWidth"), "the grid scrolls"
    screenshot(phone, "21-heat-map-phone")


def test_a_kpi_its_figures_and_its_control_chart(new_page: Any, app: App) -> None:
    page = new_page()
    name = f"First-pass yield {uuid.uuid4().hex[:6]}"
    login(page, app, "owner")
    page.goto("/kpis/new/")
    page.get_by_label("Title").fill(name)
    page.get_by_label("Formula and description").fill("Good parts first time / parts made.")
    page.get_by_label("Unit").fill("%")
    page.locator("#id_target").fill("95")
    page.get_by_label("Off target beyond").fill("90")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/kpis/\d+/$"))
    url = page.url

    # A bad figure gets a field message; good ones go in.
    form = page.locator("form[action$='/measurements/new/']")
    form.get_by_label("Period").fill("2026-13")
    form.get_by_label(re.compile("Value")).fill("96")
    form.get_by_role("button", name="Record").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    for n, value in enumerate(["96", "95.5", "97", "96.2", "95.8", "88"], start=1):
        page.goto(url)
        form = page.locator("form[action$='/measurements/new/']")
        form.get_by_label("Period").fill(months_back(7 - n))
        form.get_by_label(re.compile("Value")).fill(value)
        form.get_by_role("button", name="Record").click()
        expect(page.locator(".messages .alert-success")).to_contain_text("recorded")

    page.goto(url)
    # The latest figure's status (the targets section lists every status, in words).
    latest = page.get_by_role("region", name="Latest figure")
    expect(latest.locator(".kpi-status")).to_contain_text("Off target")
    chart = page.locator("#spc-h + figure svg")
    expect(chart).to_be_visible()
    points = chart.locator("a")
    assert points.count() == 6
    screenshot(page, "22-kpi-control-chart")
    points.last.click()
    expect(page).to_have_url(re.compile(r"#m-\d+$"))

    # The KPI status page lists it; on a phone too.
    phone = new_page(viewport=PHONE)
    login(phone, app, "quality")
    phone.goto("/kpis/overview/")
    expect(phone.locator("tr").filter(has_text=name)).to_contain_text("Off target")
    screenshot(phone, "23-kpi-overview-phone")
