"""Perception surveys (IIT, EIT) run by an office itself.

The question bank is edition data (``Question``, ``QuestionItem``), loaded
and edited with the rest of the edition. A ``SurveyRound`` is one
organisation's survey for one fiscal year and instrument. ``Response`` and
``Answer`` hold what respondents chose and nothing else: no user, address,
browser or time finer than the day, and a random primary key so that the
order of responses tells nothing either. Answers name their sub-item by code,
not by row, so a provisional edition can be replaced by the real one without
touching them.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .framework import Edition, Indicator, Scheme
from .organisations import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Organisation

# No score is shown for a round with fewer responses than this (anonymity).
MIN_RESPONSES_SHOWN = 5


class AnswerScale(models.TextChoices):
    """The answer scales of the official forms. A choice's value is its score
    for a normal item; a reverse-scored item scores 100 minus it."""

    SCALE4 = "scale4", _("Four levels (least or none, little, much, most)")
    YES_NO = "yesno", _("Yes or no (มี / ไม่มี)")
    EVER = "ever", _("Ever or never (เคย / ไม่เคย)")


@dataclass(frozen=True)
class Choice:
    value: int
    label: str  # as printed on the official form, Thai


# Labels are the official forms' own Thai words, as respondents read them.
SCALE_CHOICES: dict[str, tuple[Choice, ...]] = {
    AnswerScale.SCALE4: (
        Choice(0, "น้อยที่สุดหรือไม่มีเลย"),
        Choice(33, "น้อย"),
        Choice(67, "มาก"),
        Choice(100, "มากที่สุด"),
    ),
    AnswerScale.YES_NO: (Choice(100, "มี"), Choice(0, "ไม่มี")),
    AnswerScale.EVER: (Choice(100, "เคย"), Choice(0, "ไม่เคย")),
}
ANSWER_VALUES = frozenset(c.value for choices in SCALE_CHOICES.values() for c in choices)


class Question(models.Model):
    """A question of a perception survey (I1 …, E1 …), under one indicator."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="questions")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(_("code"), max_length=10)
    number = models.PositiveSmallIntegerField(_("order"))
    text_th = models.TextField(_("question (Thai)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    scale = models.CharField(
        _("answer scale"), max_length=10, choices=AnswerScale.choices, default=AnswerScale.SCALE4
    )
    reverse = models.BooleanField(
        _("reverse-scored"),
        default=False,
        help_text=_("The default of its sub-items: the lowest answer scores 100."),
    )
    notes = models.TextField(
        _("notes under the question"), blank=True, help_text=_("One note per line.")
    )
    verify = models.BooleanField(_("to check against the NACC manual"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="question_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text_th[:60]}"

    @property
    def note_lines(self) -> list[str]:
        return [line.strip() for line in self.notes.splitlines() if line.strip()]

    @property
    def choices(self) -> tuple[Choice, ...]:
        return SCALE_CHOICES[self.scale]


class QuestionItem(models.Model):
    """One answer field: a sub-item of a question (I1.1), or the question itself
    when it has no sub-items (its code is then the question's)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=12)
    number = models.PositiveSmallIntegerField(_("order"), default=1)
    text_th = models.CharField(_("sub-item (Thai)"), max_length=500, blank=True)
    text_en = models.CharField(_("sub-item (English)"), max_length=500, blank=True)
    reverse = models.BooleanField(_("reverse-scored"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "number"]
        verbose_name = _("survey sub-item")
        verbose_name_plural = _("survey sub-items")
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="questionitem_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text_th[:60]}"


class SampleRule(models.Model):
    """The minimum sample of a scheme's survey, as data.

    minimum = min(population, max(at_least, ⌈population × percent / 100⌉)), then
    at most ``at_most``: OBEC's IIT is "at least 25, or all if fewer"
    (percent 0, at least 25); the EIT "10 %, at least 30, all if fewer than 30,
    400 above 4,000" (percent 10, at least 30, at most 400).
    """

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="sample_rules"
    )
    instrument_code = models.CharField(_("instrument"), max_length=16)
    percent = models.DecimalField(
        _("share of the population (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
    )
    at_least = models.PositiveIntegerField(_("at least"), default=0)
    at_most = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    population_note = models.CharField(
        _("who is counted"),
        max_length=255,
        blank=True,
        help_text=_("e.g. staff with at least one year of service"),
    )
    verify = models.BooleanField(_("to check against the manual"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "instrument_code"]
        verbose_name = _("minimum sample rule")
        verbose_name_plural = _("minimum sample rules")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "instrument_code"], name="samplerule_unique_instrument"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="samplerule_percent_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} {self.instrument_code}"


def new_round_code() -> str:
    # Short enough to type from a poster; unguessable enough for a public link.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(7))


class SurveyRoundQuerySet(models.QuerySet):
    def for_user(self, user) -> SurveyRoundQuerySet:
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class SurveyRound(models.Model):
    """An organisation's survey for one fiscal year and one instrument (IIT, EIT …)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="survey_rounds",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    # The code, not a row: the round survives an edition's replacement.
    instrument_code = models.CharField(_("instrument"), max_length=16)
    code = models.SlugField(
        _("public code"), max_length=16, unique=True, default=new_round_code, editable=False
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_(
            "IIT: staff with at least one year of service. EIT: people who used the "
            "agency's services in the year."
        ),
    )
    uses_codes = models.BooleanField(
        _("one-time codes"),
        default=False,
        help_text=_("Each respondent needs a one-time code: everyone answers once."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-fiscal_year", "instrument_code"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "instrument_code"],
                name="surveyround_unique_instrument",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")),
                name="surveyround_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=MIN_FISCAL_YEAR, fiscal_year__lte=MAX_FISCAL_YEAR),
                name="surveyround_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.instrument_code} {self.fiscal_year}"

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class OneTimeCode(models.Model):
    """A code that lets one person answer a round once. Marked used, with no time
    and no link to the response it allowed."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=16, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        ordering = ["round", "code"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return self.code


class ResponseSource(models.TextChoices):
    ONLINE = "online", _("Answered online")
    IMPORTED = "imported", _("Imported (paper or another form)")


class Response(models.Model):
    """One respondent's answers. Nothing here identifies the respondent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("submitted on"))
    source = models.CharField(
        _("source"), max_length=10, choices=ResponseSource.choices, default=ResponseSource.ONLINE
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["round", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.round} {self.submitted_on}"


class Answer(models.Model):
    """The choice's value (0–100) as for a normal item; reverse scoring is applied
    when scores are computed, so correcting a bank's reverse flag corrects them."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(_("sub-item"), max_length=12)
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item_code"], name="answer_unique_item"),
            models.CheckConstraint(
                condition=Q(value__in=sorted(ANSWER_VALUES)), name="answer_value_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}={self.value}"
