"""The signed-in person's own settings: the time zone they read times in, their password
and their API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from hoshin.core import tokens, trail
from hoshin.core.models import TrailAction, User
from hoshin.core.models.people import time_zone_choices


class TimeZoneForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form: the empty choice names the organisation's zone of the moment.
        self.fields["time_zone"].widget = forms.Select(
            choices=time_zone_choices(), attrs={"class": "form-select"}
        )


@login_required
def my_settings(request: HttpRequest) -> HttpResponse:
    person: Any = request.user
    form = TimeZoneForm(request.POST or None, instance=person)
    token = Token.objects.filter(user=person).first()
    context = {
        "form": form,
        "token": token,
        "token_expires": tokens.expires_at(token) if token else None,
    }
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your settings are saved."))
            return redirect("my_settings")
        return render(request, "core/my_settings.html", context, status=400)
    return render(request, "core/my_settings.html", context)


@sensitive_post_parameters()
@login_required
def my_password(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the old one, then a new one Django's validators accept.
    The session stays signed in; the trail says the password changed, never what to."""
    person: Any = request.user
    user = User.objects.get(pk=person.pk)  # the person, not the request's lazy proxy
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save(commit=False)
                forced = user.must_change_password
                user.must_change_password = False
                user.save(update_fields=["password", "must_change_password"])
                changes: dict[str, Any] = {
                    "password": {"label": "password", "before": None, "after": "changed"}
                }
                if forced:
                    changes["must_change_password"] = {
                        "label": "must change password",
                        "before": True,
                        "after": False,
                    }
                trail.append(
                    action=TrailAction.CHANGE,
                    instance=user,
                    reference=user.get_username(),
                    actor=user,
                    changes=changes,
                    message="Password changed by the person",
                )
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                target = ""
            return redirect(target or "my_settings")
        return render(request, "core/my_password.html", {"form": form}, status=400)
    return render(request, "core/my_password.html", {"form": form})


@require_POST
@login_required
def revoke_my_token(request: HttpRequest) -> HttpResponse:
    person: Any = request.user
    token = Token.objects.filter(user=person).first()
    if token is not None:
        with transaction.atomic():
            tokens.revoke(token, actor=request.user)
        messages.success(request, _("Your API token is revoked."))
    return redirect("my_settings")
