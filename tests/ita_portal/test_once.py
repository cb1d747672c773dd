"""One-time form tokens (ita_portal/once.py): a form sent twice creates one record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from ita_portal.models import FormToken
from ita_portal.once import once_claim, once_purge, once_seen, once_token

pytestmark = pytest.mark.django_db


def _post(token: str):
    return RequestFactory().post("/", {"once": token})


def test_the_first_claim_wins_and_the_second_goes_where_it_went():
    token = once_token()
    with once_claim(_post(token), fallback="/list/") as first:
        assert not first.repeated
        first.redirect("/saved/1/")
    with once_claim(_post(token), fallback="/list/") as second:
        assert second.repeated
        assert second.redirect_repeated()["Location"] == "/saved/1/"
    assert once_seen(_post(token), fallback="/list/")["Location"] == "/saved/1/"
    assert FormToken.objects.count() == 1


def test_a_claim_that_saved_nothing_gives_the_token_back():
    token = once_token()
    with once_claim(_post(token), fallback="/list/"):
        pass  # the form was refused: no redirect recorded
    assert once_seen(_post(token), fallback="/list/") is None
    with once_claim(_post(token), fallback="/list/") as again:
        assert not again.repeated


def test_a_claim_whose_save_failed_gives_the_token_back():
    token = once_token()
    with pytest.raises(RuntimeError), once_claim(_post(token), fallback="/list/"):
        raise RuntimeError("the save failed")
    assert not FormToken.objects.exists()


def test_a_missing_or_odd_token_is_not_stored():
    for token in ("", "x" * 100, "<script>"):
        with once_claim(_post(token), fallback="/list/") as claim:
            assert not claim.repeated
            claim.redirect("/saved/")
    assert not FormToken.objects.exists()


def test_tokens_older_than_a_day_are_purged():
    old = FormToken.objects.create(token="old", target="/x/")
    FormToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    FormToken.objects.create(token="new", target="/y/")
    assert once_purge() == 1
    assert list(FormToken.objects.values_list("token", flat=True)) == ["new"]
