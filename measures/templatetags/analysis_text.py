"""``{% office_analysis report as office %}``: the analysis in the office's words, for the
plan's and the annual report's analysis chapters."""

from __future__ import annotations

from django import template

from measures.analysis_text import OfficeAnalysis, office_analysis

register = template.Library()


@register.simple_tag(name="office_analysis")
def office_analysis_tag(report) -> OfficeAnalysis:
    # Read once per rendering: the contents and the chapter both ask for it.
    found = getattr(report, "_office_analysis", None)
    if found is None:
        found = office_analysis(
            organisation=report.organisation,
            fiscal_year=report.fiscal_year,
            result=report.analysis,
            sub_indicators=report.sub_indicators,
            settings=report.settings,
        )
        report._office_analysis = found
    return found
