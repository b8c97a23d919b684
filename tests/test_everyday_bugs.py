"""The bugs found when Hoshin was tried as a new user would (issue 10, "Bugs to fix").

Each test states the behaviour wanted and failed before its fix. The visual ones assert the
computed geometry or contrast rather than a picture.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from hoshin.core import roles, signoff
from hoshin.core.charts import state_chart
from hoshin.core.models import User
from hoshin.core.workflow import TransitionError, Workflow
from hoshin.improvement.workflow import WORKFLOW as NC_WORKFLOW
from hoshin.planning.models import Kpi
from hoshin.planning.workflow import OBJECTIVE_WORKFLOW, RISK_WORKFLOW
from hoshin.support import versions
from hoshin.support.models import Document
from hoshin.support.workflow import WORKFLOW as DOCUMENT_WORKFLOW
from tests.conftest import PASSWORD, approve, make_user, working
from tests.factories import KpiFactory, ObjectiveFactory

Box = tuple[float, float, float, float]  # left, top, right, bottom

# 11px sans-serif: a character advances about 0.6 em at most on average (DejaVu Sans, the
# widest of the usual system fonts, averages about 0.55 em on these labels).
EDGE_FONT_PX = 11.0
CHAR_EM = 0.6


def _intersect(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _chart_geometry(workflow: Workflow) -> tuple[Box, list[tuple[str, Box]], list[Box]]:
    svg = str(state_chart(workflow, None))
    view = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]  # type: ignore[union-attr]
    labels = []
    for x, y, anchor, text in re.findall(
        r'<text class="edge-label" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]*)</text>',
        svg,
    ):
        w = len(text) * EDGE_FONT_PX * CHAR_EM
        left = float(x) - w / 2 if anchor == "middle" else float(x)
        # The glyphs sit on the baseline: ascenders reach about 0.8 em above it, descenders
        # 0.2 em below.
        box = (left, float(y) - 0.8 * EDGE_FONT_PX, left + w, float(y) + 0.2 * EDGE_FONT_PX)
        labels.append((text, box))
    nodes = [
        (float(x), float(y), float(x) + float(w), float(y) + float(h))
        for x, y, w, h in re.findall(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="8"/>', svg
        )
    ]
    return (view[0], view[1], view[0] + view[2], view[1] + view[3]), labels, nodes


# --- 7. State charts: every label reads -------------------------------------------------
@pytest.mark.parametrize(
    "workflow",
    [RISK_WORKFLOW, OBJECTIVE_WORKFLOW, NC_WORKFLOW, DOCUMENT_WORKFLOW],
    ids=["risk", "objective", "nonconformity", "document"],
)
def test_state_chart_labels_do_not_overlap_each_other_or_the_states(workflow: Workflow) -> None:
    view, labels, nodes = _chart_geometry(workflow)
    assert labels, "the chart names the steps that skip ahead or go back"
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not _intersect(box_a, box_b), f"“{a}” overlaps “{b}”"
    for text, box in labels:
        assert view[0] <= box[0] and box[2] <= view[2], f"“{text}” runs off the chart"
        assert view[1] <= box[1] and box[3] <= view[3], f"“{text}” is cut off below"
        assert not any(_intersect(box, node) for node in nodes), f"“{text}” covers a state"


def test_state_chart_names_every_step_that_skips_or_goes_back_once() -> None:
    _view, labels, _nodes = _chart_geometry(RISK_WORKFLOW)
    texts = [t for t, _box in labels]
    assert len(texts) == len(set(texts)), "one label per step, however many states it leaves"
    order = [n["name"] for n in RISK_WORKFLOW.chart()["nodes"]]
    expected = {
        str(t.label)
        for t in RISK_WORKFLOW.transitions
        for s in t.sources
        if s in order and t.target in order and order.index(t.target) != order.index(s) + 1
    }
    assert set(texts) == expected


# --- 2. /admin/ for people who may not administer ------------------------------------
@pytest.mark.parametrize("who", ["ceo", "employee", "extaudit"])
def test_admin_refuses_signed_in_people_who_may_not_administer_without_a_redirect_loop(
    client: Client, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1, response.redirect_chain
    assert "Administration is for quality managers." in response.content.decode()


def test_admin_still_sends_people_not_signed_in_to_the_sign_in_page(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/login/?next=")


def test_admin_opens_for_the_quality_manager(client: Client, quality: User) -> None:
    client.force_login(quality)
    assert client.get("/admin/").status_code == 200


# --- 1. A route is signed in the order chosen ---------------------------------------------
class _Selects(HTMLParser):
    """The <select>s of a page in page order: name, whether several may be chosen, options."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: list[tuple[str, bool, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self.selects.append((found.get("name") or "", "multiple" in found, []))
        elif tag == "option" and self.selects:
            self.selects[-1][2].append(found.get("value") or "")


