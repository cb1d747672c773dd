from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """The project package is an app too, for its template filters and base templates."""

    name = "ita_portal"
    verbose_name = "ITA Portal"
