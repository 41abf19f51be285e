from rest_framework import exceptions
from rest_framework.permissions import BasePermission


class FollowsRule(BasePermission):
    """The view's rule for the request's method (a can_… function from the app's
    permissions.py) decides, and its reason is the answer, as on the pages.

    Views declare `rules = {"GET": permissions.can_view_agreements, ...}`; a method
    without a rule is left to answer 405 itself."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        rule = view.rules.get(method)
        if rule is None:
            return True
        decision = rule(request.user)
        if not decision:
            raise exceptions.PermissionDenied(decision.reason)
        return True
