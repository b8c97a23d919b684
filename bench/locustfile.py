"""A working day in Hoshin for locust: people reading registers, some recording and editing.

Run by ``python -m bench.load`` (which generates the data, serves it, makes the people's
API tokens and reads the samples); by hand::

    HOSHIN_LOAD_CONFIG=/tmp/x/people.json locust -f bench/locustfile.py --headless \
        -H http://127.0.0.1:8200 -u 50 -r 10 -t 120s Person    # or Writer

The config (JSON) holds ``people`` (username, pk, token, ``manager``, and the ids of the
nonconformities they own: ``open`` ones to edit, ``reported`` ones to contain),
``password``, ``schedule`` (``[[seconds, rate], ...]`` from the start: each user paced at
``rate`` tasks a second for that long, as locust's constant_throughput; rate 0: a think
time of 1-5 s) and ``samples`` (where every request's time and error are written as JSON
lines when the run stops, so bench.load computes exact percentiles after the warm-up;
locust's own are rounded).

The day mix, by weight (out of 81, about 9 tasks in 10 read): home, the nonconformity list
plain, filtered, searched and sorted, a nonconformity, the documents and one of them, the
inbox, the API's list, filtered list and one record; writes: a nonconformity reported
through the form (with its CSRF token) and through the API, an edit through the form and
through the API, and the "contain" step of the workflow. People edit and contain only
nonconformities they own (a quality manager also those they report in the run), so no
write is refused by a permission and no two people change one record. Every write checks
its answer: a form shown again (400), a 4xx or a step not taken is a failure.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from typing import Any

from locust import FastHttpUser, constant, events, task

CONFIG: dict[str, Any] = json.loads(
    open(os.environ["HOSHIN_LOAD_CONFIG"]).read()  # noqa: SIM115
)
PEOPLE = itertools.cycle(CONFIG["people"])
SAMPLES: list[tuple[float, str, str, float, str]] = []  # when, method, name, ms, error

NC_ID = re.compile(r'href="/nonconformities/(\d+)/"')
DOC_ID = re.compile(r'href="/documents/(\d+)/"')
SEARCH_WORDS = ["burr", "scratch", "torque", "corrosion", "label", "seal", "casting", "housing"]
FILTERS = [
    "status=actions&severity=major",
    "status=reported",
    "severity=critical",
    "status=investigated&sort=-due_date",
    "status=closed&severity=minor",
]
SORTS = ["-due_date", "reference", "-severity", "title", "-detected_on"]
API_FILTERS = ["status=investigated", "status=actions&severity=major", "severity=critical"]


START = time.time()  # reset when the test starts


@events.test_start.add_listener
def _started(**_kw: Any) -> None:
    global START
    START = time.time()


def scheduled_rate() -> float:
    """Tasks a second per user now, from the config's schedule (its last rate after it)."""
    elapsed = time.time() - START
    for seconds, rate in CONFIG["schedule"]:
        if elapsed < seconds:
            return float(rate)
        elapsed -= seconds
    return float(CONFIG["schedule"][-1][1])


def paced(user: Any) -> float:
    """Wait so that tasks start every 1/rate seconds (think time 1-5 s at rate 0)."""
    rate, now = scheduled_rate(), time.time()
    if not rate:
        user.next_start = now
        return random.uniform(1, 5)
    user.next_start = max(now, getattr(user, "next_start", now) + 1 / rate)
    return user.next_start - now


@events.request.add_listener
def _sample(request_type: str, name: str, response_time: float, exception: Any, **_kw: Any) -> None:
    error = "" if exception is None else str(exception)[:300]
    SAMPLES.append((time.time(), request_type, name, response_time, error))


@events.quitting.add_listener
def _dump(**_kw: Any) -> None:
    with open(CONFIG["samples"], "w") as out:
        out.write(json.dumps({"start": START}) + "\n")
        for when, method, name, ms, error in SAMPLES:
            out.write(json.dumps({"t": when, "m": method, "n": name, "ms": ms, "e": error}) + "\n")


