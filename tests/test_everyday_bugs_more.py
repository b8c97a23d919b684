"""More of the bugs found when Hoshin was tried as a new user would (issue 10, "Bugs to fix",
8 to 12; tests/test_everyday_bugs.py holds the others).

Each test states the behaviour wanted and failed before its fix. The contrast ones compute
the ratios of the colours the style sheets set, as a browser would cascade them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hoshin.context.models import Process
from hoshin.core import roles
from hoshin.core.models import SignOff, User
from hoshin.core.workflow import TransitionError
from hoshin.improvement.models import Nonconformity
from hoshin.planning import periods
from hoshin.planning.models import Kpi, Measurement, Risk
from hoshin.support import versions
from hoshin.support.models import Document, VersionStatus
from tests.conftest import approve, make_user
from tests.factories import KpiFactory, months_ago


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 8. A risk raised from a nonconformity: asked first, by those who may ------------------
@pytest.fixture
def nc_in_process(make_nc: Callable[..., Nonconformity], process: Process, employee: User) -> Any:
    """A nonconformity of the owner's process, owned by an employee (who therefore sees it)."""
    return make_nc(process=process, owner=employee)


def test_raising_a_risk_from_a_nonconformity_asks_first_without_javascript(
    nc_in_process: Nonconformity, owner: User
) -> None:
    client = signed_in(owner)
    url = reverse("nc_raise_risk", args=[nc_in_process.pk])
    section = client.get(reverse("nonconformities_detail", args=[nc_in_process.pk]))
    # The page offers a plain link to the question, not a button that creates at once.
    assert f'href="{url}"' in section.content.decode()
    question = client.get(url)
    assert question.status_code == 200
    html = question.content.decode()
    assert nc_in_process.reference in html and nc_in_process.title in html
    assert 'name="confirm"' in html and f'action="{url}"' in html
    assert client.post(url).status_code == 200, "an unconfirmed post asks again"
    assert not Risk.objects.exists()
    created = client.post(url, {"confirm": "yes"})
    risk = Risk.objects.get()
    assert created["Location"] == reverse("risks_detail", args=[risk.pk])
    assert risk.process == nc_in_process.process
    assert list(risk.nonconformities.all()) == [nc_in_process]


