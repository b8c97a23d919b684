"""The demo organisation: a believable mid-sized manufacturer to look around in.

``hoshin demo`` builds it from a fixed random seed: the organisation, its sites,
departments and people (the six demo users among them), its processes, and then the
records each app adds through its own loader (see ``LOADERS`` in the command). Every
record is written through the models, the workflow and the trail, exactly as people
would write them, attributed to the person who would have done it.
"""

# The demo text is written as people write: en dashes, multiplication signs.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
import hmac
import random
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from hoshin.core import roles
from hoshin.core.models import Department, ExchangeRate, Organisation, Site, User

if TYPE_CHECKING:
    from hoshin.context.models import Process

ORGANISATION = "Kestrel Precision Components Ltd"
BASE_CURRENCY = "EUR"
SEED = 9001

# The six demo users, one per role; everyone in the demo shares their password.
DEMO_USERS = ("ceo", "quality", "owner", "auditor", "employee", "extaudit")
EXTERNAL_ACCESS_DAYS = 30

# 1 unit of the currency in EUR, from the oldest kept rate (a year ago) to today's.
RATES: dict[str, tuple[str, ...]] = {
    "USD": ("0.9185", "0.9032", "0.8871", "0.8694", "0.8612"),
    "GBP": ("1.1842", "1.1905", "1.1768", "1.1650", "1.1417"),
    "INR": ("0.01098", "0.01079", "0.01052", "0.01011", "0.00978"),
    "AED": ("0.2501", "0.2459", "0.2415", "0.2367", "0.2345"),
    "SAR": ("0.2449", "0.2408", "0.2365", "0.2318", "0.2296"),
}

SITES = [
    ("GAL", "Galway – main plant", "Unit 4, Parkmore West Business Park, Galway, Ireland"),
    ("LIM", "Limerick – assembly and test", "Building 12, Raheen Business Park, Limerick, Ireland"),
    ("PUN", "Pune – sourcing office", "3rd floor, Baner Business Centre, Pune 411045, India"),
]

DEPARTMENTS = [
    ("Management", "GAL"),
    ("Quality", "GAL"),
    ("Sales and customer service", "GAL"),
    ("Engineering", "GAL"),
    ("Machining", "GAL"),
    ("Maintenance and calibration", "GAL"),
    ("Human resources", "GAL"),
    ("Assembly and test", "LIM"),
    ("Supply chain", "LIM"),
    ("Sourcing", "PUN"),
]

