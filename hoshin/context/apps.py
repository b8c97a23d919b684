from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContextConfig(AppConfig):
    name = "hoshin.context"
    label = "context"
    verbose_name = _("Context of the organisation (clause 4)")

    def ready(self) -> None:
        from hoshin.core.demo import loaders as demo

        demo.register(
            "processes",
            "hoshin.context.demo.load",
            after=["organisation"],
            conflicts="hoshin.context.demo.conflicts",
        )
