"""REGF-1006.2-coverage: who and what the FDCPA and Regulation F cover (catalogue section 1).

Regulation F rules run only for a debt collector (``third_party_collector``) collecting a
consumer debt of a natural person. A commercial debt, a business debtor or a creditor collecting
its own debts skips them; bankruptcy, state overlays and client policy still run.
"""

from datetime import datetime

from ..constants import COVERAGE, AccountKind, DebtorKind, OperatorType
from ..context import Context
from ..facts import Exemption
from ..verdicts import Outcome


def coverage(ctx: Context, at: datetime) -> Outcome:
    """Record why Regulation F was skipped (15 USC 1692a(5), (6); 1006.2(e), (h), (i))."""
    if ctx.regf_applies:
        return None
    if (
        ctx.account.kind == AccountKind.COMMERCIAL
        or ctx.debtor.kind == DebtorKind.BUSINESS
    ):
        why = "the obligation is not a consumer debt of a natural person"
    else:
        why = f"the operator is a {OperatorType.FIRST_PARTY_CREDITOR.value.replace('_', ' ')}, not a debt collector"
    return Exemption(
        COVERAGE,
        f"Regulation F does not apply: {why}; bankruptcy and state rules still do",
    )
