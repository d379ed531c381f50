"""Who may call what. DRF's default denies; each view names what it opens."""

from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission

__all__ = [
    "AllowAny",
    "DenyAll",
    "IsService",
    "IsStaff",
    "IsStaffOrReadOnly",
    "IsOwnerOrService",
    "IsCustomer",
    "IsEndUser",
]


class DenyAll(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


class _IdentityRule(BasePermission):
    """Grants a signed-in identity (a user, or a service with its credential) that `allows` admits."""

    def has_permission(self, request, view) -> bool:
        identity = request.user if getattr(request.user, "is_authenticated", False) else None
        return bool(identity and self.allows(identity, view))

    def allows(self, identity, view) -> bool:
        raise NotImplementedError


class IsService(_IdentityRule):
    message = "Only KubeShop services may call this."

    def allows(self, identity, view) -> bool:
        return identity.is_service


class IsStaff(_IdentityRule):
    message = "Only staff may do this."

    def allows(self, identity, view) -> bool:
        return identity.is_staff


class IsStaffOrReadOnly(IsStaff):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or super().has_permission(request, view)


class IsCustomer(_IdentityRule):
    """Any signed-in user, or a service acting for one."""

    def allows(self, identity, view) -> bool:
        return bool(identity.username)


class IsOwnerOrService(_IdentityRule):
    """The user named by the URL's `user_id`, or a peer service acting for them."""

    message = "You may only reach your own data."

    def allows(self, identity, view) -> bool:
        return identity.may_act_for(view.kwargs["user_id"])


class IsEndUser(_IdentityRule):
    """A signed-in user in person (a bearer token): not a service acting for one."""

    def allows(self, identity, view) -> bool:
        return bool(identity.username) and not identity.is_service
