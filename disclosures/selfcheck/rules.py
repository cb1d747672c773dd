"""The pre-check rules of one OIT item: each failing rule is a Thai sentence
telling the office what to do (msgids in English, Thai in the catalogue).

Pure functions over data already loaded (``ItemFacts``), so a whole year, or
the years of many organisations, are checked without a query per item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.models import Item, ItemRole, Organisation
from ita_portal.thai import fiscal_year_end, thai_date

from ..models import Disclosure, Entry
from ..periods import EvidencePeriod, evidence_period
from ..selectors import GENERATED_ROLES

THAI_MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)


@dataclass
class MeasureFacts:
    """What the generated measure items need: each measure's name and whether it has a follow-up."""

    title: str
    has_follow_up: bool


@dataclass
class ItemFacts:
    organisation: Organisation
    fiscal_year: int
    item: Item
    disclosure: Disclosure | None
    entries: list[Entry] = field(default_factory=list)
    ticks: dict[str, int | None] = field(default_factory=dict)  # content line -> entry id
    measures: list[MeasureFacts] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)


def _short(day: dt.date) -> str:
    return thai_date(day, short=True)


def _span(start: dt.date, end: dt.date) -> str:
    return f"{_short(start)} – {_short(end)}"


def rule_published(facts: ItemFacts) -> list[str]:
    if facts.disclosure is None:
        return [_("The item has not been started: open it, add its evidence and publish it.")]
    if not facts.disclosure.is_published:
        return [_("The item is not published: check its content and press “Publish”.")]
    return []


def rule_evidence(facts: ItemFacts) -> list[str]:
    if facts.item.role in GENERATED_ROLES:
        return []
    if not facts.entries:
        return [
            _(
                "The item has no document or link: upload a document or add a link "
                "(an explanation alone is not evidence)."
            )
        ]
    return []


def _months_due(facts: ItemFacts, period: EvidencePeriod) -> list[tuple[dt.date, dt.date]]:
    """Months that must have an entry: up to the current month, every month for a past year."""
    if facts.today > fiscal_year_end(facts.fiscal_year):
        return period.spans
    return [span for span in period.spans if span[0] <= facts.today]


def rule_period(facts: ItemFacts) -> list[str]:
    period = evidence_period(facts.item, facts.fiscal_year)
    if period is None or not period.spans or facts.item.role in GENERATED_ROLES:
        return []
    findings: list[str] = []
    first, last = period.spans[0][0], period.spans[-1][1]
    for entry in facts.entries:
        if entry.date is None:
            findings.append(
                _(
                    "“%(title)s” has no date: enter the date of the document so the "
                    "period (%(period)s) can be checked."
                )
                % {"title": entry.title, "period": _span(first, last)}
            )
        elif not first <= entry.date <= last:
            findings.append(
                _(
                    "“%(title)s” dated %(date)s is outside %(label)s (%(period)s): upload this "
                    "period's version or correct the date."
                )
                % {
                    "title": entry.title,
                    "date": _short(entry.date),
                    "label": _period_words(facts.item.period, facts.fiscal_year),
                    "period": _span(first, last),
                }
            )
    if period.monthly and facts.entries:
        dated = [e.date for e in facts.entries if e.date is not None]
        missing = [
            start
            for start, end in _months_due(facts, period)
            if not any(start <= day <= end for day in dated)
        ]
        if missing:
            names = ", ".join(f"{THAI_MONTHS_FULL[m.month - 1]} {m.year + 543}" for m in missing)
            findings.append(
                _("No entry is dated in %(months)s: add the report of each of these months.")
                % {"months": names}
            )
    return findings


def _period_words(period: str, fiscal_year: int) -> str:
    if period == "previous_year":
        return _("fiscal year %(year)s") % {"year": fiscal_year - 1}
    if period == "first_half":
        return _("the first six months of fiscal year %(year)s") % {"year": fiscal_year}
    return _("fiscal year %(year)s") % {"year": fiscal_year}


