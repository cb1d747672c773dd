from assessments.demo import demo_load, demo_users
from assessments.models import Assessment, Membership, Organisation
from assessments.scoring import organisation_results


def test_demo_is_idempotent_and_has_history(db):
    demo_load()
    demo_load()
    office = Organisation.objects.get(slug="demo")
    assert Organisation.objects.count() == 2
    assert office.units.count() == 10
    results = organisation_results(organisation=office)
    assert len(results) == Assessment.objects.filter(organisation=office).count() >= 5
    assert all(r.shown_total is not None for r in results)
    assert results[-1].complete and results[-1].trend is not None


def test_demo_users_keep_a_changed_password(db):
    demo_load()
    _password, accounts = demo_users(password="first-pass-123")
    assert [a[0] for a in accounts] == ["admin", "editor", "viewer", "officer"]
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("first-pass-123")
    admin.set_password("changed-by-user-456")
    admin.save()
    demo_users(password="other")
    admin.refresh_from_db()
    assert admin.check_password("changed-by-user-456")
    assert Membership.objects.filter(user=admin).count() == 2
