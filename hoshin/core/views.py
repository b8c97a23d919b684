"""Generic register views, derived from the registry: list, export, detail, create,
edit, transition, comment, attachments, PDF. Every view checks permission."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.core import inbox, numbers, permissions, signoff, tally, trail
from hoshin.core.charts import state_chart
from hoshin.core.display import FieldSection, record_sections
from hoshin.core.exports import csv_response, export_columns, xlsx_response
from hoshin.core.forms import AttachmentForm, CommentForm, StepForm, TransitionForm, step_form_for
from hoshin.core.models import Attachment, Comment, Signature, StaleRecordError, User
from hoshin.core.registry import RegisterType, registry
from hoshin.core.signals import record_created
from hoshin.core.workflow import Transition, TransitionError

PAGE_SIZES = (25, 50, 100)


def _register(slug: str) -> RegisterType:
    try:
        return registry.get(slug)
    except KeyError:
        raise Http404 from None


def require_person(request: HttpRequest) -> User:
    """The signed-in person, who must hold a role in Hoshin; anyone else is refused (403)."""
    permissions.require_role(request.user)
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def filtered(request: HttpRequest, rt: RegisterType) -> tuple[Any, Any, str]:
    """The register's records this person may see, filtered and sorted as the page asks."""
    queryset: Any = rt.queryset()
    queryset = queryset.visible_to(request.user)
    filterset = rt.filterset_class(request.GET or None, queryset=queryset, request=request)
    invalid = filterset.is_bound and not filterset.is_valid()
    queryset = queryset.none() if invalid else filterset.qs
    sort = request.GET.get("sort", "") or rt.default_sort
    key = sort.lstrip("-")
    if key in rt.sortable:
        field = rt.sortable[key]
        prefix = "-" if sort.startswith("-") else ""
        queryset = queryset.order_by(f"{prefix}{field}", f"{prefix}pk")
    else:
        sort = ""
        queryset = queryset.order_by("-created_at", "-pk")
    return filterset, queryset, sort


def table_rows(rt: RegisterType, objects: Any) -> list[tuple[str, Any, bool, list[Any]]]:
    """Each row of a register's table as (link, status, overdue, cells), a cell as
    (label, how it is shown, value): decided here once rather than by a chain of lookups,
    filters and a URL reversal in every cell of the template (half of a list page)."""
    columns = [(str(c.label), c) for c in rt.columns]
    detail = f"{rt.slug}_detail"
    rows = []
    for obj in objects:
        overdue = bool(getattr(obj, "is_overdue", False))
        cells = []
        for label, column in columns:
            value = column.value(obj)
            if column.link:
                kind = "link"
            elif column.name == "status":
                kind = "status"
            elif column.name == "due_date" and overdue:
                kind = "overdue"
            elif getattr(value, "year", None):
                kind = "date"
            else:
                kind = ""
            cells.append((label, kind, value))
        rows.append((reverse(detail, args=[obj.pk]), getattr(obj, "status", ""), overdue, cells))
    return rows


@login_required
def record_list(request: HttpRequest, register: str) -> HttpResponse:
    rt = _register(register)
    require_person(request)
    filterset, queryset, sort = filtered(request, rt)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    if per_page not in PAGE_SIZES:
        per_page = PAGE_SIZES[0]
    page = tally.Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    context = {
        "rt": rt,
        "filter": filterset,
        "page": page,
        "rows": table_rows(rt, page.object_list),
        "sort": sort,
        "query": params.urlencode(),
        "sort_query": sort_params.urlencode(),
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "can_create": permissions.can_create(request.user, rt.model),
    }
    template = "core/_table.html" if request.htmx else "core/record_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def record_export(
    request: HttpRequest, register: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    rt = _register(register)
    if not permissions.can_export(request.user):
        raise PermissionDenied
    _filterset, queryset, _sort = filtered(request, rt)
    count = queryset.count()
    trail.append(
        action=trail.TrailAction.EXPORT,
        stream=f"user:{request.user.get_username()}",
        reference=rt.slug,
        changes={"register": rt.slug, "format": fmt, "filter": request.GET.dict(), "rows": count},
    )
    filename = f"{rt.slug}"
    columns, related, many = export_columns(rt)
    rows = queryset.select_related(*related).prefetch_related(*many).iterator(chunk_size=2000)
    if fmt == "xlsx":
        return xlsx_response(rows, columns, filename)
    return csv_response(rows, columns, filename)


_step_forms: dict[tuple[str, str], type[StepForm]] = {}