def _pick_as_a_browser(page: str, name: str, people: list[User]) -> list[str]:
    """What a browser posts under ``name`` when ``people`` are picked one after another:
    a list box sends its chosen options in the list's order; separate pickers, filled
    from the first, are sent in the order of the page."""
    parser = _Selects()
    parser.feed(page)
    wanted = [str(p.pk) for p in people]
    sent: list[str] = []
    pickers = [(multiple, options) for n, multiple, options in parser.selects if n == name]
    assert pickers, f"the form offers no picker for {name}"
    for multiple, options in pickers:
        if multiple:
            sent += [v for v in options if v in wanted]
            wanted = []
        elif wanted:
            assert wanted[0] in options, f"{wanted[0]} is not offered"
            sent.append(wanted.pop(0))
    assert not wanted, f"no position left for {wanted}"
    return sent


def test_a_route_is_signed_in_the_order_the_people_were_chosen_on_the_form(
    make_doc: Callable[..., Document], quality: User, ceo: User
) -> None:
    zoe = make_user("zoe", roles.PROCESS_OWNER, first_name="Zoe", last_name="Zimmer")
    adam = make_user("adam", roles.PROCESS_OWNER, first_name="Adam", last_name="Abbott")
    doc = make_doc()
    client = Client()
    client.force_login(quality)
    page = client.get(reverse("document_version", args=[doc.pk, 1])).content.decode()
    # Zoe first, then Adam: the alphabet would put Adam first.
    response = client.post(
        reverse("document_version_submit", args=[doc.pk, 1]),
        {
            "reviewers": _pick_as_a_browser(page, "reviewers", [zoe, adam]),
            "approvers": _pick_as_a_browser(page, "approvers", [ceo]),
            "in_order": "on",
        },
    )
    assert response.status_code == 302
    route = signoff.route(working(doc))
    assert [(s.signer, s.position) for s in route] == [(zoe, 1), (adam, 2), (ceo, 3)]
    assert signoff.whose_turn(route) == [route[0]]
    with pytest.raises(TransitionError):
        versions.sign(working(doc), adam, password=PASSWORD)


def test_a_refused_route_comes_back_with_the_people_in_the_order_chosen(
    make_doc: Callable[..., Document], quality: User
) -> None:
    zoe = make_user("zoe", roles.PROCESS_OWNER, first_name="Zoe", last_name="Zimmer")
    adam = make_user("adam", roles.PROCESS_OWNER, first_name="Adam", last_name="Abbott")
    doc = make_doc()
    client = Client()
    client.force_login(quality)
    response = client.post(  # no approver: refused, the form shown again
        reverse("document_version_submit", args=[doc.pk, 1]),
        {"reviewers": [zoe.pk, adam.pk], "in_order": "on"},
    )
    assert response.status_code == 400
    chosen = re.findall(
        r'<select name="reviewers"[^>]*>.*?<option value="(\d*)"[^>]*selected',
        response.content.decode(),
        re.S,
    )
    assert chosen[:2] == [str(zoe.pk), str(adam.pk)]


# --- 3. A document is offered only the steps of its kind -----------------------------------
@pytest.mark.parametrize(
    ("prefix", "offered", "not_offered"),
    [("QP", "Make obsolete", "Close the record"), ("REC", "Close the record", None)],
    ids=["procedure", "record"],
)
def test_a_document_in_force_is_offered_only_the_steps_that_fit_its_kind(
    make_doc: Callable[..., Document],
    quality: User,
    reviewer: User,
    approver: User,
    prefix: str,
    offered: str,
    not_offered: str | None,
) -> None:
    doc = make_doc(prefix)
    approve(doc, quality, reviewer, approver)
    doc.refresh_from_db()
    client = Client()
    client.force_login(quality)
    page = client.get(reverse("documents_detail", args=[doc.pk])).content.decode()
    buttons = [s.strip() for s in re.findall(r'<summary class="btn btn-[\w-]+">([^<✍]+)', page)]
    assert offered in buttons
    if not_offered:
        assert not_offered not in buttons
        assert (
            "close" not in client.get(f"/api/documents/{doc.pk}/").json()["available_transitions"]
        )
        with pytest.raises(TransitionError, match="Only records are closed"):
            DOCUMENT_WORKFLOW.perform(doc, "close", quality)