def rule_signed(facts: ItemFacts) -> list[str]:
    if not facts.item.signed_by_head or facts.item.role in GENERATED_ROLES:
        return []
    if any(e.is_document and e.signed for e in facts.entries):
        return []
    return [
        _(
            "The item must be signed by the head of the agency: upload the signed document "
            "and tick “Signed by the head” beside it."
        )
    ]


# Pages the portal builds itself always show their required parts (the statistics
# table has received / closed / in progress and says "no complaints" when none).
SELF_BUILT = frozenset({ItemRole.COMPLAINT_STATISTICS, ItemRole.MEASURES, ItemRole.MEASURE_RESULTS})


def rule_contents(facts: ItemFacts) -> list[str]:
    lines = facts.item.content_lines
    if not lines or facts.item.role in SELF_BUILT:
        return []
    entry_ids = {e.pk for e in facts.entries}
    missing = [line for line in lines if facts.ticks.get(line) not in entry_ids]
    if not missing:
        return []
    return [
        _(
            "Not yet confirmed: %(lines)s. Tick each content on the item page and choose the "
            "document or link that shows it."
        )
        % {"lines": "; ".join(f"“{line}”" for line in missing)}
    ]


def rule_links(facts: ItemFacts) -> list[str]:
    findings = []
    for entry in facts.entries:
        if entry.is_document:
            continue
        if entry.link_error:
            findings.append(
                _(
                    "The link “%(title)s” did not answer when it was checked (%(error)s): "
                    "correct the address or replace it with a document."
                )
                % {"title": entry.title, "error": entry.link_error}
            )
        elif entry.link_status is not None and entry.link_status >= 400:
            findings.append(
                _(
                    "The link “%(title)s” answers with error %(status)s: correct the address "
                    "or replace it with a document."
                )
                % {"title": entry.title, "status": entry.link_status}
            )
    return findings


def rule_generated(facts: ItemFacts) -> list[str]:
    role = facts.item.role
    if role == ItemRole.MEASURES and not facts.measures:
        return [
            _(
                "No integrity measure is recorded for fiscal year %(year)s: add the year's "
                "measures in “Measures”; this item lists them."
            )
            % {"year": facts.fiscal_year}
        ]
    if role == ItemRole.MEASURE_RESULTS:
        if not facts.measures:
            return [
                _(
                    "No integrity measure is recorded for fiscal year %(year)s, so there are no "
                    "results to show: add the measures and report their progress."
                )
                % {"year": facts.fiscal_year}
            ]
        pending = [m.title for m in facts.measures if not m.has_follow_up]
        if pending:
            return [
                _("No progress report yet for %(measures)s: report each measure's results.")
                % {"measures": "; ".join(f"“{title}”" for title in pending)}
            ]
    return []


RULES = (
    rule_published,
    rule_evidence,
    rule_period,
    rule_signed,
    rule_contents,
    rule_links,
    rule_generated,
)


def item_findings(facts: ItemFacts) -> list[str]:
    findings: list[str] = []
    for rule in RULES:
        findings.extend(rule(facts))
    return findings


# --- The public address's host (a warning, never blocking) ------------------------


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def own_domain(organisation: Organisation) -> bool:
    """The portal's pages are under the organisation's website host (itself or a sub-domain)."""
    portal, website = _host(settings.SITE_URL), _host(organisation.website)
    return bool(website) and (portal == website or portal.endswith("." + website))


def domain_warning(organisation: Organisation) -> str:
    if own_domain(organisation):
        return ""
    if not organisation.website:
        return _(
            "The organisation's website is not recorded: enter it in the organisation's "
            "details. Assessors expect the items on the office's own website: link each item "
            "from a page of your website, or ask your IT staff to serve the portal under your "
            "domain (e.g. ita.%(example)s)."
        ) % {"example": "your-office.go.th"}
    return _(
        "The item's address (%(portal)s) is not on your website (%(website)s): add a link to "
        "each item on a page of your website, or ask your IT staff to serve the portal under "
        "your domain (e.g. ita.%(website)s)."
    ) % {"portal": _host(settings.SITE_URL), "website": _host(organisation.website)}


__all__ = [
    "ItemFacts",
    "MeasureFacts",
    "domain_warning",
    "item_findings",
    "own_domain",
]
