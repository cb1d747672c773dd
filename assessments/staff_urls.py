from django.urls import path

from . import staff_views
from .staff_views.results import instrument_scores_download
from .staff_views.schools import schools_import_view

app_name = "assessments_staff"

urlpatterns = [
    path("<slug:org>/ita/", staff_views.results, name="results"),
    path("<slug:org>/ita/add/", staff_views.year_add, name="year-add"),
    path("<slug:org>/ita/<int:year>/", staff_views.year_edit, name="year"),
    path("<slug:org>/ita/<int:year>/oit/", staff_views.item_results_edit, name="items"),
    path("<slug:org>/ita/scores.<str:fmt>", staff_views.scores_download, name="scores-download"),
    path(
        "<slug:org>/ita/instrument-scores.<str:fmt>",
        instrument_scores_download,
        name="instrument-scores-download",
    ),
    path("<slug:org>/settings/", staff_views.settings_edit, name="settings"),
    # The organisation's own administration (administrators; superusers everywhere).
    path("organisations/new/", staff_views.organisation_new, name="organisation-new"),
    path("<slug:org>/organisation/", staff_views.organisation_edit, name="organisation"),
    path("<slug:org>/units/", staff_views.units, name="units"),
    path("<slug:org>/units/<int:pk>/", staff_views.unit_edit, name="unit"),
    path("<slug:org>/units/<int:pk>/move/", staff_views.unit_move_view, name="unit-move"),
    path("<slug:org>/units/<int:pk>/merge/", staff_views.unit_merge_view, name="unit-merge"),
    path("<slug:org>/units/<int:pk>/retire/", staff_views.unit_retire_view, name="unit-retire"),
    path("<slug:org>/units/<int:pk>/delete/", staff_views.unit_delete_view, name="unit-delete"),
    path("<slug:org>/members/", staff_views.members, name="members"),
    path("<slug:org>/members/invite/", staff_views.member_invite_view, name="member-invite"),
    path("<slug:org>/members/new/", staff_views.member_create_view, name="member-new"),
    path("<slug:org>/members/<int:pk>/", staff_views.member_edit, name="member"),
    path(
        "<slug:org>/members/<int:pk>/remove/",
        staff_views.member_remove_view,
        name="member-remove",
    ),
    path(
        "<slug:org>/members/<int:pk>/unlock/",
        staff_views.member_unlock_view,
        name="member-unlock",
    ),
    path("<slug:org>/history/", staff_views.history, name="history"),
    # An ESA's schools created in bulk from a sheet (the ESA's administrators).
    path("<slug:org>/schools/import/", schools_import_view, name="schools-import"),
]
