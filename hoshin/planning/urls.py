from django.urls import path, re_path

from hoshin.planning import imports, views

urlpatterns = [
    path("risks/heat-map/", views.heat_map, name="risks_heat_map"),
    path(
        "nonconformities/<int:pk>/risk/",
        views.risk_from_nonconformity,
        name="nc_raise_risk",
    ),
    path("kpis/overview/", views.kpi_overview, name="kpis_overview"),
    path("kpis/import/", imports.import_view, name="kpis_import"),
    re_path(
        r"^kpis/import/template\.(?P<fmt>csv|xlsx)$",
        imports.template_view,
        name="kpis_import_template",
    ),
    path("kpis/<int:pk>/measurements/new/", views.measurement_add, name="kpi_measurement_add"),
    path(
        "kpis/<int:pk>/measurements/<int:measurement_id>/void/",
        views.measurement_void,
        name="kpi_measurement_void",
    ),
    path("objectives/on-track/", views.on_track, name="objectives_on_track"),
]
