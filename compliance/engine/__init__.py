"""Pure compliance engine: a snapshot of facts in, an allow/deny decision with reasons out.

No Django here. ``evaluate(Snapshot) -> Decision`` is the one entry point; the rules live in
``rules/`` (one module per family of ``shared/reference/regf-rules.md``), run by ``gate`` in the
catalogue's order.
"""

from .constants import RULESET_VERSION
from .facts import (
    AccountFacts,
    Address,
    ClientFacts,
    ClientPolicy,
    ContactRequest,
    DebtorFacts,
    Decision,
    Email,
    Event,
    Exemption,
    Message,
    Phone,
    Reason,
    Snapshot,
)
from .gate import evaluate

__all__ = [
    "RULESET_VERSION",
    "AccountFacts",
    "Address",
    "ClientFacts",
    "ClientPolicy",
    "ContactRequest",
    "DebtorFacts",
    "Decision",
    "Email",
    "Event",
    "Exemption",
    "Message",
    "Phone",
    "Reason",
    "Snapshot",
    "evaluate",
]