def step_form(rt: RegisterType, t: Transition, record: Any, data: Any = None) -> StepForm | None:
    """The form of the fields step ``t`` carries, or None when it carries none."""
    if not t.step_fields:
        return None
    key = (rt.slug, t.name)
    if key not in _step_forms:
        _step_forms[key] = step_form_for(rt.model, t.step_fields, rt.form_base)
    return _step_forms[key](data, instance=record, prefix=t.name, required=t.required)


def _get_visible(request: HttpRequest, rt: RegisterType, pk: int) -> Any:
    return permissions.visible_or_404(rt.record_queryset(), request.user, pk=pk)


def detail_context(request: HttpRequest, rt: RegisterType, record: Any) -> dict[str, Any]:
    """The page of a record found among those this person may see."""
    workflow = rt.workflow
    user = request.user
    # The register's part first: it may load what the steps' checks read (the actions).
    extra = rt.call("detail_context", request, record) or {}
    available = []
    for t in workflow.available(record, user):  # type: ignore[arg-type]
        available.append(
            {
                "t": t,
                "problems": workflow.problems(t, record),
                "form": TransitionForm(initial={"transition": t.name, "version": record.version}),
                "step_form": step_form(rt, t, record),
            }
        )
    context = {
        "rt": rt,
        "record": record,
        "field_sections": field_sections(record, rt),
        "state_label": workflow.label(record.status),
        "state_chart": state_chart(workflow, record.status),
        "transitions": available,
        "comments": Comment.objects.for_record(record).select_related("author"),
        "attachments": Attachment.objects.for_record(record).select_related("uploaded_by"),
        "signatures": Signature.objects.for_record(record).select_related("signer", "supersession"),
        # Signed content that no longer matches its signature's hash: shown as a warning.
        "signed_mismatch": signoff.mismatched(record),
        "events": trail.record_history(record),
        "can_edit": permissions.can_edit(user, record),
        "can_comment": permissions.can_comment(user, record, visible=True),
        "can_attach": permissions.can_attach(user, record, visible=True),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
    }
    context.update(extra)
    context["sections"] = [(s.template, s.render_context(request, record)) for s in rt.sections]
    return context


def field_sections(record: Any, rt: RegisterType) -> list[FieldSection]:
    """The record's filled fields in the sections of its form; a section the register
    draws itself carries its template."""
    sections = record_sections(record, rt.fieldsets)
    for section in sections:
        section.template = next(
            (t for name, t in rt.section_templates.items() if name in section.names), ""
        )
    return sections


def display_fields(record: Any, rt: RegisterType) -> list[tuple[str, Any]]:
    """The record's fields as (label, value) rows, for its page and its PDF."""
    names = list(rt.form_class.Meta.fields)
    rows = []
    for name in names:
        field = record._meta.get_field(name)
        display = getattr(record, f"get_{name}_display", None)
        if callable(display):
            value = display()
        elif field.many_to_many:
            value = ", ".join(str(o) for o in getattr(record, name).all())
        else:
            value = getattr(record, name)
        if isinstance(value, Decimal):
            value = numbers.plain(value)
        rows.append((capfirst(str(field.verbose_name)), value))
    return rows


