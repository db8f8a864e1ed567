from collections_app.models.accounts import Account
from collections_app.models.clients import Client
from collections_app.models.debtors import Address, Debtor, Email, Phone
from collections_app.models.timeline import CaseEvent, Note, Task

__all__ = ["Account", "Address", "CaseEvent", "Client", "Debtor", "Email", "Note", "Phone", "Task"]
