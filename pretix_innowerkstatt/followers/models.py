"""Followers of a recurring format: who asked to be told when a new edition opens.

Only what the double opt-in, the announcements and the erasure need is stored: the address,
its language, the consent (text and time) and the state. Unsubscribing deletes the row; only a
per-format counter remains.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from i18nfield.fields import I18nCharField, I18nTextField

__all__ = ["FollowSettings", "Follower", "Announcement", "Attribution"]


class FollowSettings(models.Model):
    """One row per format: the organiser's texts and switches, and the unsubscribe counter."""

    format = models.OneToOneField(
        "pretix_innowerkstatt.Format", on_delete=models.CASCADE, related_name="follow_settings"
    )
    consent_text = I18nTextField(
        null=True,
        blank=True,
        verbose_name=_("Consent text"),
        help_text=_("Shown beside the consent checkbox of the follow form and stored with every follower."),
    )
    announce_automatically = models.BooleanField(
        default=True,
        verbose_name=_("Announce new editions automatically"),
        help_text=_("Followers get a mail as soon as an edition of this format goes live."),
    )
    announcement_subject = I18nCharField(max_length=200, null=True, blank=True, verbose_name=_("Subject"))
    announcement_text = I18nTextField(null=True, blank=True, verbose_name=_("Text"))
    unsubscribed = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(organizer="format__organizer")


class Follower(models.Model):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    STATE_CHOICES = ((PENDING, _("Waiting for confirmation")), (CONFIRMED, _("Confirmed")))
    SOURCE_FORM = "form"
    SOURCE_CHECKOUT = "checkout"

    format = models.ForeignKey("pretix_innowerkstatt.Format", on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(max_length=254)
    locale = models.CharField(max_length=16)
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=PENDING)
    source = models.CharField(max_length=10, default=SOURCE_FORM)
    consent_text = models.TextField()
    consent_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="format__organizer")

    class Meta:
        ordering = ("created", "id")
        constraints = [
            models.UniqueConstraint(fields=["format", "email"], name="innowerkstatt_follower_once_per_format"),
        ]
        indexes = [models.Index(fields=["format", "state"], name="innowerkstatt_follower_state")]

    def __str__(self):
        return f"follower #{self.pk}"


class Announcement(models.Model):
    """One announcement mail to one follower about one edition.

    The row is inserted before the mail is sent; its unique constraint is what makes "exactly
    once per follower and edition" hold when an edition goes live twice or two workers run.
    When the follower unsubscribes the row stays without them, for the edition's statistics.
    """

    edition = models.ForeignKey(
        "pretix_innowerkstatt.Edition", on_delete=models.CASCADE, related_name="follower_announcements"
    )
    follower = models.ForeignKey(Follower, on_delete=models.SET_NULL, null=True, related_name="announcements")
    sent = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="edition__format__organizer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "edition"], name="innowerkstatt_announcement_once"),
        ]


class Attribution(models.Model):
    """An order placed after following an announcement's shop link (signed token, no tracking)."""

    order = models.OneToOneField("pretixbase.Order", on_delete=models.CASCADE, related_name="innowerkstatt_attribution")
    edition = models.ForeignKey(
        "pretix_innowerkstatt.Edition", on_delete=models.CASCADE, related_name="follower_attributions"
    )
    announcement = models.ForeignKey(Announcement, on_delete=models.SET_NULL, null=True, related_name="orders")

    objects = ScopedManager(organizer="order__event__organizer")