class Forms(HTMLParser):
    """Every form of a page with the values a browser would send as it stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: tuple[str, bool] | None = None  # name, a value already chosen
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
        if not self.forms or "name" not in a:
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        fields = self.forms[-1][1]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = (a["name"], False) if "multiple" not in a else None
            self._first = None
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def _option(self, a: dict[str, str]) -> None:
        assert self._select is not None
        name, chosen = self._select
        if self._first is None:
            self._first = a.get("value", "")
        if "selected" in a and not chosen:
            self.forms[-1][1][name] = a.get("value", "")
            self._select = (name, True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, chosen = self._select
            if not chosen:  # a browser sends the first option
                self.forms[-1][1][name] = self._first or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            self.forms[-1][1][self._textarea] += data

    @classmethod
    def having(cls, html: str, field: str) -> dict[str, str]:
        """The fields of the page's form holding ``field``."""
        parser = cls()
        parser.feed(html)
        for _action, fields in parser.forms:
            if field in fields:
                return fields
        raise LookupError(f"no form with {field!r}")


def report_fields(title: str) -> dict[str, str]:
    """What someone reporting a nonconformity types: the required fields and a severity."""
    return {
        "title": title,
        "description": "Found during the shift; parts set aside, supervisor told.",
        "source": "employee_report",
        "severity": random.choice(["minor", "minor", "major"]),
        "detected_on": datetime.date.today().isoformat(),
    }


