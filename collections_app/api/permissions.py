from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.constants import WRITE_ROLES, Role


class CanWriteFacts(BasePermission):
    """Reads for every staff role; writes for collectors, supervisors and admins."""

    message = "Your role may not change collection records."

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        user = request.user
        if not user or not user.is_authenticated or (user.role == Role.DEBTOR and not user.is_superuser):
            return False
        return request.method in SAFE_METHODS or user.has_role(*WRITE_ROLES)


class IsAdminRole(BasePermission):
    message = "Only an administrator may manage clients."

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or user.has_role(Role.ADMIN)
