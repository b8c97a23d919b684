from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hoshin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hoshin.core import indicators, signals, tally

        post_migrate.connect(tally.build_if_missing, sender=self)

        signals.connect_sign_in_events()
        from hoshin.core import dashboard, inbox, inbox_views

        inbox.connect()
        dashboard.register_panel(
            dashboard.Panel("core/_assigned_panel.html", inbox_views.assigned_panel, order=10)
        )
        indicators.register(indicators.ACTIONS_ON_TIME)

        from hoshin.core.demo import loaders as demo

        demo.register("organisation", "hoshin.core.demo.organisation.load")
