"""Read-side queries over stored decisions (the desk merges them into the case timeline)."""

from django.db.models import QuerySet

from compliance.models import Decision


def decisions_for_debtor(debtor_id: int, limit: int = 50) -> QuerySet[Decision]:
    """The debtor's latest gate decisions, newest first, without the heavy input snapshot: each
    carries its instant (``at``), account, channel, target, verdict, reasons and next allowed
    instant -- what a timeline row shows. Scope the debtor to the caller before asking."""
    return (
        Decision.objects.filter(debtor_id=debtor_id)
        .defer("snapshot")
        .select_related("account", "actor")
        .order_by("-created_at", "-id")[: max(limit, 0)]
    )
