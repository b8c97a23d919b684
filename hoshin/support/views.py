"""Document control pages beyond the generic register: versions, signing, reading,
comparing, controlled copies, search and the master list in PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import permissions, reading, search, signoff, trail
from hoshin.core.models import ReadRequest, Signature, StaleRecordError
from hoshin.core.views import require_person
from hoshin.core.workflow import TransitionError
from hoshin.support import versions
from hoshin.support.forms import NewVersionForm, ReviewForm, SignForm, SubmitForm, VersionForm
from hoshin.support.markup import render_markdown
from hoshin.support.models import SEE_CONFIDENTIAL, Document, DocumentVersion, VersionStatus
from hoshin.support.registers import DOCUMENTS


def on_page(text: str) -> SafeString:
    """The document's Markdown for a page section, its headings starting at level 3."""
    return render_markdown(text, base_level=3)


def _document(request: HttpRequest, pk: int) -> Document:
    document: Document = permissions.visible_or_404(DOCUMENTS.queryset(), request.user, pk=pk)
    return document


def _version(request: HttpRequest, pk: int, number: int) -> tuple[Document, DocumentVersion]:
    document = _document(request, pk)
    version = get_object_or_404(versions.visible_versions(request.user, document), number=number)
    version.document = document
    return document, version


def _errors(exc: TransitionError) -> list[str]:
    return [m for ms in exc.problems.values() for m in ms]


def _fail(request: HttpRequest, exc: TransitionError) -> None:
    if exc.status == 403:
        raise PermissionDenied(str(exc)) from exc
    for message in _errors(exc):
        messages.error(request, message)


def my_step(version: DocumentVersion, user: Any, turn: list[Any]) -> Any:
    """The user's step among those whose turn it is (``turn``), if the version is in review."""
    if version.status != VersionStatus.IN_REVIEW:
        return None
    return next((step for step in turn if step.signer_id == user.pk), None)


def _route_rounds(version: DocumentVersion) -> list[tuple[int, list[Any]]]:
    steps = list(
        signoff.steps_of(version)
        .select_related("signer", "signature")
        .order_by("-round", "position")
    )
    rounds: dict[int, list[Any]] = {}
    for step in steps:
        rounds.setdefault(step.round, []).append(step)
    return sorted(rounds.items(), reverse=True)


def document_context(request: HttpRequest, document: Document) -> dict[str, Any]:
    """What the document page shows beyond the generic record page."""
    user: Any = request.user
    in_force = document.in_force()
    working = document.working()
    can_write = versions.can_write(user, document)
    my_request = None
    progress = None
    if in_force is not None:
        my_request = ReadRequest.objects.for_record(in_force).filter(person=user).first()
        if can_write or user.roles & SEE_CONFIDENTIAL:
            progress = reading.progress(in_force)
    shown = in_force or working
    route = signoff.route(working) if working else []
    turn = signoff.whose_turn(route)
    return {
        "in_force": in_force,
        "working": working,
        "shown": shown,
        "shown_html": on_page(shown.body) if shown and shown.body else "",
        "version_list": list(versions.visible_versions(user, document)),
        "can_write": can_write,
        "can_edit_working": working is not None and versions.can_edit_draft(user, working),
        "my_step": my_step(working, user, turn) if working else None,
        "working_route": route,
        "whose_turn": turn,
        "my_request": my_request,
        "progress": progress,
        "reviews": list(document.reviews.select_related("reviewed_by")),
        "review_form": ReviewForm(),
        "new_version_form": NewVersionForm(),
        "sign_form": SignForm(),
        "can_review": can_write and document.status == Document.EFFECTIVE and in_force is not None,
        "review_due": document.due_date is not None
        and document.due_date <= timezone.localdate()
        and document.status == Document.EFFECTIVE,
    }


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    user: Any = request.user
    rounds = _route_rounds(version)
    turn = signoff.whose_turn(rounds[0][1]) if rounds else []  # the latest round
    can_edit = versions.can_edit_draft(user, version)
    context = {
        "record": document,
        "version": version,
        "body_html": on_page(version.body) if version.body else "",
        "rounds": rounds,
        "whose_turn": turn,
        "my_step": my_step(version, user, turn),
        "sign_form": SignForm(),
        "submit_form": SubmitForm(author=version.author) if can_edit else None,
        "can_edit": can_edit,
        "can_recall": version.status == VersionStatus.IN_REVIEW
        and (versions.can_write(user, document) or version.author_id == user.pk),
        "my_request": ReadRequest.objects.for_record(version).filter(person=user).first(),
        "others": [v for v in versions.visible_versions(user, document) if v.pk != version.pk],
    }
    return render(request, "support/version_detail.html", context)


