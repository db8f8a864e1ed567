"""Bankruptcy (catalogue section 4): the automatic stay and the discharge injunction.

They bind every operator, so they run whether or not Regulation F applies. A termination
notice or an opt-out confirmation is not an act to collect and stays possible.
"""

from datetime import datetime

from ..constants import BANKRUPTCY_DISCHARGE, BANKRUPTCY_STAY, EventType, Purpose
from ..context import Context
from ..verdicts import Block, Outcome

NOT_COLLECTION = frozenset({Purpose.TERMINATION_NOTICE, Purpose.OPT_OUT_CONFIRMATION})


def automatic_stay(ctx: Context, at: datetime) -> Outcome:
    """BK-11USC362-automatic-stay: from the petition until discharge (11 USC 362(a)).

    The petition stays "any act to collect ... a claim against the debtor that arose before the
    commencement of the case" (362(a)(6)): every debt of the consumer's, whichever account the
    filing was recorded on -- but a debt opened after the petition day, which arose after it.
    The stay of acts against the debtor ends when a discharge is granted (362(c)(2)(C)),
    whichever debts it names: a debt excepted from the discharge (not named in the
    ``bankruptcy_discharged`` event) may be collected again; the discharged ones stay barred by
    the discharge injunction."""
    if ctx.purpose in NOT_COLLECTION:
        return None
    filed = ctx.timeline.latest(EventType.BANKRUPTCY_FILED)
    if filed is None:
        return None
    opened = ctx.account.open_date
    if opened is not None and opened > ctx.day_of(filed.occurred_at):
        return None  # a post-petition debt
    discharged = ctx.timeline.latest(EventType.BANKRUPTCY_DISCHARGED)
    if discharged is not None and discharged.occurred_at >= filed.occurred_at:
        return None
    case = filed.data.get("case_number")
    return Block(
        BANKRUPTCY_STAY,
        f"bankruptcy petition{f' {case}' if case else ''} filed {ctx.day_of(filed.occurred_at).isoformat()}: "
        "the automatic stay bars any act to collect this debt",
    )


def discharge_injunction(ctx: Context, at: datetime) -> Outcome:
    """BK-11USC524-discharge-injunction: a discharged debt may never be collected."""
    if ctx.purpose in NOT_COLLECTION:
        return None
    discharged = ctx.timeline.latest_for_account(EventType.BANKRUPTCY_DISCHARGED)
    if discharged is None:
        return None
    return Block(
        BANKRUPTCY_DISCHARGE,
        f"debt discharged in bankruptcy on {ctx.day_of(discharged.occurred_at).isoformat()} (11 USC 524(a)(2))",
    )
