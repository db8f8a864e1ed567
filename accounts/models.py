import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.constants import Role


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(exclude=["password", "last_login"], obj_field=pghistory.ObjForeignKey(related_name="history"))
class User(AbstractUser):
    """A person who signs in. Which clients' data they may see lives with the clients."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COLLECTOR)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    settlement_limit_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Largest settlement discount (percent) this user may offer without approval; "
        "empty means the client's limit applies.",
    )
    mfa_required = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def is_supervisor(self) -> bool:
        return self.is_superuser or self.role in (Role.SUPERVISOR, Role.ADMIN)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles


class RoleSecurityPolicy(models.Model):
    """Per-role sign-in rules an administrator sets: e.g. every supervisor must use a TOTP app."""

    role = models.CharField(max_length=20, choices=Role.choices, unique=True)
    mfa_required = models.BooleanField(default=False, help_text="Everyone with this role must use a TOTP app.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role"]
        verbose_name = "role security policy"
        verbose_name_plural = "role security policies"

    def __str__(self) -> str:
        return f"{self.get_role_display()}: MFA {'required' if self.mfa_required else 'optional'}"