@pytest.mark.parametrize("who", ["employee", "another process owner"])
def test_only_the_process_owner_and_quality_managers_raise_a_risk_from_a_nonconformity(
    nc_in_process: Nonconformity, employee: User, who: str
) -> None:
    person = employee if who == "employee" else make_user("paula", roles.PROCESS_OWNER)
    client = signed_in(person)
    client.raise_request_exception = False
    url = reverse("nc_raise_risk", args=[nc_in_process.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert not Risk.objects.exists()
    page = client.get(reverse("nonconformities_detail", args=[nc_in_process.pk]))
    assert page.status_code == 200 and f'href="{url}"' not in page.content.decode()


def test_a_nonconformity_of_no_process_raises_a_risk_only_by_a_quality_manager(
    make_nc: Callable[..., Nonconformity], owner: User, quality: User
) -> None:
    nc = make_nc()
    url = reverse("nc_raise_risk", args=[nc.pk])
    assert signed_in(owner).post(url, {"confirm": "yes"}).status_code == 403
    assert not Risk.objects.exists()
    assert signed_in(quality).post(url, {"confirm": "yes"}).status_code == 302
    assert Risk.objects.get().nonconformities.get() == nc


# --- 9. A version that changes nothing is not sent for approval ------------------------------
def test_a_version_identical_to_the_one_in_force_is_refused_with_no_changes(
    make_doc: Callable[..., Document], quality: User, reviewer: User, approver: User
) -> None:
    doc = make_doc(body="# Purpose\n\nSay what we do.")
    approve(doc, quality, reviewer, approver)
    # The same text, as a browser posts it back (CRLF line endings, a trailing newline).
    copy = versions.start(
        doc, quality, change_reason="Periodic update", body="# Purpose\r\n\r\nSay what we do.\r\n"
    )
    with pytest.raises(TransitionError) as refused:
        versions.submit(
            copy, quality, reviewers=[], approvers=[approver], in_order=False, effective_on=None
        )
    assert "No changes" in str(refused.value)
    copy.refresh_from_db()
    assert copy.status == VersionStatus.DRAFT
    assert not SignOff.objects.filter(object_id=copy.pk, content_type=copy.content_type()).exists()


def test_the_web_page_says_no_changes_and_sends_nothing(
    make_doc: Callable[..., Document], quality: User, reviewer: User, approver: User
) -> None:
    doc = make_doc()
    approve(doc, quality, reviewer, approver)
    copy = versions.start(doc, quality, change_reason="Nothing really")
    response = signed_in(quality).post(
        reverse("document_version_submit", args=[doc.pk, copy.number]),
        {"reviewers": [], "approvers": [approver.pk]},
    )
    assert response.status_code == 400
    assert "No changes: the text and the file are those of version 1" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == VersionStatus.DRAFT


def test_a_version_that_changes_the_text_is_sent_for_approval(
    make_doc: Callable[..., Document], quality: User, reviewer: User, approver: User
) -> None:
    doc = make_doc(body="# Purpose\n\nSay what we do.")
    approve(doc, quality, reviewer, approver)
    changed = versions.start(doc, quality, change_reason="Scope", body="# Purpose\n\nSay more.")
    versions.submit(
        changed, quality, reviewers=[], approvers=[approver], in_order=False, effective_on=None
    )
    changed.refresh_from_db()
    assert changed.status == VersionStatus.IN_REVIEW


# --- 10. The KPI import applies the file it checked; its counts read well -------------------
def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("figures.csv", text.encode(), "text/csv")


def _one_row(kpi: Kpi, value: str = "96") -> str:
    return f"kpi,period,value\n{kpi.reference},{periods.label(months_ago(1), 'monthly')},{value}\n"


def test_import_applies_the_checked_file_without_a_second_upload(owner: User) -> None:
    kpi = KpiFactory(owner=owner)
    client = signed_in(owner)
    checked = client.post(reverse("kpis_import"), {"file": _csv(_one_row(kpi)), "dry_run": "on"})
    assert checked.status_code == 200 and not Measurement.objects.exists()
    html = checked.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token, "the checked file is offered for import at once"
    assert "Import this figure" in html
    done = client.post(reverse("kpis_import"), {"token": token.group(1)})
    assert done.status_code == 200
    assert kpi.measurements.get().value == Decimal(96)
    assert "1 figure imported." in done.content.decode()
    again = client.post(reverse("kpis_import"), {"token": token.group(1)})
    assert again.status_code == 409, "the kept rows are applied once"
    assert kpi.measurements.count() == 1


def test_the_checked_file_is_kept_for_its_checker_only(owner: User, quality: User) -> None:
    kpi = KpiFactory(owner=owner)
    checked = signed_in(owner).post(
        reverse("kpis_import"), {"file": _csv(_one_row(kpi)), "dry_run": "on"}
    )
    token = re.search(r'name="token" value="([^"]+)"', checked.content.decode())
    assert token
    other = signed_in(quality).post(reverse("kpis_import"), {"token": token.group(1)})
    assert other.status_code == 409
    assert "upload it again" in other.content.decode()
    assert not Measurement.objects.exists()


def test_import_counts_say_one_row_and_one_problem_in_the_singular(owner: User) -> None:
    kpi = KpiFactory(owner=owner)
    client = signed_in(owner)
    fine = client.post(
        reverse("kpis_import"), {"file": _csv(_one_row(kpi)), "dry_run": "on"}
    ).content.decode()
    assert "All 1 rows" not in fine and "The row is fine" in fine
    wrong = client.post(
        reverse("kpis_import"), {"file": _csv(_one_row(kpi, "abc")), "dry_run": "on"}
    ).content.decode()
    assert "1 problems" not in wrong and "Nothing was imported: 1 problem, listed" in wrong


# --- 11. Search passages and the master list's order ----------------------------------------
FILLER = " ".join(f"word{i}" for i in range(80))


def _passages(html: str) -> list[str]:
    return re.findall(r'<div class="small search-passage">(.*?)</div>', html, re.S)


def test_a_search_passage_shows_one_ellipsis_where_the_text_is_cut_and_none_elsewhere(
    make_doc: Callable[..., Document], quality: User
) -> None:
    make_doc(title="Torque settings", body=f"{FILLER} spindle torque check {FILLER}")
    make_doc(title="Gauges", body="Calibrate every gauge yearly.")
    client = signed_in(quality)
    (middle,) = _passages(client.get(reverse("documents_search"), {"q": "spindle"}).text)
    assert "<mark>spindle</mark>" in middle
    assert middle.startswith("…") and middle.endswith("…"), middle
    assert middle.count("…") == 2, middle
    (whole,) = _passages(client.get(reverse("documents_search"), {"q": "calibrate"}).text)
    assert "…" not in whole, whole


def test_highlight_never_shows_two_ellipses_in_a_row() -> None:
    from hoshin.core.search import MARK_END, MARK_START, highlight

    html = str(highlight(f"… as said before … {MARK_START}torque{MARK_END} set… …"))
    assert "… …" not in html and "……" not in html
    assert html == "… as said before … <mark>torque</mark> set…"


def test_the_master_list_is_ordered_by_number_unless_asked_otherwise(
    make_doc: Callable[..., Document], quality: User
) -> None:
    made = [make_doc("WI", title="Deburring"), make_doc("QP", title="Control of documents")]
    made.append(make_doc("QP", title="Internal audits"))
    by_number = sorted(d.reference for d in made)
    assert by_number != [d.reference for d in reversed(made)], "newest first would differ"
    client = signed_in(quality)
    listed = client.get(reverse("documents_list")).context["page"].object_list
    assert [d.reference for d in listed] == by_number
    newest = client.get(reverse("documents_list"), {"sort": "-reference"}).context["page"]
    assert [d.reference for d in newest.object_list] == by_number[::-1]


# --- 12. Contrast of outline buttons and red text; the API link -----------------------------
STATIC = Path(__file__).resolve().parent.parent / "hoshin" / "static"
Colour = tuple[float, float, float]


def _without_media_blocks(css: str) -> str:
    """The style sheet without its @media blocks (print, small screens, reduced motion):
    what a laptop's screen applies."""
    out, i = [], 0
    while (start := css.find("@media", i)) != -1:
        out.append(css[i:start])
        depth, j = 0, css.index("{", start)
        while True:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(css[i:])
    return "".join(out)


def _cascade() -> dict[str, dict[str, str]]:
    """Each selector's declarations as the page loads them: Bootstrap, then hoshin.css
    (a later declaration of the same selector wins)."""
    rules: dict[str, dict[str, str]] = {}
    for name in ("vendor/bootstrap.min.css", "hoshin.css"):
        css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", _without_media_blocks(css)):
            declarations = dict(
                (p.strip(), v.replace("!important", "").strip())
                for p, _, v in (d.partition(":") for d in body.split(";"))
                if v.strip()
            )
            for selector in selectors.split(","):
                rules.setdefault(selector.strip(), {}).update(declarations)
    return rules


def _value(rules: dict[str, dict[str, str]], selector: str, prop: str) -> str:
    """``prop`` of ``selector`` with every var() resolved (from the rule, then :root)."""
    scope = {**rules[":root"], **rules.get(selector, {})}
    value = scope[prop]
    while "var(" in value:
        value = re.sub(r"var\((--[\w-]+)(?:,[^()]*)?\)", lambda m: scope[m.group(1)], value)
    return value


def _colour(value: str) -> Colour:
    value = value.strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    assert len(numbers) == 3 or numbers[3] == 1, f"{value}: opaque colours only"
    return (numbers[0] / 255, numbers[1] / 255, numbers[2] / 255)


def _contrast(a: Colour, b: Colour) -> float:
    def luminance(c: Colour) -> float:
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def css() -> dict[str, dict[str, str]]:
    return _cascade()


def _pages(css: dict[str, dict[str, str]]) -> dict[str, Colour]:
    """The backgrounds text sits on: the page's grey, cards and tables."""
    return {
        "page": _colour(_value(css, "body", "background")),
        "card": _colour(_value(css, ":root", "--hoshin-surface")),
        "table header": _colour(_value(css, ".table > thead > tr > th", "background")),
    }


@pytest.mark.parametrize(
    "button", [".btn-outline-primary", ".btn-outline-secondary", ".btn-outline-danger"]
)
def test_outline_buttons_read_at_4_5_to_1_at_rest_on_every_background_hovered_and_pressed(
    css: dict[str, dict[str, str]], button: str
) -> None:
    text = _colour(_value(css, button, "--bs-btn-color"))
    for where, background in _pages(css).items():
        ratio = _contrast(text, background)
        assert ratio >= 4.5, f"{button} on the {where}: {ratio:.2f}:1"
    for state in ("hover", "active"):
        fg = _colour(_value(css, button, f"--bs-btn-{state}-color"))
        bg = _colour(_value(css, button, f"--bs-btn-{state}-bg"))
        assert _contrast(fg, bg) >= 4.5, f"{button} {state}: {_contrast(fg, bg):.2f}:1"


def test_the_outline_light_button_reads_on_the_navigation_bar(
    css: dict[str, dict[str, str]],
) -> None:
    navy = _colour(_value(css, ".bg-hoshin", "background-color"))
    text = _colour(_value(css, ".btn-outline-light", "--bs-btn-color"))
    assert _contrast(text, navy) >= 4.5


@pytest.mark.parametrize("red", [".text-danger", ".table .overdue"])
def test_red_overdue_text_reads_at_4_5_to_1_on_every_background(
    css: dict[str, dict[str, str]], red: str
) -> None:
    text = _colour(_value(css, red, "color"))
    for where, background in _pages(css).items():
        ratio = _contrast(text, background)
        assert ratio >= 4.5, f"{red} on the {where}: {ratio:.2f}:1"


def test_green_text_reads_at_4_5_to_1_on_every_background(css: dict[str, dict[str, str]]) -> None:
    text = _colour(_value(css, ".text-success", "color"))
    for where, background in _pages(css).items():
        ratio = _contrast(text, background)
        assert ratio >= 4.5, f".text-success on the {where}: {ratio:.2f}:1"


@pytest.mark.parametrize(
    ("who", "shown"),
    [("employee", False), ("ceo", False), ("extaudit", False), ("quality", True), ("owner", True)],
)
def test_the_api_link_is_shown_only_to_roles_that_use_it(
    who: str, shown: bool, request: pytest.FixtureRequest
) -> None:
    page = signed_in(request.getfixturevalue(who)).get(reverse("home"))
    assert page.status_code == 200
    assert ('href="/api/docs/"' in page.content.decode()) is shown


def test_the_sign_in_page_does_not_show_the_api_link(client: Client) -> None:
    assert 'href="/api/docs/"' not in client.get(reverse("login")).content.decode()
