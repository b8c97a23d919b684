"""Who is acting: taken from the request, a command's ``--as`` user, or a named system actor.

The trail is written from the model layer, so it must know the actor on every code
path (views, API, commands, shell, imports) without a request object.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hoshin.core.models import User

SYSTEM = "system"

_actor: contextvars.ContextVar[User | None] = contextvars.ContextVar("hoshin_actor", default=None)
_label: contextvars.ContextVar[str] = contextvars.ContextVar("hoshin_actor_label", default=SYSTEM)


def current_actor() -> User | None:
    return _actor.get()


def current_label() -> str:
    user = _actor.get()
    if user is not None:
        return user.get_username()
    return _label.get()


@contextmanager
def acting_as(user: User | None, label: str = SYSTEM) -> Iterator[None]:
    """Attribute every trail event inside the block to ``user`` (or the system ``label``)."""
    token = _actor.set(user if user is not None and user.is_authenticated else None)
    label_token = _label.set(label)
    try:
        yield
    finally:
        _actor.reset(token)
        _label.reset(label_token)
