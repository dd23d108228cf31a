"""Data protection: pretix's data shredder and an organiser-level export of the followers."""

import json

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pretix.base.exporter import ListExporter, OrganizerLevelExportMixin
from pretix.base.shredder import BaseDataShredder

from ...formats.models import Format
from .. import permissions
from ..domain.attribution import META_KEY
from ..models import Attribution, Follower


def formats_of_events(events):
    """The formats an event belongs to: as an edition, or as the template of its editions."""
    return Format.objects.filter(Q(template_event__in=events) | Q(editions__event__in=events)).distinct()


class FollowerShredder(BaseDataShredder):
    identifier = "innowerkstatt_followers"
    verbose_name = _("Followers of recurring formats")
    description = _(
        "Removes the followers (addresses, languages and consents) of the recurring formats this event belongs to, "
        "and the announcement tokens stored on this event's orders."
    )

    def _followers(self):
        return Follower.objects.filter(format__in=formats_of_events([self.event]))

    def generate_files(self):
        yield (
            "innowerkstatt-followers.json",
            "application/json",
            json.dumps(
                [
                    {
                        "format": f.format.slug,
                        "email": f.email,
                        "locale": f.locale,
                        "state": f.state,
                        "consent_text": f.consent_text,
                        "consent_at": f.consent_at.isoformat(),
                    }
                    for f in self._followers().select_related("format")
                ],
                indent=4,
            ),
        )

    def shred_data(self, progress_callback=None):
        self._followers().delete()
        Attribution.objects.filter(order__event=self.event).delete()
        for order in self.event.orders.filter(meta_info__contains=META_KEY):
            meta = order.meta_info_data
            meta.pop(META_KEY, None)
            order.meta_info = json.dumps(meta)
            order.save(update_fields=["meta_info"])


class FollowerExporter(OrganizerLevelExportMixin, ListExporter):
    identifier = "innowerkstatt_followers"
    verbose_name = _("Followers of recurring formats")
    category = pgettext_lazy("export_category", "Recurring formats")
    description = _("Every follower of the organiser's recurring formats with their consent time and text.")

    @classmethod
    def get_required_organizer_permission(cls):
        return permissions.EXPORT_FOLLOWERS

    def iterate_list(self, form_data):
        yield [
            _("Format"),
            _("Email"),
            _("Language"),
            _("State"),
            _("Consent given"),
            _("Consent text"),
            _("Confirmed"),
        ]
        followers = Follower.objects.filter(format__organizer=self.organizer).select_related("format")
        for f in followers.order_by("format__slug", "created"):
            yield [
                f.format.slug,
                f.email,
                f.locale,
                f.get_state_display(),
                f.consent_at.astimezone(self.timezone).isoformat(),
                f.consent_text,
                f.confirmed_at.astimezone(self.timezone).isoformat() if f.confirmed_at else "",
            ]

    def get_filename(self):
        return f"{self.organizer.slug}_followers"
