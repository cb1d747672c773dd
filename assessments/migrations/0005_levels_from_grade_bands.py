"""Move the data to the framework-as-data shape: every edition belongs to the
NACC scheme, and the grade bands become result levels (letters kept)."""

from django.db import migrations, models
import django.db.models.deletion


def forwards(apps, schema_editor):
    Scheme = apps.get_model("assessments", "Scheme")
    Edition = apps.get_model("assessments", "Edition")
    GradeBand = apps.get_model("assessments", "GradeBand")
    ResultLevel = apps.get_model("assessments", "ResultLevel")
    nacc, _ = Scheme.objects.get_or_create(
        code="nacc",
        defaults={
            "name_th": "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (ป.ป.ช.)",
            "name_en": "National Anti-Corruption Commission (NACC)",
        },
    )
    for edition in Edition.objects.all():
        edition.scheme = nacc
        bands = list(GradeBand.objects.filter(edition=edition))
        if bands:
            # Editions before 2566 graded indicators with the same letters.
            edition.indicator_levels = "levels"
            edition.pass_mark = min(b.min_score for b in bands if b.passed)
        edition.save()
        for band in bands:
            ResultLevel.objects.get_or_create(
                edition=edition,
                code=band.grade,
                defaults={
                    "grade": band.grade,
                    "label_th": band.label_th or band.label_en,
                    "label_en": band.label_en,
                    "min_total": band.min_score,
                    "passed": band.passed,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_framework_as_data")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="GradeBand"),
        migrations.DeleteModel(name="HistoricalGradeBand"),
        migrations.AlterField(
            model_name="edition",
            name="scheme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="editions",
                to="assessments.scheme",
                verbose_name="scheme",
            ),
        ),
    ]
