"""The staff workspace of the assessments app, by subject."""

from .history import history
from .members import (
    member_create_view,
    member_edit,
    member_invite_view,
    member_remove_view,
    member_unlock_view,
    members,
)
from .organisation import organisation_edit, organisation_new
from .results import (
    item_results_edit,
    results,
    scores_download,
    settings_edit,
    year_add,
    year_edit,
)
from .units import (
    unit_delete_view,
    unit_edit,
    unit_merge_view,
    unit_move_view,
    unit_retire_view,
    units,
)

__all__ = [
    "history",
    "item_results_edit",
    "member_create_view",
    "member_edit",
    "member_invite_view",
    "member_remove_view",
    "member_unlock_view",
    "members",
    "organisation_edit",
    "organisation_new",
    "results",
    "scores_download",
    "settings_edit",
    "unit_delete_view",
    "unit_edit",
    "unit_merge_view",
    "unit_move_view",
    "unit_retire_view",
    "units",
    "year_add",
    "year_edit",
]
