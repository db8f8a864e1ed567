"""Seed version 1 of the default templates (English and Spanish); reversible."""

from django.db import migrations

from communications.defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("communications", "MessageTemplate")
    for spec in DEFAULT_TEMPLATES:
        MessageTemplate.objects.get_or_create(
            code=spec["code"], channel=spec["channel"], language=spec["language"], version=1,
            defaults={"purpose": spec["purpose"], "subject": spec["subject"], "body": spec["body"],
                      "html": spec.get("html", ""), "description": "Seeded default"},
        )


def unseed(apps, schema_editor):
    MessageTemplate = apps.get_model("communications", "MessageTemplate")
    MessageTemplate.objects.filter(version=1, description="Seeded default").delete()


class Migration(migrations.Migration):
    dependencies = [("communications", "0001_outbox_templates_cadences")]

    operations = [migrations.RunPython(seed, unseed)]