class Person(FastHttpUser):
    """One of the generated people, signed in with the browser and holding an API token."""

    wait_time = paced

    def on_start(self) -> None:
        person = next(PEOPLE)
        self.username: str = person["username"]
        self.pk: int = person["pk"]
        self.api = {"Authorization": f"Token {person['token']}", "Accept": "application/json"}
        self.ncs: list[int] = []  # nonconformities seen in the last list
        self.docs: list[int] = []
        self.api_ids: list[int] = []
        # Their own records (see bench.load): reported ones to contain, open ones to edit;
        # a quality manager also handles what they report here (others leave it to its owner).
        self.manager: bool = person["manager"]
        self.mine: list[int] = list(person["reported"])
        self.editable: list[int] = list(person["open"])
        self.login()
        self.nc_list()
        self.api_list()
        self.doc_list()

    # --- helpers --------------------------------------------------------------------
    def login(self) -> None:
        page = self.client.get("/login/", name="login form")
        token = Forms.having(page.text or "", "csrfmiddlewaretoken")["csrfmiddlewaretoken"]
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": CONFIG["password"],
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 302:
                resp.failure(f"login of {self.username}: {resp.status_code}")

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}")
            return resp.text or ""

    def post_form(self, path: str, data: dict[str, str], name: str, expect: str) -> int | None:
        """POST a form as a browser does; the answer must redirect to ``expect`` (a regex);
        returns the id in it, if any."""
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as resp:
            where = resp.headers.get("Location", "") if resp.headers else ""
            found = re.search(expect, where)
            if resp.status_code != 302 or not found:
                resp.failure(f"{resp.status_code} {where or (resp.text or '')[:200]}")
                return None
            return int(found.group(1)) if found.groups() else 0

    # --- reading ----------------------------------------------------------------------
    @task(8)
    def home(self) -> None:
        self.page("/", "home")

    @task(10)
    def nc_list(self) -> None:
        ids = NC_ID.findall(self.page("/nonconformities/", "nc list"))
        self.ncs = [int(i) for i in ids] or self.ncs

    @task(5)
    def nc_list_filtered(self) -> None:
        self.page(f"/nonconformities/?{random.choice(FILTERS)}", "nc list filtered")

    @task(4)
    def nc_search(self) -> None:
        self.page(f"/nonconformities/?q={random.choice(SEARCH_WORDS)}", "nc list searched")

    @task(3)
    def nc_list_sorted(self) -> None:
        page = random.choice(["", "&page=2", "&page=5"])
        self.page(f"/nonconformities/?sort={random.choice(SORTS)}{page}", "nc list sorted")

    @task(14)
    def nc_detail(self) -> None:
        if self.ncs:
            self.page(f"/nonconformities/{random.choice(self.ncs)}/", "nc detail")

    @task(4)
    def doc_list(self) -> None:
        ids = DOC_ID.findall(self.page("/documents/", "document list"))
        self.docs = [int(i) for i in ids] or self.docs

    @task(4)
    def doc_detail(self) -> None:
        if self.docs:
            self.page(f"/documents/{random.choice(self.docs)}/", "document detail")

    @task(5)
    def inbox(self) -> None:
        self.page("/inbox/", "inbox")

    @task(6)
    def api_list(self) -> None:
        with self.client.get(
            "/api/nonconformities/", headers=self.api, name="api list", catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}")
                return
            self.api_ids = [row["id"] for row in resp.json()["results"]] or self.api_ids

    @task(3)
    def api_list_filtered(self) -> None:
        self.client.get(
            f"/api/nonconformities/?page_size=20&{random.choice(API_FILTERS)}",
            headers=self.api,
            name="api list filtered",
        )

    @task(6)
    def api_detail(self) -> None:
        if self.api_ids:
            self.client.get(
                f"/api/nonconformities/{random.choice(self.api_ids)}/",
                headers=self.api,
                name="api detail",
            )

    # --- writing ----------------------------------------------------------------------
    @task(2)
    def create_form(self) -> None:
        form = Forms.having(self.page("/nonconformities/new/", "nc create form"), "title")
        form.update(report_fields(f"Load test: burr on housing ({self.username})"))
        pk = self.post_form(
            "/nonconformities/new/", form, "nc create (form POST)", r"/nonconformities/(\d+)/$"
        )
        if pk:
            self.reported(pk)
            self.page(f"/nonconformities/{pk}/", "nc detail")

    @task(2)
    def create_api(self) -> None:
        with self.client.post(
            "/api/nonconformities/",
            json=report_fields(f"Load test: seal leaking ({self.username})"),
            headers=self.api,
            name="api create",
            catch_response=True,
        ) as resp:
            if resp.status_code != 201:
                resp.failure(f"{resp.status_code} {(resp.text or '')[:200]}")
                return
            self.reported(resp.json()["id"])

    def reported(self, pk: int) -> None:
        if self.manager:
            self.mine.append(pk)
            self.editable.append(pk)

    @task(2)
    def edit_form(self) -> None:
        if not self.editable:
            return
        pk = random.choice(self.editable)
        form = Forms.having(self.page(f"/nonconformities/{pk}/edit/", "nc edit form"), "title")
        form["description"] = form["description"].strip() + " Checked again."
        form["reason"] = "Description completed"
        self.post_form(
            f"/nonconformities/{pk}/edit/", form, "nc edit (form POST)", rf"/nonconformities/{pk}/$"
        )

    @task(1)
    def edit_api(self) -> None:
        if not self.editable:
            return
        pk = random.choice(self.editable)
        record = self.client.get(
            f"/api/nonconformities/{pk}/", headers=self.api, name="api detail"
        ).json()
        with self.client.patch(
            f"/api/nonconformities/{pk}/",
            json={"lot_ref": f"L-{random.randint(1000, 9999)}", "version": record["version"]},
            headers=self.api,
            name="api update",
            catch_response=True,
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code} {(resp.text or '')[:200]}")

    @task(2)
    def contain(self) -> None:
        """Open one's own reported nonconformity and record its containment (a step)."""
        if not self.mine:
            return
        pk = self.mine.pop(0)
        detail = self.page(f"/nonconformities/{pk}/", "nc detail")
        step = next(
            fields
            for _action, fields in self._forms(detail)
            if fields.get("transition") == "contain"
        )
        step.update(
            {
                "contain-containment_action": "Lot quarantined and labelled.",
                "contain-containment_by": str(self.pk),
                "contain-containment_on": datetime.date.today().isoformat(),
            }
        )
        if (
            self.post_form(
                f"/nonconformities/{pk}/transition/", step, "nc transition (contain)", rf"/{pk}/$"
            )
            is None
        ):
            return
        # The step redirects to the record whether or not it was taken: read the record.
        with self.client.get(
            f"/nonconformities/{pk}/", name="nc detail (after the step)", catch_response=True
        ) as resp:
            if resp.status_code != 200 or 'value="contain"' in (resp.text or ""):
                resp.failure(f"{resp.status_code}: the step was not taken on {pk}")

    @staticmethod
    def _forms(html: str) -> list[tuple[str, dict[str, str]]]:
        parser = Forms()
        parser.feed(html)
        return parser.forms


class Writer(FastHttpUser):
    """Only reports nonconformities through the API, one after another (the writers' test)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        person = next(PEOPLE)
        self.username = person["username"]
        self.api = {"Authorization": f"Token {person['token']}", "Accept": "application/json"}

    @task
    def create_api(self) -> None:
        with self.client.post(
            "/api/nonconformities/",
            json=report_fields(f"Load test: seal leaking ({self.username})"),
            headers=self.api,
            name="api create",
            catch_response=True,
        ) as resp:
            if resp.status_code != 201:
                resp.failure(f"{resp.status_code} {(resp.text or '')[:200]}")
