"""The signed-in person's own settings: for now, the time zone they read times in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hoshin.core.models import User
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
    form = TimeZoneForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your settings are saved."))
            return redirect("my_settings")
        return render(request, "core/my_settings.html", {"form": form}, status=400)
    return render(request, "core/my_settings.html", {"form": form})
