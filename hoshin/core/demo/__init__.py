"""The demo organisation: a believable mid-sized manufacturer to look around in.

``hoshin demo`` builds it from a fixed random seed. Each app contributes its part
through a loader it registers in its ``AppConfig.ready()`` (``loaders.register``); the
command runs them in dependency order. A loader reads its content from data files
beside it (YAML for records, Markdown with front matter for document bodies) and plays
it through the models, the workflows and the trail, exactly as people would, attributed
to the person who would have done it and on the day they would have done it: the trail,
its chain and the signatures are real, which fixtures would bypass.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hmac
import random
import secrets
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from hoshin.core.models import Department, Site, User

SEED = 9001
T = TypeVar("T")


# --- the loaders each app registers ------------------------------------------------------
@dataclass(frozen=True)
class Loader:
    """One app's part of the demo: the function at ``path`` takes the shared ``Demo``."""

    name: str
    path: str
    after: tuple[str, ...] = ()
    # A function listing what in the database keeps this part from loading.
    conflicts: str = ""


class Loaders:
    def __init__(self) -> None:
        self._by_name: dict[str, Loader] = {}

    def register(
        self, name: str, path: str, *, after: Iterable[str] = (), conflicts: str = ""
    ) -> None:
        """Add a loader; it runs after the loaders named in ``after``."""
        loader = Loader(name, path, tuple(after), conflicts)
        if self._by_name.get(name, loader) != loader:
            raise ValueError(f"Another demo loader is registered as {name!r}.")
        self._by_name[name] = loader

    def ordered(self) -> list[Loader]:
        """Every loader after those it depends on; otherwise by name.

        The loaders share one seeded random source, so their order decides what each
        draws: it depends on the names, never on the order of ``INSTALLED_APPS``.
        """
        pending = dict(self._by_name)
        for loader in pending.values():
            unknown = set(loader.after) - set(pending)
            if unknown:
                raise ValueError(
                    f"Demo loader {loader.name!r} runs after unknown {sorted(unknown)}"
                )
        done: list[Loader] = []
        while pending:
            placed = {d.name for d in done}
            ready = sorted(n for n, loader in pending.items() if set(loader.after) <= placed)
            if not ready:
                raise ValueError(f"Demo loaders wait for each other: {sorted(pending)}")
            done.append(pending.pop(ready[0]))
        return done

    def functions(self) -> list[Callable[[Demo], None]]:
        return [import_string(loader.path) for loader in self.ordered()]


loaders = Loaders()


# --- data files ------------------------------------------------------------------------------
def data(package: str, name: str) -> Any:
    """The YAML file ``name`` in ``package``'s folder."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def front_matter(text: str, where: str = "") -> tuple[dict[str, Any], str]:
    """Split Markdown into its front matter (YAML between ``---`` lines) and its body."""
    if not text.startswith("---\n"):
        raise ValueError(f"{where}: no front matter (the file starts with a --- line)")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError(f"{where}: the front matter does not end with a --- line")
    # The front matter keeps its last line break: a block scalar ending it keeps its own.
    meta = yaml.safe_load(text[4 : end + 1]) or {}
    body = text[end + 5 :]
    if not isinstance(meta, dict):
        raise ValueError(f"{where}: the front matter is not a mapping")
    return meta, body


def markdown_files(package: str, folder: str) -> list[tuple[str, dict[str, Any], str]]:
    """Each ``.md`` file of the folder in order of name: (name, front matter, body)."""
    found = []
    files = resources.files(package).joinpath(folder).iterdir()
    for entry in sorted((f for f in files if f.name.endswith(".md")), key=lambda f: f.name):
        meta, body = front_matter(entry.read_text(encoding="utf-8"), entry.name)
        found.append((entry.name, meta, body))
    return found


def build(cls: type[T], value: Any, where: str = "") -> T:
    """A dataclass from the mapping read from a data file, its fields checked by type."""
    where = where or cls.__name__
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a mapping, got {value!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(value) - names
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    kwargs = {k: _convert(hints[k], v, f"{where}.{k}") for k, v in value.items()}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (hint,) = (a for a in args if a is not type(None))
        return _convert(hint, value, where)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)  # type: ignore[arg-type]
    if origin in (tuple, frozenset, list):
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list, got {value!r}")
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(value):
                raise ValueError(f"{where}: expected {len(args)} items, got {value!r}")
            return tuple(
                _convert(a, v, f"{where}[{i}]")
                for i, (a, v) in enumerate(zip(args, value, strict=True))
            )
        items = [_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
        return origin(items)
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueError(f"{where}: expected a mapping, got {value!r}")
        return {
            _convert(args[0], k, where): _convert(args[1], v, f"{where}.{k}")
            for k, v in value.items()
        }
    accepted = (int, float) if hint is float else hint
    if isinstance(hint, type) and (
        not isinstance(value, accepted) or (hint is not bool and isinstance(value, bool))
    ):
        raise ValueError(f"{where}: expected {hint.__name__}, got {value!r}")
    return value


# --- the organisation and what the loaders share -----------------------------------------
@functools.cache
def organisation_data() -> dict[str, Any]:
    """The organisation, its sites, departments and people (``organisation.yaml``)."""
    found: dict[str, Any] = data(__name__, "organisation.yaml")
    return found


def name() -> str:
    return str(organisation_data()["name"])


def demo_users() -> list[str]:
    """The six users to sign in as, one per role."""
    return list(organisation_data()["demo_users"])


def is_loaded() -> bool:
    from hoshin.core.models import Organisation

    return Organisation.objects.filter(name=name()).exists()


def conflicts() -> list[str]:
    """What in this database keeps the demo from loading (it loads into an empty instance)."""
    from hoshin.core.models import Organisation, User

    found = []
    org = Organisation.objects.order_by("pk").first()
    unnamed = Organisation._meta.get_field("name").get_default()
    if org is not None and org.name not in (name(), unnamed):
        found.append(f"the organisation is already named “{org.name}”")
    usernames = [p["username"] for p in organisation_data()["people"]]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        found.append("these usernames exist already: " + ", ".join(sorted(taken)))
    for loader in loaders.ordered():
        if loader.conflicts:
            found.extend(import_string(loader.conflicts)())
    return found


def generate_password() -> str:
    """A strong random password that is easy to type: four groups of five characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


@dataclass
class Demo:
    """What the loaders share: the seeded random source, today, and the people and places.

    Records are dated from ``today``, and the services that stamp a date are given the
    day each step happened on.
    """

    password: str
    seed: int = SEED
    nonconformities: int = 120
    today: datetime.date = field(default_factory=timezone.localdate)
    rng: random.Random = field(init=False)
    people: dict[str, User] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    # The processes (4.4), by code: loaded by the context app.
    processes: dict[str, Any] = field(default_factory=dict)
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