@login_required
def record_detail(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    inbox.seen(request.user, record)
    return render(request, "core/record_detail.html", detail_context(request, rt, record))


@login_required
def record_create(request: HttpRequest, register: str) -> HttpResponse:
    rt = _register(register)
    if not permissions.can_create(request.user, rt.model):
        raise PermissionDenied
    form_class = rt.create_form_class or rt.form_class
    data = (request.POST, request.FILES) if request.method == "POST" else (None,)
    form = form_class(*data, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record = form.save()
        record_created.send(type(record), record=record, user=request.user)
        messages.success(request, _("%(ref)s was recorded.") % {"ref": record.reference})
        return redirect(f"{rt.slug}_detail", pk=record.pk)
    status = 400 if form.is_bound else 200
    return render(request, "core/record_form.html", {"rt": rt, "form": form}, status=status)


@login_required
def record_edit(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    if not permissions.can_edit(request.user, record):
        raise PermissionDenied
    data = (request.POST, request.FILES) if request.method == "POST" else (None,)
    form = rt.form_class(*data, instance=record, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                # The record, its many-to-many fields and their trail events, all or nothing.
                with transaction.atomic():
                    form.save()
            except StaleRecordError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Changes saved."))
                if getattr(form.instance, "superseded_signatures", None):
                    messages.warning(
                        request,
                        _(
                            "Signed content changed: the signature is superseded and the "
                            "record is back to “%(state)s” to be signed again."
                        )
                        % {"state": rt.workflow.label(form.instance.status)},
                    )
                return redirect(f"{rt.slug}_detail", pk=record.pk)
    return render(
        request, "core/record_form.html", {"rt": rt, "form": form, "record": record}, status=status
    )


@login_required
@require_POST
def record_transition(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return redirect(f"{rt.slug}_detail", pk=record.pk)
    data = form.cleaned_data
    if data.get("version") is not None:
        record.version = data["version"]
    workflow, fields = rt.workflow, None
    try:
        t = workflow.transition(data["transition"])
        if record.status in t.sources and not workflow.allowed_by_role(t, record, request.user):  # type: ignore[arg-type]
            raise PermissionDenied
        # The step's own fields, converted and checked by their form, then set by the
        # workflow before it looks at what the step requires.
        fields = step_form(rt, t, record, request.POST)
        if fields is not None and not fields.is_valid():
            raise TransitionError({n: [str(m) for m in e] for n, e in fields.errors.items()})
        workflow.perform(
            record,
            t.name,
            request.user,  # type: ignore[arg-type]
            comment=data.get("comment", ""),
            password=data.get("password", ""),
            values=fields.values() if fields is not None else None,
        )
    except TransitionError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from exc
        record = _get_visible(request, rt, pk)
        context = detail_context(request, rt, record)
        for item in context["transitions"]:
            if item["t"].name == data["transition"]:
                # Nothing typed is lost: the step is shown again with what was sent.
                item["form"] = TransitionForm(initial={**data, "password": ""})
                if fields is not None:
                    fields.mark(exc.problems)
                    item["step_form"] = fields
                item["errors"] = exc.problems
                item["open"] = True
        messages.error(request, _("That step could not be taken: see what is missing below."))
        return render(request, "core/record_detail.html", context, status=exc.status)
    except StaleRecordError as exc:
        messages.error(request, str(exc))
        return redirect(f"{rt.slug}_detail", pk=record.pk)
    messages.success(
        request,
        _("%(ref)s: %(label)s done; now %(state)s.")
        % {"ref": record.reference, "label": t.label, "state": rt.workflow.label(record.status)},
    )
    return redirect(f"{rt.slug}_detail", pk=record.pk)


@login_required
@require_POST
def record_comment(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    if not permissions.can_comment(request.user, record):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            comment = Comment(author=require_person(request), text=form.cleaned_data["text"])
            comment.link_to(record)
            comment.save()
            trail.append(action=trail.TrailAction.COMMENT, instance=record, message=comment.text)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment is empty or too long."))
    return redirect(f"{rt.slug}_detail", pk=record.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    if not permissions.can_attach(request.user, record):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        context = detail_context(request, rt, record)
        context["attachment_form"] = form
        messages.error(request, _("The file was not attached: see the message below."))
        return render(request, "core/record_detail.html", context, status=400)
    name, mime, sha256 = form.checked
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        attachment = Attachment(
            original_name=name,
            mime_type=mime,
            size=upload.size,
            sha256=sha256,
            description=form.cleaned_data["description"],
            uploaded_by=require_person(request),
        )
        attachment.link_to(record)
        attachment.file.save(f"{sha256[:16]}-{name}", upload, save=False)
        attachment.save()
        trail.append(
            action=trail.TrailAction.ATTACHMENT,
            instance=record,
            changes={"file": name, "sha256": sha256, "size": upload.size, "type": mime},
        )
    messages.success(request, _("%(name)s attached.") % {"name": name})
    return redirect(f"{rt.slug}_detail", pk=record.pk)


@login_required
def attachment_download(
    request: HttpRequest, register: str, pk: int, attachment_id: int
) -> FileResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    attachment = get_object_or_404(Attachment.objects.for_record(record), pk=attachment_id)
    trail.append(
        action=trail.TrailAction.DOWNLOAD,
        instance=record,
        changes={"file": attachment.original_name, "sha256": attachment.sha256},
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
    response["Content-Type"] = attachment.mime_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def record_pdf(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    rt = _register(register)
    record = _get_visible(request, rt, pk)
    if rt.pdf is not None:
        pdf = rt.call("pdf", request, record)
    else:
        from hoshin.core.report import record_pdf as generic_pdf

        pdf = generic_pdf(request, rt, record)
    trail.append(
        action=trail.TrailAction.EXPORT,
        instance=record,
        changes={"format": "pdf"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{record.reference}.pdf"'
    return response
