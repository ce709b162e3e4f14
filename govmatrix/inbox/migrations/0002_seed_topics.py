"""The seven first-level classes of the message board (R4.1), with no unit yet: the office maps
each to the unit that answers for it."""

from django.db import migrations

# Its own copy of DEFAULT_TOPICS, so the migration stays as it is when the code moves on.
TOPICS = (
    ("urban", "城乡建设"),
    ("environment", "环境保护"),
    ("transport", "交通运输"),
    ("education", "教育文体"),
    ("labour", "劳动和社会保障"),
    ("commerce", "商贸旅游"),
    ("health", "卫生计生"),
)


def seed(apps, schema_editor):
    MessageTopic = apps.get_model("inbox", "MessageTopic")
    for order, (code, name) in enumerate(TOPICS, start=1):
        MessageTopic.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
