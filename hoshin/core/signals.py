"""Domain events, and the sign-in events of the trail.

Apps announce what happened (``record_transitioned``, ``record_created``) and other
apps subscribe in their ``AppConfig.ready()``, so notifications and dashboards do
not couple the registers to each other.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal

from hoshin.core import trail
from hoshin.core.addresses import client_address

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
    trail.append(
        action=trail.TrailAction.LOGIN_FAILED,
        stream=f"auth:{username}",
        reference=username,
        actor_label=username or "anonymous",
        changes={"address": _address(request)},
    )


def connect_sign_in_events() -> None:
    """Write sign-ins, sign-outs and failed sign-ins to the trail; called from ready()."""
    user_logged_in.connect(_logged_in, dispatch_uid="core.trail.logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="core.trail.logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="core.trail.login_failed")
