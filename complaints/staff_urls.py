"""The complaint officers' workspace, under /staff/ (complaint officers of the organisation only)."""

from django.urls import path

from .staff_views import case, queue

app_name = "complaints_staff"

urlpatterns = [
    path("<slug:org>/complaints/", queue.queue, name="queue"),
    path("<slug:org>/complaints/record/", queue.record, name="record"),
    path("<slug:org>/complaints/<int:pk>/", case.case, name="case"),
    path("<slug:org>/complaints/<int:pk>/identity/", case.reveal, name="reveal"),
    path("<slug:org>/complaints/<int:pk>/files/<uuid:key>/", case.attachment, name="attachment"),
    path("<slug:org>/complaints/<int:pk>/assign/", case.assign, name="assign"),
    path("<slug:org>/complaints/<int:pk>/accept/", case.accept, name="accept"),
    path("<slug:org>/complaints/<int:pk>/reject/", case.reject, name="reject"),
    path("<slug:org>/complaints/<int:pk>/investigate/", case.investigate, name="investigate"),
    path("<slug:org>/complaints/<int:pk>/conclude/", case.conclude, name="conclude"),
    path("<slug:org>/complaints/<int:pk>/forward/", case.forward, name="forward"),
    path("<slug:org>/complaints/<int:pk>/message/", case.message, name="message"),
    path("<slug:org>/complaints/<int:pk>/note/", case.note, name="note"),
]
