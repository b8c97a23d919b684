from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "hoshin.support"
    label = "support"
    verbose_name = _("Support (clause 7)")

    def ready(self) -> None:
        from hoshin.support import dashboard, indicators, registers

        registers.register()
        dashboard.register_home()
        indicators.register_indicators()

        from hoshin.core.demo import loaders as demo

        demo.register("support", "hoshin.support.demo.load", after=["processes"])
