"""New York consumer debts whose stored last day to sue was restarted by a payment made after the
three years had run out (CPLR 214-i: such a payment does not revive the debt): recomputed."""

from django.db import migrations


def recompute(apps, schema_editor):  # type: ignore[no-untyped-def]
    from collections_app.geo.limitations import sol_expiry

    Account = apps.get_model("collections_app", "Account")
    accounts = (Account.objects.filter(governing_state__iexact="NY", kind="consumer", last_payment_date__isnull=False)
                .only("id", "product", "last_payment_date", "delinquency_date", "charge_off_date", "sol_expires_on"))
    changed = []
    for account in accounts.iterator(chunk_size=5000):
        expiry = sol_expiry("NY", account.product, account.last_payment_date, account.delinquency_date,
                            account.charge_off_date)
        if expiry != account.sol_expires_on:
            account.sol_expires_on = expiry
            changed.append(account)
    Account.objects.bulk_update(changed, ["sol_expires_on"], batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0012_email_address_upper_index")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
