"""The checks of ``edition_data`` in an office's words: each problem with the
sheet and row it is on, in Thai.

``canonical()`` and ``edition_apply()`` name problems by section and key or
by position ("items #7 (O5): …", "item O5 names unknown sub-indicator …");
the workbook reader knows which row each record came from, so each message
is matched here and said again with its place. A message no pattern knows
is shown as it is rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..edition_data import FrameworkError
from .workbook import ParsedBook, located


class EditionImportError(FrameworkError):
    """A workbook that cannot be imported; ``errors`` names every problem, in Thai."""


SECTION_OF = {
    "instrument": "instruments",
    "indicator": "indicators",
    "sub-indicator": "sub_indicators",
    "item": "items",
    "level": "levels",
}

# What follows "<section> #<n> (<key>): " in canonical()'s messages.
ROW_PROBLEMS: list[tuple[re.Pattern, Callable[[dict], str]]] = [
    (
        re.compile(r"^(?P<field>\w+) is required$"),
        lambda m: _("“%(field)s” is empty; fill it in") % m,
    ),
    (
        re.compile(r"^(?P<field>\w+) (?P<key>.+) appears twice$"),
        lambda m: _("%(field)s “%(key)s” appears twice; each row needs its own") % m,
    ),
    (
        re.compile(r"^(?P<field>\w+): not a number: '?(?P<value>.*?)'?$"),
        lambda m: _("“%(field)s” must be a number, not “%(value)s”") % m,
    ),
    (
        re.compile(r"^unknown fields \[(?P<names>.*)\]$"),
        lambda m: _("unknown columns: %(names)s") % m,
    ),
]
ROW_MESSAGE = re.compile(
    r"^(?P<section>instruments|indicators|sub_indicators|items|levels) #(?P<pos>\d+) "
    r"\((?P<key>.*?)\): (?P<rest>.*)$"
)

# (pattern, sheet, how the row is found, the Thai text)
# "key": the row of the record named by the "key" group in the sheet;
# ("edition", field): the edition sheet's row for that field; None: no row.
KEYED: list[tuple[re.Pattern, str, object, Callable[[dict], str]]] = [
    (
        re.compile(r"^edition (?P<field>first_year|last_year) must be a year, not (?P<value>.*)$"),
        "edition",
        "field",
        lambda m: _("“%(field)s” must be a Buddhist-era year such as 2569") % m,
    ),
    (
        re.compile(r"^pass_mark: not a number: '?(?P<value>.*?)'?$"),
        "edition",
        ("edition", "pass_mark"),
        lambda m: _("“pass_mark” must be a number, not “%(value)s”") % m,
    ),
    (
        re.compile(r"^the edition has no code$"),
        "edition",
        ("edition", "code"),
        lambda m: _("the edition has no code; fill in “code”"),
    ),
    (
        re.compile(r"^the edition has no Thai name$"),
        "edition",
        ("edition", "name_th"),
        lambda m: _("the edition has no Thai name; fill in “name_th”"),
    ),
    (
        re.compile(r"^first_year (?P<a>\d+) is after last_year (?P<b>\d+)$"),
        "edition",
        ("edition", "first_year"),
        lambda m: _("the first year %(a)s is after the last year %(b)s") % m,
    ),
    (
        re.compile(r"^unknown indicator_levels '?(?P<value>.*?)'?$"),
        "edition",
        ("edition", "indicator_levels"),
        lambda m: _("“indicator_levels” must be “levels” or “pass_fail”, not “%(value)s”") % m,
    ),
    (
        re.compile(r"^years (?P<a>\d+)–(?P<b>\d+) overlap edition (?P<code>\S+) \((?P<y>.*)\)$"),
        "edition",
        ("edition", "first_year"),
        lambda m: (
            _(
                "the years %(a)s–%(b)s overlap the edition %(code)s (%(y)s) of the same scheme; "
                "change the years or the code"
            )
            % m
        ),
    ),
    (
        re.compile(r"^unknown scheme '?(?P<value>.*?)'?$"),
        "edition",
        ("edition", "scheme"),
        lambda m: _("there is no scheme “%(value)s”; add it in the admin first") % m,
    ),
    (
        re.compile(r"^an edition needs at least one instrument$"),
        "instruments",
        None,
        lambda m: _("an edition needs at least one instrument"),
    ),
    (
        re.compile(r"^instrument code '(?P<key>.*)': capital letters and digits only$"),
        "instruments",
        "key",
        lambda m: _("the code “%(key)s” may have only capital letters and digits") % m,
    ),
    (
        re.compile(r"^instrument (?P<key>\S+): weight must be above 0 and at most 100$"),
        "instruments",
        "key",
        lambda m: _("the weight of %(key)s must be above 0 and at most 100") % m,
    ),
    (
        re.compile(r"^instrument weights add up to (?P<sum>\S+), not 100$"),
        "instruments",
        None,
        lambda m: _("the weights add up to %(sum)s; they must add up to 100") % m,
    ),
    (
        re.compile(r"^indicator number '(?P<key>.*)' is not a number$"),
        "indicators",
        "key",
        lambda m: _("the indicator number “%(key)s” is not a number") % m,
    ),
    (
        re.compile(r"^indicator (?P<key>\S+) names unknown instrument '(?P<value>.*)'$"),
        "indicators",
        "key",
        lambda m: (
            _(
                "indicator %(key)s names the instrument “%(value)s”, which is not on the "
                "instruments sheet"
            )
            % m
        ),
    ),
    (
        re.compile(r"^instrument (?P<key>\S+) has no indicator$"),
        "instruments",
        "key",
        lambda m: _("no indicator belongs to the instrument %(key)s") % m,
    ),
    (
        re.compile(r"^sub-indicator (?P<key>\S+) names unknown indicator '(?P<value>.*)'$"),
        "sub_indicators",
        "key",
        lambda m: (
            _(
                "sub-indicator %(key)s names the indicator “%(value)s”, which is not on the "
                "indicators sheet"
            )
            % m
        ),
    ),
    (
        re.compile(r"^item (?P<key>\S+) names unknown sub-indicator '(?P<value>.*)'$"),
        "items",
        "key",
        lambda m: (
            _(
                "item %(key)s names the sub-indicator “%(value)s”, which is not on the "
                "sub_indicators sheet"
            )
            % m
        ),
    ),
    (
        re.compile(r"^item (?P<key>\S+) has unknown role '(?P<value>.*)'$"),
        "items",
        "key",
        lambda m: _("item %(key)s: “%(value)s” is not a role the portal knows") % m,
    ),
    (
        re.compile(r"^item (?P<key>\S+) has unknown period '(?P<value>.*)'$"),
        "items",
        "key",
        lambda m: (
            _(
                "item %(key)s: “%(value)s” is not a period; use current_year, previous_year, "
                "first_half, monthly or leave it empty"
            )
            % m
        ),
    ),
    (
        re.compile(r"^more than one item has the role '(?P<value>.*)'$"),
        "items",
        None,
        lambda m: _("more than one item has the role “%(value)s”; keep it on one item") % m,
    ),
    (
        re.compile(r"^an edition needs result levels$"),
        "levels",
        None,
        lambda m: _("an edition needs result levels"),
    ),
    (
        re.compile(r"^no result level passes$"),
        "levels",
        None,
        lambda m: _("no result level passes; mark at least one “passed” TRUE"),
    ),
    (
        re.compile(r"^the lowest result level must start at 0 with no instrument condition$"),
        "levels",
        None,
        lambda m: _(
            "the lowest level must have min_total 0 and an empty min_instrument, so that "
            "every result has a level"
        ),
    ),
    (
        re.compile(r"^two result levels have the same rule$"),
        "levels",
        None,
        lambda m: _("two levels have the same min_total and min_instrument; change one of them"),
    ),
    (
        re.compile(r"^level (?P<key>\S+): (?P<field>\w+) must be within 0–100$"),
        "levels",
        "key",
        lambda m: _("level %(key)s: “%(field)s” must be from 0 to 100") % m,
    ),
    (
        re.compile(r"^level (?P<key>\S+) has no Thai label$"),
        "levels",
        "key",
        lambda m: _("level %(key)s has no Thai label; fill in “label_th”") % m,
    ),
    (
        re.compile(r"^(?P<what>item|indicator|instrument) (?P<key>\S+) has recorded "),
        "",
        None,
        lambda m: (
            _(
                "%(key)s is missing from the sheet, but recorded results use it, so it cannot be "
                "removed; put its row back"
            )
            % m
        ),
    ),
    (
        re.compile(r"^cannot remove what other records use \((?P<names>.*)\)$"),
        "",
        None,
        lambda m: (
            _("rows missing from the file cannot be removed: other records use %(names)s") % m
        ),
    ),
]


def _same_rule_rows(book: ParsedBook) -> list[int]:
    """The rows of the levels that share a rule with another level."""

    def number(value: object) -> Decimal | None:
        try:
            return None if value in (None, "") else Decimal(str(value))
        except InvalidOperation:
            return None

    seen: dict[tuple, list[int]] = {}
    for record, row in zip(
        book.raw.get("levels", []), book.positions.get("levels", []), strict=False
    ):
        rule = (number(record.get("min_total")), number(record.get("min_instrument")))
        seen.setdefault(rule, []).append(row)
    return sorted(row for rows in seen.values() if len(rows) > 1 for row in rows)


def explain(message: str, book: ParsedBook, *, source: str) -> str:
    """One problem from ``edition_data`` with its sheet and row, in Thai."""
    text = message.removeprefix(f"{source}: ")
    match = ROW_MESSAGE.match(text)
    if match:
        section, position = match["section"], int(match["pos"])
        rows = book.positions.get(section, [])
        row = rows[position - 1] if position <= len(rows) else None
        for pattern, say in ROW_PROBLEMS:
            found = pattern.match(match["rest"])
            if found:
                return located(section, row, say(found.groupdict()))
        return located(section, row, match["rest"])
    for pattern, sheet, where, say in KEYED:
        found = pattern.match(text)
        if not found:
            continue
        groups = found.groupdict()
        if not sheet:
            sheet = SECTION_OF.get(groups.get("what", ""), "items")
        row = None
        if where == "key":
            row = book.rows.get((sheet, groups["key"]))
        elif where == "field":
            row = book.rows.get(("edition", groups["field"]))
        elif isinstance(where, tuple):
            row = book.rows.get(where)
        problem = say(groups)
        if pattern.pattern.startswith("^two result levels"):
            rows = _same_rule_rows(book)
            if rows:
                problem += " " + _("(rows %(rows)s)") % {"rows": ", ".join(map(str, rows))}
        return located(sheet, row, problem)
    return text


def import_error(error: FrameworkError, book: ParsedBook, *, source: str) -> EditionImportError:
    return EditionImportError([explain(m, book, source=source) for m in error.errors])
