"""Forms of document control."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.core import guards, roles
from hoshin.core.files import check_upload
from hoshin.core.forms import BootstrapMixin, RecordForm, people
from hoshin.core.models import User
from hoshin.core.widgets import PeopleInOrder
from hoshin.support import versions
from hoshin.support.models import DocumentVersion, ReviewOutcome


class MarkdownEditor(forms.Textarea):
    """A Markdown textarea with a live preview rendered by the server (htmx)."""

    template_name = "support/widgets/markdown.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 18, "class": "font-monospace", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["preview_url"] = reverse_lazy("document_preview")
        return context


class UploadField(forms.FileField):
    """A file checked for size and real content type before anything is stored."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            upload.checked = check_upload(upload)  # raises ValidationError with the reason
        return upload


class DocumentForm(RecordForm):
    """Who must read each new version, by role."""

    distribute_roles = forms.MultipleChoiceField(
        label=_("Must read (roles)"),
        choices=list(roles.ROLE_LABELS.items()),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        widgets = {
            "access_departments": forms.SelectMultiple(attrs={"size": 4}),
            "distribute_departments": forms.SelectMultiple(attrs={"size": 4}),
        }

    def clean_distribute_roles(self) -> list[str]:
        return sorted(set(self.cleaned_data.get("distribute_roles") or []))


class DocumentCreateForm(DocumentForm):
    """A new document and its first version, written here or uploaded, or both."""

    heading = _("New controlled document")
    intro = _(
        "Choose the type (it gives the number), say what the document is for, and write or "
        "upload the first version. It becomes effective once reviewed and approved."
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=MarkdownEditor(),
        help_text=_("Markdown: # headings, **bold**, - lists, | tables |."),
    )
    file = UploadField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel or an image; the text of PDF and Word files is searchable."),
    )
    change_reason = forms.CharField(
        label=_("Reason for this version"), initial=_("First issue"), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_months"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and not data.get("file"):
            self.add_error("body", _("Write the text or upload the file."))
        doc_type = data.get("doc_type")
        if doc_type is not None:
            if data.get("review_months") is None:
                data["review_months"] = doc_type.review_months
            if doc_type.is_record and data.get("retention_years") is None:
                data["retention_years"] = doc_type.retention_years
        return data

    def save(self, commit: bool = True) -> Any:
        with transaction.atomic():
            document = super().save(commit=True)
            version = versions.start(
                document,
                self.user,
                change_reason=self.cleaned_data["change_reason"],
                body=self.cleaned_data.get("body") or "",
            )
            upload = self.cleaned_data.get("file")
            if upload:
                versions.attach_file(version, upload, upload.checked)
                versions.save_draft(version, self.user)
        return document


class VersionForm(BootstrapMixin, forms.ModelForm):
    """Edit a draft version; carries the version it was read at so edits never collide."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = UploadField(
        label=_("File"),
        required=False,
        help_text=_("Upload to add or replace the file of this version."),
    )

    class Meta:
        model = DocumentVersion
        fields = ["change_reason", "body"]
        widgets = {
            "body": MarkdownEditor(),
            "change_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()

    def clean_version(self) -> int | None:
        return self.cleaned_data.get("version")


class PeopleInOrderField(guards.ModelMultipleChoiceField):
    """People chosen one per position; cleans to a list in the order posted (a person named
    twice stays twice, for the route's own check to name)."""

    def clean(self, value: Any) -> Any:  # a list, not the parent's unordered queryset
        found = {str(p.pk): p for p in super().clean(value)}
        return [found[str(v)] for v in value or [] if str(v) in found]


class SubmitForm(BootstrapMixin, forms.Form):
    reviewers = PeopleInOrderField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=PeopleInOrder(position_label=_("Reviewer %(n)s")),
        help_text=_("They check the content first, from the first position down."),
    )
    approvers = PeopleInOrderField(
        label=_("Approvers"),
        queryset=User.objects.none(),
        widget=PeopleInOrder(position_label=_("Approver %(n)s")),
        help_text=_("They approve once every reviewer has signed."),
    )
    in_order = forms.BooleanField(
        label=_("Sign one after another, in the order chosen"), required=False
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: in force as soon as it is approved."),
    )
    comment = forms.CharField(
        label=_("Note to the signers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, author: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signers = people().exclude(groups__name=roles.EXTERNAL_AUDITOR)
        if author is not None:
            signers = signers.exclude(pk=author.pk)
        for name in ("reviewers", "approvers"):
            self.fields[name].queryset = signers  # type: ignore[attr-defined]
        self._style()

    def clean_effective_on(self) -> Any:
        day = self.cleaned_data.get("effective_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the past."))
        return day

    def ordered(self, name: str) -> list[User]:
        """The people of ``name`` in the order of their positions on the form."""
        return list(self.cleaned_data.get(name) or [])


class SignForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("sign", _("Sign")), ("reject", _("Request changes"))],
        widget=forms.RadioSelect,
        initial="sign",
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label=_("Your password, to sign"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ReviewForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label=_("Your password, to sign"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class NewVersionForm(BootstrapMixin, forms.Form):
    change_reason = forms.CharField(
        label=_("Why a new version?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
