from django.urls import path

from hoshin.core import actions
from hoshin.improvement import views

# The generic action pages under the names the nonconformity pages have always used.
NC = {"register": "nonconformities"}

urlpatterns = [
    path("nonconformities/<int:pk>/actions/new/", actions.action_form, NC, name="nc_action_add"),
    path(
        "nonconformities/<int:pk>/actions/<int:action_id>/",
        actions.action_form,
        NC,
        name="nc_action_edit",
    ),
    path("nonconformities/<int:pk>/costs/new/", views.cost_add, name="nc_cost_add"),
    path(
        "nonconformities/<int:pk>/costs/<int:cost_id>/void/", views.cost_void, name="nc_cost_void"
    ),
]
