"""Staff roles. A debtor signs in to the portal with a separate, debtor-scoped identity."""

from django.db import models


class Role(models.TextChoices):
    COLLECTOR = "collector", "Collector"
    SUPERVISOR = "supervisor", "Supervisor"
    COMPLIANCE = "compliance", "Compliance officer"
    ADMIN = "admin", "Administrator"
    DEBTOR = "debtor", "Debtor (portal)"


STAFF_ROLES = (Role.COLLECTOR, Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN)
# Roles that may change facts through the API (a compliance officer reads and checks).
WRITE_ROLES = (Role.COLLECTOR, Role.SUPERVISOR, Role.ADMIN)
