from django.contrib.auth.backends import ModelBackend


class BrugerBackend(ModelBackend):
    """ModelBackend that loads the user's organisation with the user: every page shows it."""

    def get_user(self, user_id):
        bruger = (
            self.get_user_model()
            ._default_manager.select_related("organisation")
            .filter(pk=user_id)
            .first()
        )
        return bruger if bruger is not None and self.user_can_authenticate(bruger) else None

    def get_user_model(self):
        from django.contrib.auth import get_user_model

        return get_user_model()
