from collections_app.models.accounts import Account
from collections_app.models.clients import Client
from collections_app.models.debtors import Address, Debtor, Email, Phone
from collections_app.models.imports import (
    ColumnMapping,
    FeedTransaction,
    FeedTransactionKind,
    ImportJob,
    ImportKind,
    ImportRowError,
    ImportStatus,
)
from collections_app.models.payments import LedgerEntry, Payment
from collections_app.models.plans import Installment, Plan
from collections_app.models.promises import Promise
from collections_app.models.settlements import Settlement
from collections_app.models.timeline import CaseEvent, Note, Task

__all__ = [
    "Account",
    "Address",
    "CaseEvent",
    "Client",
    "ColumnMapping",
    "Debtor",
    "Email",
    "FeedTransaction",
    "FeedTransactionKind",
    "ImportJob",
    "ImportKind",
    "ImportRowError",
    "ImportStatus",
    "Installment",
    "LedgerEntry",
    "Note",
    "Payment",
    "Phone",
    "Plan",
    "Promise",
    "Settlement",
    "Task",
]
