"""Who may open and post to every staff page: the expectations the access matrix
(``tests/test_access_matrix.py``) checks, one row per staff URL name."""

from __future__ import annotations

from dataclasses import dataclass

STAFF_NAMESPACES = (
    "staff",
    "assessments_staff",
    "measures_staff",
    "disclosures_staff",
    "complaints_staff",
    "surveys_staff",
)

ORG_ROLES = ("admin", "editor", "viewer", "officer", "unit_editor")
OTHER_ROLES = ("other_admin", "other_editor", "other_viewer", "other_officer")
EVERYONE = ("anonymous", *ORG_ROLES, *OTHER_ROLES, "superuser")

MEMBERS = frozenset({"admin", "editor", "viewer", "officer", "unit_editor", "superuser"})
EDITORS = frozenset({"admin", "editor", "unit_editor", "superuser"})
WHOLE_ORG_EDITORS = EDITORS - {"unit_editor"}
# Records of another unit than the limited member's own.
EDITORS_OF_UNIT_1 = WHOLE_ORG_EDITORS
ADMINS = frozenset({"admin", "superuser"})
OFFICERS = frozenset({"officer"})
SUPERUSER = frozenset({"superuser"})
NOBODY = frozenset()
ANY_USER = frozenset(set(EVERYONE) - {"anonymous"})


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str]
    # Pages that answer the public too (files of published items): anonymous is allowed.
    public: bool = False


