"""Domain events, and the sign-in events of the trail.

Apps announce what happened (``record_transitioned``, ``record_created``) and other
apps subscribe in their ``AppConfig.ready()``, so notifications and dashboards do
not couple the registers to each other.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from hoshin.core import trail
from hoshin.core.addresses import client_address
from hoshin.core.models.people import UnknownSignIns, source_of

record_created = Signal()  # sender=model class, record, user
record_transitioned = Signal()  # sender=model class, record, transition, user


def _address(request: Any) -> str:
    return "" if request is None else client_address(request)


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    trail.append(
        action=trail.TrailAction.LOGIN,
        stream=f"auth:{user.get_username()}",
        reference=user.get_username(),
        actor=user,
        changes={"address": _address(request)},
    )


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    trail.append(
        action=trail.TrailAction.LOGOUT,
        stream=f"auth:{user.get_username()}",
        reference=user.get_username(),
        actor=user,
    )


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username", ""))[:100]
    address = _address(request)
    if not get_user_model()._default_manager.filter(username=username).exists():
        _tally_unknown(username, address)
        return
    trail.append(
        action=trail.TrailAction.LOGIN_FAILED,
        stream=f"auth:{username}",
        reference=username,
        actor_label=username or "anonymous",
        changes={"address": address},
    )


def _tally_unknown(username: str, address: str) -> None:
    """A name nobody has: counted per source and hour, so made-up names cannot write events
    without end. The trail gets the tally at the 1st, 10th, 100th... attempt of the hour."""
    now = timezone.now()
    source = source_of(address)
    period = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        tally, _ = UnknownSignIns.objects.select_for_update().get_or_create(
            source=source, period=period, defaults={"first_at": now, "last_at": now}
        )
        tally.attempts += 1
        tally.last_at = now
        if username not in tally.names and len(tally.names) < UnknownSignIns.SAMPLE_SIZE:
            tally.names = [*tally.names, username]
        tally.save()
        if _is_power_of_ten(tally.attempts):
            trail.append(
                action=trail.TrailAction.LOGIN_FAILED,
                stream=f"auth-unknown:{source}",
                reference=source,
                actor_label="anonymous",
                changes={
                    "address": address,
                    "source": source,
                    "period": period,
                    "attempts": tally.attempts,
                    "names": tally.names,
                },
                message="Failed sign-ins with unknown user names",
            )


def _is_power_of_ten(n: int) -> bool:
    while n % 10 == 0:
        n //= 10
    return n == 1


def connect_sign_in_events() -> None:
    """Write sign-ins, sign-outs and failed sign-ins to the trail; called from ready()."""
    user_logged_in.connect(_logged_in, dispatch_uid="core.trail.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="core.trail.logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="core.trail.login_failed")
