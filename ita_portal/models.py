"""Project-wide records: the one-time form tokens (``once.py``)."""

from __future__ import annotations

from django.conf import settings
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


class StoredPdf(models.Model):
    """A PDF the portal serves, made by the task queue, never in a web request.

    ``key`` names the document (``document:<organisation>:<year>:<kind>:<lang>``,
    ``poster:<round>:<lang>``); ``version`` is what it was made from (the
    organisation's content version, the language, the stylesheet's digest), so a
    request knows without rendering whether the stored file is current.
    ``wanted_version`` is the version a queued render is for: one render per
    version, however many visitors ask meanwhile. See ``ita_portal.pdf_store``.
    """

    key = models.CharField(_("key"), max_length=200)
    version = models.CharField(_("version"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="pdfs/", max_length=300, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    wanted_version = models.CharField(_("wanted version"), max_length=200, blank=True)
    # The version whose render failed, and why (for operators; never shown to visitors).
    failed_version = models.CharField(_("failed version"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("stored PDF")
        verbose_name_plural = _("stored PDFs")
        constraints = [
            models.UniqueConstraint(fields=["key"], name="stored_pdf_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class StaffPreference(models.Model):
    """A staff user's choices about the portal's e-mail: the weekly digest of what is due.

    ``digest_sent_week`` is the Monday of the last week a digest went out, so a
    rerun of the weekly job in the same week sends nothing twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_preference",
    )
    weekly_digest = models.BooleanField(
        _("weekly e-mail of what is due"),
        default=True,
        help_text=_("Every Monday: the work due and overdue in your agencies."),
    )
    digest_sent_week = models.DateField(
        _("digest last sent for the week of"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("staff e-mail preference")
        verbose_name_plural = _("staff e-mail preferences")

    def __str__(self) -> str:
        return str(self.user)
