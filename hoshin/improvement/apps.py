from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "hoshin.improvement"
    label = "improvement"
    verbose_name = _("Improvement (clause 10)")

    def ready(self) -> None:
        from hoshin.improvement import dashboard, indicators, notifications, registers

        registers.register()
        dashboard.register_home()
        indicators.register_indicators()
        notifications.connect()

        from hoshin.core.demo import loaders as demo

        demo.register("improvement", "hoshin.improvement.demo.load", after=["processes"])
