from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class HoshinBackend(ModelBackend):
    """Refuses sign-in once a person's time-boxed access has ended."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "access_expired", False)

    def get_user(self, user_id: Any) -> Any:
        # Return an expired user for an existing session, so that the middleware can end
        # that session for good (and trail the sign-out) instead of leaving it dormant.
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if user.is_active else None
