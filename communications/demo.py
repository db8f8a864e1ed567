"""Demo strategies for ``make run``: a champion/challenger cadence with a hold-out, and plan reminders.

What a newcomer sees working on the demo portfolio: every open account is drawn into a variant,
its first step comes due at once (the demo accounts were placed weeks or months ago), the next
ones days apart; each message goes through the gate, so some are sent, some wait for a lawful
hour and some are blocked with their reasons (desk timeline, admin's outbox).
"""

from django.db import transaction

from communications.constants import StepAnchor, StepChannel
from communications.models import Strategy, StrategyStep, StrategyVariant

A, P = StepAnchor.PLACEMENT, StepAnchor.PREVIOUS_STEP
CADENCE = {
    # variant: (weight, hold-out, [(day offset, anchor, channel, template)])
    "Champion: e-mail first": (45, False, [
        (0, A, StepChannel.EMAIL, "payment_reminder"),
        (4, P, StepChannel.SMS, "payment_reminder"),
        (6, P, StepChannel.CALL, "collector_call"),
        (7, P, StepChannel.LETTER, "payment_reminder"),
        (14, P, StepChannel.EMAIL, "settlement_offer"),
    ]),
    "Challenger: text first": (45, False, [
        (0, A, StepChannel.SMS, "payment_reminder"),
        (3, P, StepChannel.EMAIL, "payment_reminder"),
        (4, P, StepChannel.CALL, "collector_call"),
        (10, P, StepChannel.LETTER, "settlement_offer"),
    ]),
    "Hold-out": (10, True, []),
}
PLAN_REMINDERS = [
    (3, StepAnchor.INSTALLMENT_BEFORE, StepChannel.EMAIL, "plan_installment_due"),
    (0, StepAnchor.INSTALLMENT_DUE, StepChannel.SMS, "plan_installment_due"),
    (2, StepAnchor.INSTALLMENT_MISSED, StepChannel.EMAIL, "plan_installment_missed"),
]


@transaction.atomic
def demo_strategies_install() -> Strategy | None:
    """The demo cadence, unless a strategy exists already (a user's own are never touched)."""
    if Strategy.objects.exists():
        return None
    strategy = Strategy.objects.create(
        name="Standard consumer cadence",
        description="Demo: e-mail-first champion against a text-first challenger, 10 % hold-out, plan reminders.")
    for name, (weight, holdout, steps) in CADENCE.items():
        variant = StrategyVariant.objects.create(strategy=strategy, name=name, weight=weight, is_holdout=holdout)
        if holdout:
            continue
        rows = [*steps, *PLAN_REMINDERS]
        StrategyStep.objects.bulk_create(
            StrategyStep(variant=variant, order=order, day_offset=day, anchor=anchor, channel=channel,
                         template_code=template)
            for order, (day, anchor, channel, template) in enumerate(rows, start=1))
    return strategy
