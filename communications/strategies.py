"""Editing strategies: every saved change bumps the version (pghistory keeps the earlier states)."""

from typing import Any

from django.db.models import Count, F

from communications.models import Strategy


def strategy_save(form: Any, formset: Any, *, strategy: Strategy | None = None) -> Strategy:
    """Save the strategy form (if given) and a variants or steps formset, one version up."""
    created = form is not None and form.instance.pk is None
    saved = form.save() if form is not None else strategy
    if saved is None:
        raise ValueError("strategy_save needs a form or a strategy")
    formset.instance = formset.instance if formset.instance.pk else saved
    formset.save()
    if not created:
        Strategy.objects.filter(pk=saved.pk).update(version=F("version") + 1)
        saved.refresh_from_db()
    return saved


def strategy_summaries() -> list[Strategy]:
    return list(Strategy.objects.annotate(accounts=Count("assignments", distinct=True))
                .prefetch_related("variants__steps", "clients").order_by("priority", "name"))
