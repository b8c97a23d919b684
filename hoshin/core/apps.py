from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hoshin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from hoshin.core import indicators, signals

        signals.connect_sign_in_events()
        from hoshin.core import dashboard, inbox, inbox_views

        inbox.connect()
        dashboard.register_panel(
            dashboard.Panel("core/_assigned_panel.html", inbox_views.assigned_panel, order=10)
        )
        indicators.register(indicators.ACTIONS_ON_TIME)

        from hoshin.core.demo import loaders as demo

        demo.register("organisation", "hoshin.core.demo.organisation.load")