R = roles
# username, first name, last name, job title, department (None: external), site, roles
PEOPLE: list[tuple[str, str, str, str, str | None, str | None, tuple[str, ...]]] = [
    (
        "ceo",
        "Aoife",
        "Brennan",
        "Chief Executive Officer",
        "Management",
        "GAL",
        (R.TOP_MANAGEMENT,),
    ),
    ("quality", "Marek", "Nowak", "Quality Manager", "Quality", "GAL", (R.QUALITY_MANAGER,)),
    ("owner", "Ciarán", "Doyle", "Operations Manager", "Machining", "GAL", (R.PROCESS_OWNER,)),
    (
        "auditor",
        "Priya",
        "Raman",
        "Quality Systems Engineer and Internal Auditor",
        "Quality",
        "GAL",
        (R.INTERNAL_AUDITOR,),
    ),
    ("employee", "Tomás", "Walsh", "CNC Machinist", "Machining", "GAL", (R.EMPLOYEE,)),
    (
        "extaudit",
        "Helen",
        "Fischer",
        "Lead Auditor, NordCert Assurance",
        None,
        None,
        (R.EXTERNAL_AUDITOR,),
    ),
    ("dmurphy", "Declan", "Murphy", "Finance Director", "Management", "GAL", (R.TOP_MANAGEMENT,)),
    (
        "noconnor",
        "Niamh",
        "O'Connor",
        "Sales Director",
        "Sales and customer service",
        "GAL",
        (R.TOP_MANAGEMENT, R.PROCESS_OWNER),
    ),
    ("gevans", "Gareth", "Evans", "Engineering Manager", "Engineering", "GAL", (R.PROCESS_OWNER,)),
    (
        "sbyrne",
        "Sinéad",
        "Byrne",
        "Supply Chain Manager",
        "Supply chain",
        "LIM",
        (R.PROCESS_OWNER,),
    ),
    (
        "pkowalski",
        "Paweł",
        "Kowalski",
        "Assembly Plant Manager",
        "Assembly and test",
        "LIM",
        (R.PROCESS_OWNER,),
    ),
    (
        "fgallagher",
        "Fiona",
        "Gallagher",
        "HR Manager",
        "Human resources",
        "GAL",
        (R.PROCESS_OWNER,),
    ),
    (
        "lfitzgerald",
        "Liam",
        "Fitzgerald",
        "Customer Service Lead",
        "Sales and customer service",
        "GAL",
        (R.PROCESS_OWNER,),
    ),
    (
        "emccarthy",
        "Eoin",
        "McCarthy",
        "Inspection and Test Supervisor",
        "Quality",
        "LIM",
        (R.PROCESS_OWNER,),
    ),
    (
        "cdunne",
        "Claire",
        "Dunne",
        "Quality Engineer",
        "Quality",
        "GAL",
        (R.INTERNAL_AUDITOR, R.EMPLOYEE),
    ),
    ("akhalil", "Ahmed", "Khalil", "Metrology Technician", "Quality", "GAL", (R.EMPLOYEE,)),
    ("riyer", "Rajesh", "Iyer", "Supplier Quality Engineer", "Sourcing", "PUN", (R.EMPLOYEE,)),
    ("adeshpande", "Anjali", "Deshpande", "Sourcing Specialist", "Sourcing", "PUN", (R.EMPLOYEE,)),
    ("vsingh", "Vikram", "Singh", "Process Engineer (SPC)", "Engineering", "GAL", (R.EMPLOYEE,)),
    ("ecollins", "Emma", "Collins", "Design Engineer", "Engineering", "GAL", (R.EMPLOYEE,)),
    (
        "oadeyemi",
        "Oluwaseun",
        "Adeyemi",
        "Manufacturing Engineer",
        "Engineering",
        "GAL",
        (R.EMPLOYEE,),
    ),
    ("dquinn", "Darragh", "Quinn", "Machining Shift Lead", "Machining", "GAL", (R.EMPLOYEE,)),
    ("kwisniewska", "Katarzyna", "Wiśniewska", "CNC Setter", "Machining", "GAL", (R.EMPLOYEE,)),
    (
        "bkavanagh",
        "Brian",
        "Kavanagh",
        "Maintenance Supervisor",
        "Maintenance and calibration",
        "GAL",
        (R.EMPLOYEE,),
    ),
    (
        "sryan",
        "Seán",
        "Ryan",
        "Maintenance Technician",
        "Maintenance and calibration",
        "GAL",
        (R.EMPLOYEE,),
    ),
    ("jlis", "Joanna", "Lis", "Assembly Operator", "Assembly and test", "LIM", (R.EMPLOYEE,)),
    ("mhennessy", "Mark", "Hennessy", "Test Technician", "Assembly and test", "LIM", (R.EMPLOYEE,)),
    ("rhealy", "Róisín", "Healy", "Buyer", "Supply chain", "LIM", (R.EMPLOYEE,)),
    ("pnolan", "Patrick", "Nolan", "Warehouse Supervisor", "Supply chain", "LIM", (R.EMPLOYEE,)),
    (
        "glynch",
        "Gráinne",
        "Lynch",
        "Customer Service Coordinator",
        "Sales and customer service",
        "GAL",
        (R.EMPLOYEE,),
    ),
    (
        "aferreira",
        "Ana",
        "Ferreira",
        "Training Coordinator",
        "Human resources",
        "GAL",
        (R.EMPLOYEE,),
    ),
]

# code, name, owner, description
PROCESSES = [
    (
        "P-01",
        "Sales and order handling",
        "noconnor",
        "Enquiries, quotations, contract review and order entry through to the confirmed "
        "delivery date.",
    ),
    (
        "P-02",
        "Design and development",
        "gevans",
        "New parts and assemblies from customer requirements to released drawings, FMEA and "
        "first-article approval.",
    ),
    (
        "P-03",
        "Purchasing and supplier management",
        "sbyrne",
        "Supplier selection, approval and evaluation; purchase orders with quality requirements "
        "flowed down.",
    ),
    (
        "P-04",
        "Production – machining",
        "owner",
        "CNC turning and milling of stainless, steel and aluminium parts at Galway, with "
        "first-off and in-process inspection.",
    ),
    (
        "P-05",
        "Production – assembly",
        "pkowalski",
        "Assembly of actuators and valve assemblies at Limerick to the assembly traveller.",
    ),
    (
        "P-06",
        "Inspection and testing",
        "emccarthy",
        "Goods-in, in-process and final inspection, CMM measurement and pressure testing.",
    ),
    (
        "P-07",
        "Warehouse and dispatch",
        "sbyrne",
        "Storage, picking, packing, labelling and shipment with certificates of conformity.",
    ),
    (
        "P-08",
        "Maintenance",
        "owner",
        "Planned and breakdown maintenance of machines, test rigs and facilities.",
    ),
    (
        "P-09",
        "Calibration",
        "owner",
        "Calibration and recall of gauges and measuring equipment (7.1.5).",
    ),
    (
        "P-10",
        "HR and training",
        "fgallagher",
        "Recruitment, induction, training and competence records, including agency staff.",
    ),
    (
        "P-11",
        "Customer service",
        "lfitzgerald",
        "Customer enquiries, complaints, returns and customer satisfaction.",
    ),
    (
        "P-12",
        "Quality management and improvement",
        "quality",
        "The QMS itself: policy and objectives, internal audit, management review, "
        "nonconformity and corrective action.",
    ),
]


def is_loaded() -> bool:
    return Organisation.objects.filter(name=ORGANISATION).exists()