@login_required
@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why a new version is needed."))
        return redirect("documents_detail", pk=document.pk)
    try:
        version = versions.start(
            document, require_person(request), change_reason=form.cleaned_data["change_reason"]
        )
    except TransitionError as exc:
        _fail(request, exc)
        return redirect("documents_detail", pk=document.pk)
    messages.success(request, _("Version %(n)s started as a draft.") % {"n": version.number})
    return redirect("document_version_edit", pk=document.pk, number=version.number)


@login_required
def version_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    user = require_person(request)
    if not versions.can_edit_draft(user, version):
        raise PermissionDenied
    data = (request.POST, request.FILES) if request.method == "POST" else (None,)
    form = VersionForm(*data, instance=version)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            item = form.save(commit=False)
            if form.cleaned_data.get("version") is not None:
                item.version = form.cleaned_data["version"]
            upload = form.cleaned_data.get("file")
            try:
                with transaction.atomic():
                    if upload:
                        versions.attach_file(item, upload, upload.checked)
                    versions.save_draft(item, user, reason=_("Draft edited"))
            except StaleRecordError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Draft saved."))
                if item.text_note:
                    messages.warning(request, item.text_note)
                return redirect("document_version", pk=document.pk, number=version.number)
    context = {"record": document, "version": version, "form": form}
    return render(request, "support/version_form.html", context, status=status)


@login_required
@require_POST
def version_submit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    user = require_person(request)
    form = SubmitForm(request.POST, author=version.author)
    if form.is_valid():
        try:
            versions.submit(
                version,
                user,
                reviewers=form.ordered("reviewers"),
                approvers=form.ordered("approvers"),
                in_order=form.cleaned_data["in_order"],
                effective_on=form.cleaned_data["effective_on"],
                comment=form.cleaned_data["comment"],
            )
        except TransitionError as exc:
            if exc.status == 403:
                raise PermissionDenied(str(exc)) from exc
            for field, problems in exc.problems.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Sent for review and approval."))
            return redirect("document_version", pk=document.pk, number=number)
    context = {
        "record": document,
        "version": version,
        "body_html": on_page(version.body) if version.body else "",
        "rounds": _route_rounds(version),
        "whose_turn": [],
        "submit_form": form,
        "can_edit": True,
        "others": [],
    }
    messages.error(request, _("Not sent: see what is missing below."))
    return render(request, "support/version_detail.html", context, status=400)


@login_required
@require_POST
def version_sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    user = require_person(request)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to sign or to request changes."))
        return redirect("document_version", pk=document.pk, number=number)
    data = form.cleaned_data
    try:
        if data["decision"] == "reject":
            versions.reject(version, user, comment=data["comment"])
            messages.success(request, _("Changes requested: the author has been told."))
        else:
            versions.sign(version, user, password=data["password"], comment=data["comment"])
            version.refresh_from_db()
            messages.success(
                request,
                _("Signed. Version %(n)s is now %(state)s.")
                % {"n": version.number, "state": version.get_status_display().lower()},
            )
    except TransitionError as exc:
        _fail(request, exc)
    return redirect("document_version", pk=document.pk, number=number)


@login_required
@require_POST
def version_recall(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    try:
        versions.recall(version, require_person(request), request.POST.get("comment", ""))
        messages.success(request, _("Recalled: the version is a draft again."))
    except TransitionError as exc:
        _fail(request, exc)
    return redirect("document_version", pk=document.pk, number=number)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document, version = _version(request, pk, number)
    try:
        versions.acknowledge(version, require_person(request))
        messages.success(request, _("Thank you: your reading is recorded."))
    except TransitionError as exc:
        _fail(request, exc)
    nxt = request.POST.get("next", "")
    if nxt == "to_read":
        return redirect("documents_to_read")
    return redirect("documents_detail", pk=document.pk)


@login_required
@require_POST
def periodic_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and sign with your password."))
        return redirect("documents_detail", pk=document.pk)
    try:
        versions.periodic_review(document, require_person(request), **form.cleaned_data)
        messages.success(request, _("Review recorded and signed."))
    except TransitionError as exc:
        _fail(request, exc)
    return redirect("documents_detail", pk=document.pk)


def _trail_access(request: HttpRequest, document: Document, action: str, what: str) -> None:
    trail.append(
        action=action,
        instance=document,
        changes={"what": what, "confidentiality": document.confidentiality},
    )


@login_required
def version_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    document, version = _version(request, pk, number)
    if not version.file:
        raise Http404
    _trail_access(request, document, trail.TrailAction.DOWNLOAD, f"v{number} {version.file_name}")
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.file_name)
    response["Content-Type"] = version.file_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


