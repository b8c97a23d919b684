"""The inbox's URLs (included at the site's root)."""

from django.urls import path

from hoshin.core import inbox_views

urlpatterns = [
    path("inbox/", inbox_views.inbox_page, name="inbox"),
    path("inbox/read/", inbox_views.mark_read, name="inbox_read"),
    path("follow/<slug:register>/<int:pk>/", inbox_views.follow, name="follow"),
    path("me/digest/", inbox_views.my_digest, name="my_digest"),
    path("remind/<int:ct>/<int:pk>/<int:person>/", inbox_views.remind, name="remind"),
]
