"""The staff workspace for disclosures (login; members of the organisation only)."""

from django.urls import path

from . import staff_views as views
from .staff_views import predicted as predicted_views
from .staff_views import review as review_views
from .staff_views import rollup as rollup_views
from .staff_views import selfcheck as selfcheck_views

app_name = "disclosures_staff"

urlpatterns = [
    # The link sheet for the user's own organisation (?org=<slug> when they have several).
    path("oit/<int:year>/links.csv", views.links_mine, {"fmt": "csv"}, name="links-mine-csv"),
    path("oit/<int:year>/links.xlsx", views.links_mine, {"fmt": "xlsx"}, name="links-mine-xlsx"),
    path("<slug:org>/oit/", views.years, name="years"),
    path("<slug:org>/oit/<int:year>/", views.year, name="year"),
    path("<slug:org>/oit/<int:year>/copy/", views.copy_forward, name="copy"),
    path(
        "<slug:org>/oit/<int:year>/provisional/",
        views.start_provisional,
        name="start-provisional",
    ),
    path("<slug:org>/oit/<int:year>/links.csv", views.links, {"fmt": "csv"}, name="links-csv"),
    path("<slug:org>/oit/<int:year>/links.xlsx", views.links, {"fmt": "xlsx"}, name="links-xlsx"),
    # An ESA's roll-up of its schools (before the item route: "schools" is no item code).
    path("<slug:org>/oit/schools/", rollup_views.rollup_current, name="rollup-current"),
    path("<slug:org>/oit/<int:year>/schools/", rollup_views.rollup, name="rollup"),
    path(
        "<slug:org>/oit/<int:year>/schools.xlsx", rollup_views.rollup_download, name="rollup-xlsx"
    ),
    # The self-assessment's review (before the item route: "review" is no item code).
    path("oit/reviews/", review_views.reviews, name="reviews"),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/",
        review_views.self_assessment,
        name="self-assessment",
    ),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/submit/",
        review_views.submit,
        name="self-assessment-submit",
    ),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/withdraw/",
        review_views.withdraw,
        name="self-assessment-withdraw",
    ),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/publish/",
        review_views.publish_summary,
        name="self-assessment-publish",
    ),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/<str:code>/clarify/",
        review_views.clarify,
        name="self-assessment-clarify",
    ),
    path(
        "<slug:org>/oit/<int:year>/self-assessment/<str:code>/clarification-file/",
        review_views.clarification_file,
        name="clarification-file",
    ),
    # The predicted (self-assessed) total and level (before the item route, as above).
    path("<slug:org>/oit/<int:year>/predicted/", predicted_views.predicted, name="predicted"),
    path(
        "<slug:org>/oit/<int:year>/predicted/record/",
        predicted_views.predicted_save,
        name="predicted-record",
    ),
    path("<slug:org>/oit/<int:year>/review/", review_views.review, name="review"),
    path(
        "<slug:org>/oit/<int:year>/review/deadline/",
        review_views.review_deadline,
        name="review-deadline",
    ),
    path(
        "<slug:org>/oit/<int:year>/review/confirm/",
        review_views.review_confirm,
        name="review-confirm",
    ),
    path(
        "<slug:org>/oit/<int:year>/review/<str:code>/",
        review_views.review_item,
        name="review-item",
    ),
    path("<slug:org>/oit/<int:year>/<str:code>/", views.item, name="item"),
    path("<slug:org>/oit/<int:year>/<str:code>/publish/", views.publish, name="publish"),
    path("<slug:org>/oit/<int:year>/<str:code>/upload/", views.upload, name="upload"),
    path("<slug:org>/oit/<int:year>/<str:code>/link/", views.add_link, name="link"),
    path(
        "<slug:org>/oit/<int:year>/<str:code>/contents/",
        selfcheck_views.content_tick,
        name="contents",
    ),
    path("<slug:org>/oit/entries/<uuid:key>/", views.entry, name="entry"),
    path(
        "<slug:org>/oit/entries/<uuid:key>/signed/",
        selfcheck_views.entry_signed,
        name="entry-signed",
    ),
    path("<slug:org>/oit/entries/<uuid:key>/delete/", views.entry_delete, name="entry-delete"),
    path("<slug:org>/oit/entries/<uuid:key>/move/", views.entry_move, name="entry-move"),
]
