"""Grants of model permissions to the four role groups.

Permissions are rows that Django creates after migrating, so a data migration that wants to grant
them must first create them; `tildel_rettigheder` does both. Each app grants its own permissions in
a data migration of its own, so the grants stay next to the models they are about.
"""

from django.contrib.auth.management import create_permissions


def tildel_rettigheder(apps, tildelinger: dict[str, list[str]]) -> None:
    """Give each role group (created if missing) the permissions "app_label.codename" listed."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for rolle, rettigheder in tildelinger.items():
        gruppe, _ = Group.objects.get_or_create(name=rolle)
        for rettighed in rettigheder:
            app_label, codename = rettighed.split(".")
            gruppe.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
