"""URLs derived from the registry: every register has the same pages and URL names."""

from django.urls import URLPattern, path

from hoshin.core import actions, views
from hoshin.core.registry import registry


def register_urls() -> list[URLPattern]:
    patterns = []
    for rt in registry:
        s = rt.slug
        kw = {"register": s}
        patterns += [
            path(f"{s}/", views.record_list, kw, name=f"{s}_list"),
            path(f"{s}/new/", views.record_create, kw, name=f"{s}_create"),
            path(
                f"{s}/export.csv", views.record_export, {**kw, "fmt": "csv"}, name=f"{s}_export_csv"
            ),
            path(
                f"{s}/export.xlsx",
                views.record_export,
                {**kw, "fmt": "xlsx"},
                name=f"{s}_export_xlsx",
            ),
            path(f"{s}/<int:pk>/", views.record_detail, kw, name=f"{s}_detail"),
            path(f"{s}/<int:pk>/edit/", views.record_edit, kw, name=f"{s}_edit"),
            path(f"{s}/<int:pk>/transition/", views.record_transition, kw, name=f"{s}_transition"),
            path(f"{s}/<int:pk>/comment/", views.record_comment, kw, name=f"{s}_comment"),
            path(f"{s}/<int:pk>/attach/", views.attachment_upload, kw, name=f"{s}_attach"),
            path(
                f"{s}/<int:pk>/files/<int:attachment_id>/",
                views.attachment_download,
                kw,
                name=f"{s}_attachment",
            ),
            path(f"{s}/<int:pk>/report.pdf", views.record_pdf, kw, name=f"{s}_pdf"),
        ]
        if rt.action_kind:
            patterns += [
                path(f"{s}/<int:pk>/actions/new/", actions.action_form, kw, name=f"{s}_action_add"),
                path(
                    f"{s}/<int:pk>/actions/<int:action_id>/",
                    actions.action_form,
                    kw,
                    name=f"{s}_action_edit",
                ),
            ]
    return patterns