def conflicts() -> list[str]:
    """What in this database keeps the demo from loading (it loads into an empty instance)."""
    from hoshin.context.models import Process

    found = []
    org = Organisation.objects.order_by("pk").first()
    unnamed = Organisation._meta.get_field("name").get_default()
    if org is not None and org.name not in (ORGANISATION, unnamed):
        found.append(f"the organisation is already named “{org.name}”")
    taken = list(
        User.objects.filter(username__in=[p[0] for p in PEOPLE]).values_list("username", flat=True)
    )
    if taken:
        found.append("these usernames exist already: " + ", ".join(sorted(taken)))
    if Process.objects.exists():
        found.append("processes exist already")
    return found


def generate_password() -> str:
    """A strong random password that is easy to type: four groups of five characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def ascii_name(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


@dataclass
class Demo:
    """What the loaders share: the seeded random source, today, and the people and places."""

    password: str
    seed: int = SEED
    nonconformities: int = 120
    today: datetime.date = field(default_factory=timezone.localdate)
    rng: random.Random = field(init=False)
    people: dict[str, User] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible demo data, not secrets

    def person(self, username: str) -> User:
        return self.people[username]

    def with_role(self, role: str) -> list[User]:
        return [u for u in self.people.values() if role in u.roles]

    def moment(self, day: datetime.date, hour: float | None = None) -> datetime.datetime:
        """A time in working hours on ``day`` (aware, in the current time zone)."""
        if hour is None:
            hour = self.rng.uniform(7.5, 17.0)
        naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)
        # Never in the future: today's events happened before now.
        return min(timezone.make_aware(naive), timezone.now())


def load_organisation(demo: Demo) -> None:
    """The organisation, exchange rates, sites, departments and people."""
    org = Organisation.objects.order_by("pk").first() or Organisation()
    org.name = ORGANISATION
    org.base_currency = BASE_CURRENCY
    org.save()

    for currency, values in RATES.items():
        for i, value in enumerate(values):
            valid_from = demo.today - datetime.timedelta(days=365 - i * 91)
            ExchangeRate.objects.get_or_create(
                currency=currency, valid_from=valid_from, defaults={"rate": Decimal(value)}
            )

    for code, name, address in SITES:
        demo.sites[code] = Site.objects.create(code=code, name=name, address=address)
    for name, site in DEPARTMENTS:
        demo.departments[name] = Department.objects.create(name=name, site=demo.sites[site])

    # One PBKDF2 hash for everyone: hashing 30 times would take longer than the rest.
    hashed = make_password(demo.password)
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    for role in roles.ALL_ROLES:
        if role not in groups:
            groups[role] = Group.objects.create(name=role)
    joined = timezone.make_aware(
        datetime.datetime.combine(demo.today - datetime.timedelta(days=400), datetime.time(9))
    )
    for username, first, last, title, department, site_code, role_names in PEOPLE:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{ascii_name(first)}.{ascii_name(last)}@example.com",
            job_title=title,
            department=demo.departments[department] if department else None,
            site=demo.sites[site_code] if site_code else None,
            password=hashed,
            date_joined=joined,
        )
        if R.EXTERNAL_AUDITOR in role_names:
            user.access_expires_on = demo.today + datetime.timedelta(days=EXTERNAL_ACCESS_DAYS)
        user.save()
        user.groups.set([groups[r] for r in role_names])
        demo.people[username] = user
    demo.counts.update(sites=len(SITES), departments=len(DEPARTMENTS), people=len(PEOPLE))


def load_processes(demo: Demo) -> None:
    """The processes of the QMS (4.4), each with its owner."""
    from hoshin.context.models import Process

    for code, name, owner, description in PROCESSES:
        demo.processes[code] = Process.objects.create(
            code=code, name=name, owner=demo.person(owner), description=description
        )
    demo.counts["processes"] = len(PROCESSES)


@contextmanager
def quick_signatures(users: Iterable[User], password: str) -> Iterator[None]:
    """Check the shared demo password with PBKDF2 once, then by plain comparison.

    Every demo user carries the same hash of the same password, so after one real
    check succeeds, the others would only repeat ~0.5 s of work each. Only for the
    ``User`` objects given, and only inside the block.
    """
    confirmed = False

    def wrap(user: User) -> Any:
        real = user.check_password

        def check(raw_password: str | None) -> bool:
            nonlocal confirmed
            if confirmed:
                return hmac.compare_digest(str(raw_password), password)
            ok = raw_password is not None and real(raw_password)
            confirmed = ok and raw_password == password
            return ok

        return check

    users = list(users)
    for user in users:
        user.check_password = wrap(user)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for user in users:
            user.__dict__.pop("check_password", None)


@contextmanager
def dated(day: datetime.date) -> Iterator[None]:
    """Let ``timezone.localdate()`` (without arguments) answer ``day`` inside the block.

    Workflow hooks stamp dates with today (``verified_on`` when a nonconformity is
    closed); the demo plays a year of work in a few seconds and wants the day it
    happened on. Times (``timezone.now()``), and so the trail, are left alone.
    """
    real = timezone.localdate

    def localdate(value: datetime.datetime | None = None, tz: Any = None) -> datetime.date:
        if value is None and tz is None:
            return day
        return real(value, tz)

    with mock.patch.object(timezone, "localdate", localdate):
        yield
