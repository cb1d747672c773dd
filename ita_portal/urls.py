from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("admin/editions/replace/", include("ita_portal.edition_replace_views")),
    path("admin/", admin.site.urls),
    path("healthz/", health.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("staff/", include("ita_portal.staff_urls")),
    path("staff/", include("assessments.staff_urls")),
    path("staff/", include("assessments.surveys.staff_urls")),
    path("staff/", include("measures.staff_urls")),
    path("staff/", include("disclosures.staff_urls")),
    path("staff/", include("complaints.staff_urls")),
    path("s/", include("assessments.surveys.urls")),
    path("", include("measures.urls")),
    path("", include("disclosures.urls")),
    path("", include("complaints.urls")),
    path("", include("assessments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler400 = "ita_portal.views.bad_request"
handler404 = "ita_portal.views.page_not_found"
handler500 = "ita_portal.views.server_error"
