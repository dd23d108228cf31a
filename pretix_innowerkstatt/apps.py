from django.utils.translation import gettext_lazy

from . import __version__

try:
    from pretix.base.plugins import PluginConfig
except ImportError:  # pragma: no cover
    raise RuntimeError("Please use pretix 2026.3 or above to run this plugin!")


class PluginApp(PluginConfig):
    default = True
    name = "pretix_innowerkstatt"
    verbose_name = "Innowerkstatt"

    class PretixPluginMeta:
        name = gettext_lazy("Innowerkstatt: agenda, recurring formats and video links")
        author = "pretix-innowerkstatt contributors"
        description = gettext_lazy(
            "For recurring online events: publish a structured agenda with speakers, plan and "
            "create each edition of a quarterly format, and send every attendee a personal "
            "video-conference join link."
        )
        visible = True
        version = __version__
        category = "FEATURE"
        # Speakers and formats live on the organiser, the agenda and join links on each
        # event, so the plugin is enabled for the organiser and then for each event.
        level = "event_organizer"
        # The oldest release CI tests (make test-oldest) up to the newest (make test); see
        # docs/architecture.md, "Supported pretix releases". Keep in step with pyproject.toml.
        compatibility = "pretix>=2026.3.0"
        settings_links = [
            ((gettext_lazy("Innowerkstatt"),), "plugins:pretix_innowerkstatt:overview", {}),
        ]
        navigation_links = []

    def ready(self):
        from . import signals  # NOQA
