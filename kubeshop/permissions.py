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


def _identity(request):
    return request.user if getattr(request.user, "is_authenticated", False) else None


class DenyAll(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


class IsService(BasePermission):
    message = "Only KubeShop services may call this."

    def has_permission(self, request, view) -> bool:
        identity = _identity(request)
        return bool(identity and identity.is_service)


class IsStaff(BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request, view) -> bool:
        identity = _identity(request)
        return bool(identity and identity.is_staff)


class IsStaffOrReadOnly(IsStaff):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or super().has_permission(request, view)


class IsCustomer(BasePermission):
    """Any signed-in user, or a service acting for one."""

    def has_permission(self, request, view) -> bool:
        identity = _identity(request)
        return bool(identity and identity.username)


class IsOwnerOrService(BasePermission):
    """The user named by the URL's `user_id`, or a peer service acting for them."""

    message = "You may only reach your own data."

    def has_permission(self, request, view) -> bool:
        identity = _identity(request)
        return bool(identity and identity.may_act_for(view.kwargs["user_id"]))


class IsEndUser(BasePermission):
    """A signed-in user in person (a bearer token): not a service acting for one."""

    def has_permission(self, request, view) -> bool:
        identity = _identity(request)
        return bool(identity and identity.username and not identity.is_service)
