from typing import Any

from django.contrib.auth.backends import ModelBackend


class HoshinBackend(ModelBackend):
    """Refuses sign-in once a person's time-boxed access has ended."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "access_expired", False)
