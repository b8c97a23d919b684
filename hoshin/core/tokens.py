"""API tokens: they expire, can be revoked, and stop working when the person's access ends.

The token is Django REST framework's (one per person). Its age is counted from
``created``; HOSHIN_TOKEN_TTL_DAYS sets how long it lives. Revoking deletes the token row
(it is a credential, not a record) and writes the revocation to the person's trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from hoshin.core import trail
from hoshin.core.models import TrailAction


def expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.HOSHIN_TOKEN_TTL_DAYS)


def is_expired(token: Token) -> bool:
    return expires_at(token) <= timezone.now()


def refusal(user: Any) -> str:
    """Why this person may not use or get a token now ("" when they may)."""
    if user.access_ended:
        return _("Your access to Hoshin has ended.")
    if user.must_change_password:
        return _(
            "Your password was set by an administrator: sign in on the web and change it "
            "before you use the API."
        )
    return ""


def issue(user: Any) -> Token:
    """The person's token: the current one, or a new one when there is none or it expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        revoke(token, reason="expired", actor=user)
        token = None
    if token is None:
        token = Token.objects.create(user=user)
        trail.append(
            action=TrailAction.CHANGE,
            instance=user,
            reference=user.get_username(),
            actor=user,
            changes={"api_token": {"label": "API token", "before": None, "after": "issued"}},
            message=f"API token issued, expires {expires_at(token):%Y-%m-%d}",
        )
    return token


def revoke(token: Token, reason: str = "revoked", actor: Any = None) -> None:
    """Delete the token; the trail says who revoked it (the current actor by default)."""
    user = token.user
    token.delete()
    trail.append(
        action=TrailAction.CHANGE,
        instance=user,
        reference=user.get_username(),
        actor=actor,
        changes={"api_token": {"label": "API token", "before": "issued", "after": reason}},
        message=f"API token {reason}",
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check, refusing expired tokens and people whose access has ended."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(_("Token expired: ask for a new one."))
        if reason := refusal(user):
            raise exceptions.AuthenticationFailed(reason)
        return user, token
