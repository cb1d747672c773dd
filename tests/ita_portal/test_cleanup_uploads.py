"""cleanup_uploads removes old files no record names, and nothing else."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Organisation
from measures.models import Announcement

DAY = 24 * 3600


def _file(settings, name: str, *, age_hours: float) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    then = time.time() - age_hours * 3600
    os.utime(path, (then, then))
    return path


@pytest.fixture
def files(settings, org):
    Organisation.objects.filter(pk=org.pk).update(logo="logos/in-use.png")
    Announcement.objects.create(
        organisation=org,
        fiscal_year=2565,
        title="ประกาศ",
        date=dt.date(2022, 1, 10),
        attachment="announcement/signed.pdf",
    )
    return {
        "logo": _file(settings, "logos/in-use.png", age_hours=100),
        "attachment": _file(settings, "announcement/signed.pdf", age_hours=100),
        "orphan": _file(settings, "evidence/orphan.jpg", age_hours=48),
        "old_logo": _file(settings, "logos/replaced.png", age_hours=48),
        "fresh": _file(settings, "complaint-files/uploading.pdf", age_hours=1),
        "report": _file(settings, "report-pdfs/1-2565-abc.pdf", age_hours=1000),
        "elsewhere": _file(settings, "notes.txt", age_hours=1000),
    }


def _run(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_uploads", *args, stdout=out)
    return out.getvalue()


def test_old_orphans_are_removed_and_everything_else_is_kept(files):
    output = _run()
    assert not files["orphan"].exists() and not files["old_logo"].exists()
    kept = ["logo", "attachment", "fresh", "report", "elsewhere"]
    assert all(files[name].exists() for name in kept)
    assert "removed evidence/orphan.jpg" in output
    assert "removed logos/replaced.png" in output
    assert "2 orphan file(s) removed." in output


def test_a_dry_run_removes_nothing(files):
    output = _run("--dry-run")
    assert all(path.exists() for path in files.values())
    assert "would remove evidence/orphan.jpg" in output


def test_the_minimum_age_is_an_option(files):
    _run("--min-age-hours", "72")
    assert files["orphan"].exists()
    _run("--min-age-hours", "1.5")
    assert not files["orphan"].exists() and files["fresh"].exists()


def test_a_minimum_age_under_an_hour_is_refused(files):
    with pytest.raises(CommandError):
        _run("--min-age-hours", "0")
    assert files["fresh"].exists()


def test_it_runs_with_no_media_folder_at_all(db):
    assert "0 orphan file(s) removed." in _run()
