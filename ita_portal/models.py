"""Project-wide records: the one-time form tokens (``once.py``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormToken(models.Model):
    """A form submission already received: a second POST of the same form creates nothing.

    Kept in the database, not the cache, so a cache outage never lets a
    double-click through; rows older than a day are purged on write.
    """

    token = models.CharField(_("token"), max_length=64)
    # Where the first submission went, so the second is sent to the same page.
    target = models.CharField(_("target"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="form_token_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="form_token_created")]

    def __str__(self) -> str:
        return self.token
