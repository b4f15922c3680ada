from django.apps import AppConfig


class InfrastructureConfig(AppConfig):
    """Page caches, private storage, spreadsheet safety, health, CSP, mail and error handling.

    The bottom layer: it imports no app of the project, and every app may import it.
    """

    name = "infrastructure"
    verbose_name = "Infrastructure"

    def ready(self):
        from django.urls import register_converter

        from infrastructure.choosers import tolerate_malformed_chooser_values
        from infrastructure.converters import ObjectIdConverter
        from infrastructure.spreadsheets import guard_wagtail_exports

        guard_wagtail_exports()
        tolerate_malformed_chooser_values()
        register_converter(ObjectIdConverter, "id")
