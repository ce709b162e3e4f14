"""The shipped scoring schemes, as the first version of each (a name already held is kept).

`scheme_seed_shipped()` does the same through the services (with audit events) for a database
emptied later, e.g. by a test flush or before loading the demo.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from govmatrix.assessment.scoring import Scheme, shipped_scheme_dicts

    SchemeVersion = apps.get_model("assessment", "SchemeVersion")
    for name, data in shipped_scheme_dicts().items():
        if SchemeVersion.objects.filter(name=name).exists():
            continue
        scheme = Scheme.from_dict(data)
        SchemeVersion.objects.create(
            name=name,
            number=1,
            version_label=scheme.version[:32],
            title_zh=scheme.title_zh[:200],
            definition=scheme.to_dict(),
            content_hash=scheme.content_hash,
            is_current=True,
            note="随系统提供",
        )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
