# The single-column indexes Django gives the client, debtor and account foreign keys duplicate
# the leading column of decision_client_allowed, decision_debtor_time and decision_account_time
# (which serve every filter on them and the PROTECT checks): three index entries less for every
# stored decision, on the compliance check's hot path. Only the indexes go; the foreign-key
# constraints stay as they are (Django's AlterField would drop and re-validate them).

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "client_id": "compliance_decision_client_id_c9d0d65a",
    "debtor_id": "compliance_decision_debtor_id_e1618184",
    "account_id": "compliance_decision_account_id_ee11dce4",
}


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0001_decisions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "compliance_decision" ("{column}")',
                )
                for column, name in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="decision",
                    name="client",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="collections_app.client"),
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="debtor",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="decisions", to="collections_app.debtor"),
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="account",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="decisions", to="collections_app.account"),
                ),
            ],
        ),
    ]