# --- 4. The home page says what is awaited, not what a signature would attest ---------------
def test_the_home_page_says_a_signature_awaited_is_to_approve_not_approved(
    make_doc: Callable[..., Document], quality: User, reviewer: User, ceo: User
) -> None:
    doc = make_doc(title="Control of documents")
    versions.submit(
        working(doc),
        quality,
        reviewers=[reviewer],
        approvers=[ceo],
        in_order=False,
        effective_on=None,
    )
    versions.sign(working(doc), reviewer, password=PASSWORD)  # the approver's turn
    client = Client()
    client.force_login(ceo)
    page = client.get(reverse("home")).content.decode()
    waiting = re.search(r'aria-labelledby="approvals-h".*?</section>', page, re.S)
    assert waiting is not None
    item = re.search(r"<li[^>]*>.*?Control of documents.*?</li>", waiting.group(0), re.S)
    assert item is not None, "the version waits for the approver's signature"
    assert "to approve" in item.group(0)
    assert "Approved" not in item.group(0)


# --- 5. KPI numbers as entered, to the KPI's decimals ---------------------------------------
@pytest.fixture
def scrap_kpi(quality: User) -> Kpi:
    """Lower is better, shown to one decimal; the off-target line entered with two."""
    return KpiFactory(
        owner=quality,
        title="Scrap rate",
        direction="lower",
        target=Decimal("2"),
        amber=Decimal("3"),
        red=Decimal("4.25"),
        decimals=1,
        figures=[Decimal("2.5")],
    )


def _field(page: str, label: str) -> str:
    found = re.search(rf"<dt[^>]*>{label}</dt>\s*<dd[^>]*>([^<]*)</dd>", page)
    assert found is not None, f"no “{label}” on the page"
    return found.group(1).strip()


def test_kpi_targets_read_as_entered_to_the_kpis_decimals_on_its_pages_and_lists(
    client: Client, quality: User, scrap_kpi: Kpi
) -> None:
    client.force_login(quality)
    objective = ObjectiveFactory(owner=quality, kpis=[scrap_kpi])
    kpi_page = client.get(reverse("kpis_detail", args=[scrap_kpi.pk])).content.decode()
    assert _field(kpi_page, "Target") == "2.0"
    assert _field(kpi_page, "Off target beyond") == "4.25"  # entered with two decimals
    assert "Target 2.0 %" in kpi_page
    listed = client.get(reverse("kpis_list")).content.decode()
    assert re.search(r'data-label="Target">\s*2\.0\s*<', listed), "the list shows 2.0"
    on_objective = client.get(reverse("objectives_detail", args=[objective.pk])).content.decode()
    assert '<td class="text-end">2.0 %</td>' in on_objective
    edit = client.get(reverse("kpis_edit", args=[scrap_kpi.pk])).content.decode()
    assert re.search(r'name="target" value="2"', edit)
    assert re.search(r'name="red" value="4.25"', edit)
    for page in (kpi_page, listed, on_objective, edit):
        assert "2.000000" not in page and "4.250000" not in page


def test_kpi_exports_give_targets_as_entered_to_the_kpis_decimals(
    client: Client, quality: User, scrap_kpi: Kpi
) -> None:
    client.force_login(quality)
    response = client.get(reverse("kpis_export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["Target"], r["Off target beyond"]) for r in rows] == [("2.0", "4.25")]


# --- 6. A KPI's status and its wording follow one rule -------------------------------------
@pytest.fixture
def grr_kpi(quality: User) -> Kpi:
    """As OBJ-2026-0007's %GRR in the demo: lower is better, target 10, lines at 20 and 30."""
    return KpiFactory(
        owner=quality,
        title="CMM measurement system capability (%GRR)",
        direction="lower",
        target=Decimal(10),
        amber=Decimal(20),
        red=Decimal(30),
        decimals=1,
        figures=[Decimal("12.1")],
    )


def test_a_kpi_says_its_status_in_the_words_of_the_rule_that_gives_it(grr_kpi: Kpi) -> None:
    zones = [(z.status, z.values) for z in grr_kpi.zone_texts()]
    assert zones == [
        ("on_target", "10.0 % or less"),
        ("at_risk", "above 10.0 %, up to 30.0 %"),
        ("off_target", "above 30.0 %"),
    ]
    figures = ["9", "10", "12.1", "20", "25", "30", "30.1"]
    assert [grr_kpi.status_of(Decimal(v)) for v in figures] == [
        "on_target",
        "on_target",
        "at_risk",
        "at_risk",
        "at_risk",
        "at_risk",
        "off_target",
    ]


def test_a_kpi_at_risk_is_not_said_to_be_at_risk_only_beyond_another_line(
    client: Client, quality: User, grr_kpi: Kpi
) -> None:
    client.force_login(quality)
    objective = ObjectiveFactory(owner=quality, kpis=[grr_kpi])
    pages = [
        client.get(reverse("kpis_detail", args=[grr_kpi.pk])).content.decode(),
        client.get(reverse("objectives_detail", args=[objective.pk])).content.decode(),
    ]
    for page in pages:
        assert "at risk beyond" not in page.lower()
        assert re.search(r"▲ At risk</span>\s*<span[^>]*>above 10\.0 %, up to 30\.0 %</span>", page)
