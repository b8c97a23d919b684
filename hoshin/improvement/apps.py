from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "hoshin.improvement"
    label = "improvement"
    verbose_name = _("Improvement (clause 10)")

    def ready(self) -> None:
        from hoshin.improvement import notifications, registers  # noqa: F401
