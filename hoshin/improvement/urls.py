from django.urls import path

from hoshin.improvement import views

urlpatterns = [
    path("nonconformities/<int:pk>/actions/new/", views.action_form, name="nc_action_add"),
    path(
        "nonconformities/<int:pk>/actions/<int:action_id>/",
        views.action_form,
        name="nc_action_edit",
    ),
    path("nonconformities/<int:pk>/costs/new/", views.cost_add, name="nc_cost_add"),
    path(
        "nonconformities/<int:pk>/costs/<int:cost_id>/void/", views.cost_void, name="nc_cost_void"
    ),
]
