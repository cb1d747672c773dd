from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosures"
    verbose_name = _("Disclosures (OIT)")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the file clean-up
