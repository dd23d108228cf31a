"""Per-date and per-product meeting details, and the record of "updated access" mails.

The event's own video settings are hierarkey settings (see settings.py); a row here overrides
them field by field for one date of a series, one product, or one product on one date.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from i18nfield.fields import I18nTextField
from pretix.base.models import LoggedModel

from .settings import HAS_OVERRIDES

__all__ = ["VideoConferenceConfig", "AccessUpdateNotification"]


class VideoConferenceConfig(LoggedModel):
    """Meeting details of one date and/or product; empty fields fall back to the event's."""

    event = models.ForeignKey("pretixbase.Event", on_delete=models.CASCADE, related_name="innowerkstatt_video_configs")
    subevent = models.ForeignKey(
        "pretixbase.SubEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="innowerkstatt_video_configs",
        verbose_name=_("Date"),
    )
    item = models.ForeignKey(
        "pretixbase.Item",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="innowerkstatt_video_configs",
        verbose_name=_("Product"),
    )
    join_url = models.CharField(max_length=2000, blank=True, verbose_name=_("Meeting join URL"))
    meeting_id = models.CharField(max_length=190, blank=True, verbose_name=_("Meeting ID"))
    passcode = models.CharField(max_length=190, blank=True, verbose_name=_("Passcode"))
    dial_in = models.TextField(blank=True, verbose_name=_("Phone dial-in"))
    instructions = I18nTextField(null=True, blank=True, verbose_name=_("Instructions for attendees"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="event__organizer")

    class Meta:
        ordering = ("subevent__date_from", "item__position", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(subevent__isnull=False) | Q(item__isnull=False),
                name="innowerkstatt_videoconfig_scope",
            ),
            models.UniqueConstraint(
                fields=["event", "subevent"],
                condition=Q(item__isnull=True),
                name="innowerkstatt_videoconfig_date_once",
            ),
            models.UniqueConstraint(
                fields=["event", "item"],
                condition=Q(subevent__isnull=True),
                name="innowerkstatt_videoconfig_product_once",
            ),
            models.UniqueConstraint(
                fields=["event", "subevent", "item"],
                condition=Q(subevent__isnull=False, item__isnull=False),
                name="innowerkstatt_videoconfig_date_product_once",
            ),
        ]

    def __str__(self):
        return " / ".join(str(x) for x in (self.subevent, self.item) if x)

    # A hint in the event's (cached) settings lets events without overrides skip their query.
    # Rows removed by a cascade leave it set: that costs a query, never a wrong answer.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.event.settings.set(HAS_OVERRIDES, True)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.event.settings.set(HAS_OVERRIDES, VideoConferenceConfig.objects.filter(event=self.event).exists())
        return result


class AccessUpdateNotification(models.Model):
    """One "updated access information" mail to one position for one state of the access details.

    The unique constraint makes the mailing idempotent: triggering it twice for the same details
    sends nothing new; changing the details again gives a new fingerprint and a new mail.
    """

    position = models.ForeignKey(
        "pretixbase.OrderPosition", on_delete=models.CASCADE, related_name="innowerkstatt_access_notifications"
    )
    fingerprint = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="position__order__event__organizer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["position", "fingerprint"], name="innowerkstatt_access_notification_once")
        ]
