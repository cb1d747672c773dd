"""Public report pages and files (being built)."""

from django.http import Http404


def report(request, org, year):
    raise Http404


def report_pdf(request, org, year):
    raise Http404


def evidence_file(request, org, key):
    raise Http404


def evidence_preview(request, org, key):
    raise Http404


def announcement_file(request, org, key):
    raise Http404
