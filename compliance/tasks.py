"""Celery tasks of the compliance gate: thin, one service call each."""

from celery import shared_task

from compliance.eligibility_facts import refresh_missing


@shared_task(ignore_result=True)
def eligibility_facts_refresh() -> int:
    """Work out the batch eligibility facts of accounts that have none (beat, every five minutes)."""
    return refresh_missing()
