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
    "Note",
    "Phone",
    "Task",
]
