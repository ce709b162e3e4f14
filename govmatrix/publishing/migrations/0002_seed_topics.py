"""The topics of R3.1 and the settings row. A copy of the list, as data migrations should keep."""

from django.db import migrations

TOPICS = [
    ("policy", "政策措施"),
    ("key_work", "重点工作"),
    ("healthcare", "医疗卫生"),
    ("education", "教育"),
    ("housing_security", "住房保障"),
    ("public_transport", "公共交通"),
    ("culture", "文化"),
    ("emergency", "突发事件"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("publishing", "Topic")
    PublishingSettings = apps.get_model("publishing", "PublishingSettings")
    for index, (code, name) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": (index + 1) * 10}
        )
    PublishingSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
