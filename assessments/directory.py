"""The public list of the portal's organisations: a page at a time, and a search."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from .models import Organisation

# A page a phone scrolls through; an ESA with hundreds of schools is found by search.
PAGE_SIZE = 50
QUERY_MAX_LENGTH = 100


def organisation_directory(*, query: str = "", page: str | int | None = None) -> Page:
    """One page of organisations by Thai name, with their parent's name and how
    many organisations are under each (two queries, whatever their number)."""
    organisations = (
        Organisation.objects.select_related("parent")
        .annotate(child_count=Count("children"))
        .only("slug", "name_th", "name_en", "parent__name_th", "parent__slug")
        .order_by("name_th", "pk")
    )
    query = " ".join(query.split())[:QUERY_MAX_LENGTH]
    if query:
        organisations = organisations.filter(
            Q(name_th__icontains=query) | Q(name_en__icontains=query) | Q(slug__iexact=query)
        )
    return Paginator(organisations, PAGE_SIZE).get_page(page)
