"""Public, permanent short addresses of survey rounds (printed on posters as QR codes).

``/s/<round>/`` is the form, ``/s/<round>/<one-time code>/`` the same form with the
code filled (the printed or e-mailed link), ``/s/<round>/thanks/`` the page after
sending. "thanks" comes first: it is not a code (codes are capitals and digits).
"""

from django.urls import path

from . import public_views

app_name = "surveys"

urlpatterns: list = [
    path("<slug:round_code>/", public_views.survey_form, name="form"),
    path("<slug:round_code>/thanks/", public_views.survey_thanks, name="thanks"),
    path("<slug:round_code>/<slug:code>/", public_views.survey_form, name="form-code"),
]