WATERMARKS: dict[str, Any] = {
    VersionStatus.DRAFT: _("DRAFT"),
    VersionStatus.IN_REVIEW: _("DRAFT — IN REVIEW"),
    VersionStatus.APPROVED: _("APPROVED — NOT YET IN FORCE"),
    VersionStatus.SUPERSEDED: _("SUPERSEDED"),
    VersionStatus.WITHDRAWN: _("WITHDRAWN"),
}


def copy_info(document: Document, version: DocumentVersion, user: Any) -> Any:
    from hoshin.core.models import Organisation
    from hoshin.support.copies import Approval, CopyInfo

    if document.status in (Document.OBSOLETE, Document.DISPOSED, "void"):
        watermark = _("OBSOLETE")
        status_label = document.get_status_display()
    else:
        watermark = str(WATERMARKS.get(version.status, ""))
        status_label = version.get_status_display()
    signatures = Signature.objects.for_record(version).order_by("signed_at")
    return CopyInfo(
        organisation=Organisation.current().name,
        number=document.reference,
        title=document.title,
        version=version.number,
        status_label=str(status_label),
        effective_on=version.effective_on if version.status != VersionStatus.DRAFT else None,
        watermark=watermark,
        approvals=tuple(
            Approval(str(s.get_meaning_display()), s.signer_name, s.signed_at) for s in signatures
        ),
        printed_by=str(user),
        printed_at=timezone.now(),
    )


def copy_of(document: Document, version: DocumentVersion, user: Any) -> Any:
    """Where the controlled copy of a version for ``user`` stands (copy_store.Prepared): made,
    refused, or being made by the task queue; None when the version has nothing to print."""
    from hoshin.support import copy_store

    if not copy_store.printable(version):
        return None
    return copy_store.prepare(version, copy_info(document, version, user), user.pk)


def document_pdf(request: HttpRequest, document: Document) -> bytes:
    """The record's PDF: the copy of the version in force (or the latest one)."""
    from hoshin.support.copies import render_copy

    version = document.in_force() or visible_latest(request.user, document)
    if version is None:
        raise Http404
    prepared = copy_of(document, version, request.user)
    if prepared is not None and prepared.pdf is not None:
        return bytes(prepared.pdf)
    if prepared is not None and prepared.pending:
        note = _(
            "The controlled copy of version %(n)s is being prepared: open this PDF again in a "
            "moment."
        ) % {"n": version.number}
    else:
        note = _("Version %(n)s is the file %(name)s: download it from Hoshin.") % {
            "n": version.number,
            "name": version.file_name,
        }
    return render_copy(copy_info(document, version, request.user), f"<p>{escape(note)}</p>")


def visible_latest(user: Any, document: Document) -> DocumentVersion | None:
    return versions.visible_versions(user, document).first()


# The page that waits for a copy reloads every REFRESH seconds; after SLOW it says so.
COPY_REFRESH_SECONDS = 2
COPY_SLOW_SECONDS = 60


