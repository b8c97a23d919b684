from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "hoshin.planning"
    label = "planning"
    verbose_name = _("Planning and measurement (clauses 6 and 9.1)")

    def ready(self) -> None:
        from hoshin.planning import dashboard, registers

        registers.register()
        dashboard.register_home()

        from hoshin.core.demo import loaders as demo

        demo.register("planning", "hoshin.planning.demo.load", after=["improvement", "support"])
