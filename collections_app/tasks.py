"""Celery tasks: thin, ids in, call a service."""

from celery import shared_task

from collections_app.services.plans import plans_evaluate
from collections_app.services.promises import promises_evaluate_due


@shared_task(name="collections_app.money_nightly_evaluate")
def money_nightly_evaluate() -> dict[str, int]:
    """Nightly: settle promises past due (kept / partly kept / broken) and break plans with missed installments."""
    return {"promises": promises_evaluate_due(), "plans": plans_evaluate()}
