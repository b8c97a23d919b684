from django.urls import path

from hoshin.support import views

V = "documents/<int:pk>/versions/<int:number>/"

urlpatterns = [
    path("documents/search/", views.document_search, name="documents_search"),
    path("documents/to-read/", views.to_read, name="documents_to_read"),
    path("documents/preview/", views.preview, name="document_preview"),
    path("documents/master-list.pdf", views.master_list_pdf, name="documents_master_pdf"),
    path("documents/<int:pk>/compare/", views.compare, name="document_compare"),
    path("documents/<int:pk>/review/", views.periodic_review, name="document_review"),
    path("documents/<int:pk>/versions/new/", views.version_new, name="document_version_new"),
    path(V, views.version_detail, name="document_version"),
    path(V + "edit/", views.version_edit, name="document_version_edit"),
    path(V + "submit/", views.version_submit, name="document_version_submit"),
    path(V + "sign/", views.version_sign, name="document_version_sign"),
    path(V + "recall/", views.version_recall, name="document_version_recall"),
    path(V + "acknowledge/", views.acknowledge, name="document_acknowledge"),
    path(V + "readers/", views.readers, name="document_readers"),
    path(V + "file/", views.version_file, name="document_file"),
    path(V + "copy.pdf", views.version_copy, name="document_copy"),
]