@login_required
def version_copy(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A controlled copy in PDF: the text, or the uploaded PDF stamped, made by the task
    queue; until it is ready, a page that reloads by itself."""
    document, version = _version(request, pk, number)
    prepared = copy_of(document, version, request.user)
    if prepared is None:
        raise Http404(_("This version has no text or PDF to print; download its file."))
    if prepared.error:
        messages.error(request, prepared.error)
        return redirect("document_version", pk=pk, number=number)
    if prepared.pdf is None:
        context = {
            "record": document,
            "version": version,
            "refresh": COPY_REFRESH_SECONDS,
            "slow": prepared.waited.total_seconds() > COPY_SLOW_SECONDS,
        }
        response = render(request, "support/copy_preparing.html", context, status=202)
        response["Cache-Control"] = "no-store"
        return response
    _trail_access(request, document, trail.TrailAction.EXPORT, f"v{number} controlled copy")
    response = HttpResponse(prepared.pdf, content_type="application/pdf")
    filename = f"{document.reference}-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    from hoshin.support.compare import side_by_side

    document = _document(request, pk)
    visible = list(versions.visible_versions(request.user, document).filter(body__gt=""))
    by_number = {v.number: v for v in visible}
    if len(by_number) < 2:
        messages.info(request, _("There is only one version with text: nothing to compare."))
        return redirect("documents_detail", pk=pk)
    numbers = sorted(by_number)
    try:
        a = int(request.GET.get("a") or numbers[-2])
        b = int(request.GET.get("b") or numbers[-1])
    except ValueError:
        a, b = numbers[-2], numbers[-1]
    if a not in by_number or b not in by_number:
        raise Http404
    old, new = by_number[a], by_number[b]
    context = {
        "record": document,
        "old": old,
        "new": new,
        "numbers": numbers,
        "comparison": side_by_side(old.body, new.body),
    }
    return render(request, "support/compare.html", context)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    if require_person(request).is_read_only:
        raise PermissionDenied
    text = request.POST.get("body", "")
    return render(request, "support/_preview.html", {"html": on_page(text)})


@login_required
def to_read(request: HttpRequest) -> HttpResponse:
    """My documents to read: versions in force I was asked to read and have not confirmed."""
    user = require_person(request)
    versions.promote_due()
    ct = DocumentVersion.content_type()
    requests = list(reading.outstanding_for(user).filter(content_type=ct))
    by_id = {
        v.pk: v
        for v in DocumentVersion.objects.filter(
            pk__in=[r.object_id for r in requests], status=VersionStatus.EFFECTIVE
        ).select_related("document", "document__doc_type", "document__owner")
    }
    items = [(r, by_id[r.object_id]) for r in requests if r.object_id in by_id]
    done = (
        reading.ReadRequest.objects.filter(
            person=user, content_type=ct, acknowledged_at__isnull=False
        )
        .order_by("-acknowledged_at")
        .count()
    )
    return render(request, "support/to_read.html", {"items": items, "done": done})


@login_required
def readers(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Who has read the version and who has not: for its owner and quality managers."""
    document, version = _version(request, pk, number)
    user: Any = request.user
    if not (versions.can_write(user, document) or user.roles & SEE_CONFIDENTIAL):
        raise PermissionDenied
    items = list(
        ReadRequest.objects.for_record(version)
        .select_related("person", "person__department")
        .order_by("acknowledged_at", "person__last_name")
    )
    return render(
        request,
        "support/readers.html",
        {
            "record": document,
            "version": version,
            "items": items,
            "progress": reading.progress(version),
        },
    )


@login_required
def document_search(request: HttpRequest) -> HttpResponse:
    """Full-text search over numbers, titles and the text in force, best matches first."""
    require_person(request)
    q = request.GET.get("q", "").strip()
    page = None
    results: list[tuple[Document, Any]] = []
    if search.terms(q):
        queryset: Any = DOCUMENTS.queryset()
        queryset = queryset.visible_to(request.user).exclude(status="void")
        ranked = search.ranked(queryset, DOCUMENTS.search_fields, q, stored=True)
        page = Paginator(ranked, 20).get_page(request.GET.get("page"))
        docs = list(page.object_list)
        found = search.passages(Document, DOCUMENTS.search_fields, [d.pk for d in docs], q)
        results = [(d, search.highlight(found.get(d.pk, ""))) for d in docs]
    return render(request, "support/search.html", {"q": q, "page": page, "results": results})


@login_required
def master_list_pdf(request: HttpRequest) -> HttpResponse:
    """The master list as a PDF, filtered like the list page."""
    from hoshin.core.views import filtered
    from hoshin.support.report import master_list_pdf as render_pdf

    if not permissions.can_export(request.user):
        raise PermissionDenied
    _filterset, queryset, _sort = filtered(request, DOCUMENTS)
    documents = list(queryset[:5000])
    trail.append(
        action=trail.TrailAction.EXPORT,
        stream=f"user:{request.user.get_username()}",
        reference=DOCUMENTS.slug,
        changes={
            "register": DOCUMENTS.slug,
            "format": "pdf",
            "filter": request.GET.dict(),
            "rows": len(documents),
        },
    )
    pdf = render_pdf(documents, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="document-master-list.pdf"'
    return response