# url name → who may GET, who may POST. Everyone else: 404 (or the login page
# for anonymous visitors). "Allowed" means anything but 403/404/500 or the login page.
RULES: dict[str, Rule] = {
    "staff:dashboard": Rule(ANY_USER, ANY_USER),
    "staff:password-change": Rule(ANY_USER, ANY_USER),
    "staff:notifications": Rule(ANY_USER, ANY_USER),
    "staff:password-change-done": Rule(ANY_USER, NOBODY),
    "assessments_staff:results": Rule(MEMBERS, NOBODY),
    "assessments_staff:year-add": Rule(NOBODY, EDITORS),
    "assessments_staff:year": Rule(MEMBERS, EDITORS),
    "assessments_staff:items": Rule(MEMBERS, EDITORS),
    "assessments_staff:scores-download": Rule(MEMBERS - {"officer"}, NOBODY),
    "assessments_staff:instrument-scores-download": Rule(MEMBERS - {"officer"}, NOBODY),
    "assessments_staff:settings": Rule(EDITORS, EDITORS),
    # The organisation's own administration.
    "assessments_staff:organisation-new": Rule(SUPERUSER, SUPERUSER),
    "assessments_staff:organisation": Rule(ADMINS, ADMINS),
    "assessments_staff:units": Rule(ADMINS, ADMINS),
    "assessments_staff:unit": Rule(ADMINS, ADMINS),
    "assessments_staff:unit-move": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-merge": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-retire": Rule(NOBODY, ADMINS),
    "assessments_staff:unit-delete": Rule(NOBODY, ADMINS),
    "assessments_staff:members": Rule(ADMINS, ADMINS),
    "assessments_staff:member-invite": Rule(ADMINS, ADMINS),
    "assessments_staff:member-new": Rule(ADMINS, ADMINS),
    "assessments_staff:member": Rule(ADMINS, ADMINS),
    "assessments_staff:member-remove": Rule(NOBODY, ADMINS),
    "assessments_staff:member-unlock": Rule(NOBODY, ADMINS),
    "assessments_staff:history": Rule(ADMINS, NOBODY),
    "assessments_staff:schools-import": Rule(ADMINS, ADMINS),
    "measures_staff:years": Rule(MEMBERS, NOBODY),
    "measures_staff:year": Rule(MEMBERS, NOBODY),
    "measures_staff:measure-add": Rule(EDITORS, EDITORS),
    # Year-wide steps touch every unit's records: not for a member limited to units.
    "measures_staff:plan": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "measures_staff:copy": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "measures_staff:report-settings": Rule(MEMBERS, EDITORS),
    "measures_staff:report-publish": Rule(NOBODY, ADMINS),
    "measures_staff:documents": Rule(MEMBERS, NOBODY),
    "measures_staff:document-settings": Rule(MEMBERS, EDITORS),
    "measures_staff:document-publish": Rule(NOBODY, ADMINS),
    # The analysis in the office's words: every member reads, editors write (like the settings).
    "measures_staff:analysis-texts": Rule(MEMBERS, EDITORS),
    "measures_staff:announcements": Rule(MEMBERS, NOBODY),
    "measures_staff:announcement-add": Rule(EDITORS, EDITORS),
    "measures_staff:announcement": Rule(MEMBERS, EDITORS),
    "measures_staff:announcement-preview": Rule(MEMBERS, NOBODY),
    "measures_staff:announcement-delete": Rule(EDITORS, EDITORS),
    "measures_staff:measure": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "measures_staff:measure-delete": Rule(EDITORS_OF_UNIT_1, EDITORS_OF_UNIT_1),
    "measures_staff:measure-move": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:follow-ups": Rule(MEMBERS, NOBODY),
    "measures_staff:follow-up-add": Rule(EDITORS_OF_UNIT_1, EDITORS_OF_UNIT_1),
    "measures_staff:follow-up": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-upload": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-link": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-update": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "measures_staff:evidence-delete": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:links-mine-csv": Rule(ANY_USER, NOBODY),
    "disclosures_staff:links-mine-xlsx": Rule(ANY_USER, NOBODY),
    "disclosures_staff:years": Rule(MEMBERS, NOBODY),
    "disclosures_staff:year": Rule(MEMBERS, NOBODY),
    "disclosures_staff:copy": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "disclosures_staff:start-provisional": Rule(NOBODY, EDITORS),
    "disclosures_staff:links-csv": Rule(MEMBERS, NOBODY),
    "disclosures_staff:links-xlsx": Rule(MEMBERS, NOBODY),
    # An ESA's roll-up of its schools: every member but complaint officers; nothing to post.
    "disclosures_staff:rollup-current": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:rollup": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:rollup-xlsx": Rule(MEMBERS - {"officer"}, NOBODY),
    "disclosures_staff:item": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "disclosures_staff:publish": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:upload": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:link": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry": Rule(MEMBERS, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-delete": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-move": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:entry-signed": Rule(NOBODY, EDITORS_OF_UNIT_1),
    "disclosures_staff:contents": Rule(NOBODY, EDITORS_OF_UNIT_1),
    # The self-assessment review. The world has no submission and no assessor, so the
    # steps on a submission are a 404 for all here; tests/disclosures/test_review_access.py
    # tries them with assessors of the parent, of the organisation and of a stranger.
    "disclosures_staff:reviews": Rule(ANY_USER, NOBODY),
    "disclosures_staff:self-assessment": Rule(MEMBERS, NOBODY),
    "disclosures_staff:self-assessment-submit": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "disclosures_staff:self-assessment-withdraw": Rule(NOBODY, ADMINS),
    "disclosures_staff:self-assessment-publish": Rule(NOBODY, ADMINS),
    "disclosures_staff:self-assessment-clarify": Rule(NOBODY, NOBODY),
    "disclosures_staff:clarification-file": Rule(NOBODY, NOBODY),
    "disclosures_staff:review": Rule(SUPERUSER, NOBODY),
    # The predicted (self-assessed) result: read by members, recorded for the whole year.
    "disclosures_staff:predicted": Rule(MEMBERS, NOBODY),
    "disclosures_staff:predicted-record": Rule(NOBODY, WHOLE_ORG_EDITORS),
    "disclosures_staff:review-deadline": Rule(NOBODY, NOBODY),
    "disclosures_staff:review-confirm": Rule(NOBODY, NOBODY),
    "disclosures_staff:review-item": Rule(NOBODY, NOBODY),
    "complaints_staff:queue": Rule(OFFICERS, NOBODY),
    "complaints_staff:record": Rule(OFFICERS, OFFICERS),
    "complaints_staff:case": Rule(OFFICERS, NOBODY),
    "complaints_staff:reveal": Rule(NOBODY, OFFICERS),
    "complaints_staff:attachment": Rule(OFFICERS, NOBODY),
    "complaints_staff:assign": Rule(NOBODY, OFFICERS),
    "complaints_staff:accept": Rule(NOBODY, OFFICERS),
    "complaints_staff:reject": Rule(NOBODY, OFFICERS),
    "complaints_staff:investigate": Rule(NOBODY, OFFICERS),
    "complaints_staff:conclude": Rule(NOBODY, OFFICERS),
    "complaints_staff:forward": Rule(NOBODY, OFFICERS),
    "complaints_staff:message": Rule(NOBODY, OFFICERS),
    "complaints_staff:note": Rule(NOBODY, OFFICERS),
    # Importing a survey round's answers: the whole organisation's editors; the empty
    # template (the questions, no answers) for every member.
    "surveys_staff:import": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:import-template": Rule(MEMBERS, NOBODY),
    # Survey rounds: every member sees (aggregates only); the whole organisation's editors
    # open and change rounds and make codes; the ESA's administrators open its schools'.
    "surveys_staff:surveys": Rule(MEMBERS, WHOLE_ORG_EDITORS),
    "surveys_staff:round": Rule(MEMBERS, NOBODY),
    "surveys_staff:round-edit": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:poster": Rule(MEMBERS, NOBODY),
    "surveys_staff:scores-download": Rule(MEMBERS, NOBODY),
    "surveys_staff:codes": Rule(MEMBERS, WHOLE_ORG_EDITORS),
    "surveys_staff:codes-slips": Rule(MEMBERS, NOBODY),
    "surveys_staff:codes-email": Rule(WHOLE_ORG_EDITORS, WHOLE_ORG_EDITORS),
    "surveys_staff:schools": Rule(ADMINS, ADMINS),
}
