from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = _("Measures and reports")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the file clean-up
