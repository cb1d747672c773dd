from django.urls import path

from . import staff_views

app_name = "assessments_staff"

urlpatterns = [
    path("<slug:org>/ita/", staff_views.results, name="results"),
    path("<slug:org>/ita/add/", staff_views.year_add, name="year-add"),
    path("<slug:org>/ita/<int:year>/", staff_views.year_edit, name="year"),
    path("<slug:org>/ita/<int:year>/oit/", staff_views.item_results_edit, name="items"),
    path("<slug:org>/ita/scores.<str:fmt>", staff_views.scores_download, name="scores-download"),
    path("<slug:org>/settings/", staff_views.settings_edit, name="settings"),
]
