"""Agenda items ("Ablaufplan") of an event or date, and the organiser's speaker directory.

Text lengths come from ``domain/limits.py``. An external id (from an imported schedule) names at
most one speaker of an organiser and one item of an event's or date's agenda; the database
enforces it, so two imports at once cannot add the same talk or person twice. A speaker's photo
is public (``pub/``, linked from schedule.json): replacing or removing it, or deleting the
speaker, deletes the file and pretix's thumbnails of it from storage.
"""

import uuid

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scopes_disabled
from i18nfield.fields import I18nCharField, I18nTextField
from pretix.base.models import LoggedModel

from ..compat import delete_thumbnails
from .domain import hooks, limits

__all__ = ["Speaker", "AgendaItem", "AgendaItemSpeaker", "AgendaAlignment"]


def speaker_photo_path(instance, filename):
    # A random name: the upload's own name is never trusted or exposed.
    return (
        f"pub/{instance.organizer.slug}/innowerkstatt/speakers/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"
    )


class Speaker(LoggedModel):
    """A person in the organiser's speaker directory, reused across editions."""

    organizer = models.ForeignKey(
        "pretixbase.Organizer", on_delete=models.CASCADE, related_name="innowerkstatt_speakers"
    )
    name = models.CharField(max_length=limits.NAME, verbose_name=_("Name"))
    role = I18nCharField(
        **limits.limited(limits.ROLE),
        blank=True,
        verbose_name=_("Role and affiliation"),
        help_text=_("e.g. “Co-organiser Wir vs. Virus Hackathon, Project Lead Prototype Fund”"),
    )
    biography = I18nTextField(
        blank=True,
        **limits.limited(limits.BIOGRAPHY),
        verbose_name=_("Biography"),
        help_text=_("You can use Markdown here."),
    )
    photo = models.FileField(
        upload_to=speaker_photo_path, null=True, blank=True, max_length=255, verbose_name=_("Photo")
    )
    # [{"label": "Mastodon", "url": "https://…"}, …] in display order
    links = models.JSONField(default=list, blank=True, verbose_name=_("Links"))
    # Private: where the host link is sent. Never shown publicly, never in schedule.json or calendars.
    email = models.EmailField(
        default="",
        blank=True,
        verbose_name=_("Email (private)"),
        help_text=_("Only used to send this person their host link. Never shown publicly."),
    )
    # Language of the mails to this person (their host link); empty: the event's default language.
    locale = models.CharField(
        max_length=32,
        default="",
        blank=True,
        verbose_name=_("Language for mails"),
        help_text=_("The language of the host link mail. Empty: the language of the event."),
    )
    # Identity of the speaker in an imported schedule (frab/pretalx person guid or code).
    external_id = models.CharField(max_length=190, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "external_id"],
                condition=~Q(external_id=""),
                name="innowerkstatt_speaker_external_id_once",
                violation_error_message=_("Another speaker of this organizer already has this external ID."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        stored = None
        if self.pk is not None and (update_fields is None or "photo" in update_fields):
            with scopes_disabled():  # the organiser's own row, whichever scope is active
                stored = Speaker.objects.filter(pk=self.pk).values_list("photo", flat=True).first()
        super().save(*args, **kwargs)
        if stored and stored != (self.photo.name or ""):
            delete_stored_photo(self.photo.storage, stored)


def delete_stored_photo(storage, name: str) -> None:
    """Delete a speaker photo and its thumbnails from storage once the transaction has committed."""

    def delete():
        delete_thumbnails(name)
        storage.delete(name)

    transaction.on_commit(delete)


@receiver(post_delete, sender=Speaker, dispatch_uid="innowerkstatt_agenda_speaker_photo_deleted")
def speaker_deleted(sender, instance, **kwargs):
    # Also when the organiser (and with it the directory) is deleted.
    if instance.photo:
        delete_stored_photo(instance.photo.storage, instance.photo.name)


class AgendaItem(LoggedModel):
    """One entry of the running order. ``subevent`` empty: the event's own agenda."""

    KIND_WELCOME = "welcome"
    KIND_TALK = "talk"
    KIND_PANEL = "panel"
    KIND_BREAK = "break"
    KIND_WORK = "work"
    KIND_PRESENTATION = "presentation"
    KIND_END = "end"
    KIND_CHOICES = (
        (KIND_WELCOME, _("Welcome")),
        (KIND_TALK, _("Talk")),
        (KIND_PANEL, _("Panel")),
        (KIND_BREAK, _("Break")),
        (KIND_WORK, _("Work or breakout phase")),
        (KIND_PRESENTATION, _("Presentation slot")),
        (KIND_END, _("End")),
    )

    event = models.ForeignKey("pretixbase.Event", on_delete=models.CASCADE, related_name="innowerkstatt_agenda_items")
    subevent = models.ForeignKey(
        "pretixbase.SubEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="innowerkstatt_agenda_items",
        verbose_name=_("Date"),
    )
    start = models.DateTimeField(verbose_name=_("Start"))
    end = models.DateTimeField(
        null=True, blank=True, verbose_name=_("End"), help_text=_("Leave empty for an open end, like “20:00 End”.")
    )
    title = I18nCharField(**limits.limited(limits.TITLE), verbose_name=_("Title"))
    description = I18nTextField(
        blank=True,
        **limits.limited(limits.DESCRIPTION),
        verbose_name=_("Description"),
        help_text=_("You can use Markdown here."),
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=KIND_TALK, verbose_name=_("Kind"))
    room = I18nCharField(
        **limits.limited(limits.ROOM),
        blank=True,
        verbose_name=_("Room or breakout"),
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("Position"))
    speakers = models.ManyToManyField(Speaker, through="AgendaItemSpeaker", related_name="agenda_items")
    # Stable identity for calendars (UID) and re-imports; SEQUENCE grows with every change.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    external_id = models.CharField(max_length=190, blank=True, db_index=True)
    # Belongs to this edition only (e.g. a presentation slot of an approved order): copying an
    # agenda (copy page, pretix's event copy, a format's editions) and importing it elsewhere skip it.
    per_edition = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="event__organizer")

    class Meta:
        ordering = ("start", "position", "id")
        indexes = [models.Index(fields=["event", "subevent", "start"])]
        # Two constraints, as NULL (the event's own agenda) never equals NULL in a unique index.
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subevent", "external_id"],
                condition=Q(subevent__isnull=False) & ~Q(external_id=""),
                name="innowerkstatt_item_external_id_once_per_date",
                violation_error_message=_("Another agenda item of this date already has this external ID."),
            ),
            models.UniqueConstraint(
                fields=["event", "external_id"],
                condition=Q(subevent__isnull=True) & ~Q(external_id=""),
                name="innowerkstatt_item_external_id_once_per_event",
                violation_error_message=_("Another agenda item of this event already has this external ID."),
            ),
        ]

    def __str__(self):
        return str(self.title)

    def clean(self):
        super().clean()
        hooks.check_item(self)


class AgendaItemSpeaker(models.Model):
    """A speaker's part in one agenda item, in order."""

    ROLE_SPEAKER = "speaker"
    ROLE_MODERATOR = "moderator"
    ROLE_HOST = "host"
    ROLE_PRESENTER = "presenter"
    # Named on the agenda without hosting (a guest in a panel's audience, a jury member): no host link.
    ROLE_GUEST = "guest"
    ROLE_CHOICES = (
        (ROLE_SPEAKER, _("Speaker")),
        (ROLE_MODERATOR, _("Moderator")),
        (ROLE_HOST, _("Host")),
        (ROLE_PRESENTER, _("Presenter")),
        (ROLE_GUEST, _("Guest (no host link)")),
    )

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="agenda_links")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=ROLE_SPEAKER, verbose_name=_("Role"))
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organizer="item__event__organizer")

    class Meta:
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=["item", "speaker"], name="innowerkstatt_item_speaker_once")]


class AgendaAlignment(models.Model):
    """The time range a series date's own agenda was last aligned with.

    One row per date with agenda items of its own. pretix's bulk edit of dates writes with
    ``bulk_update`` (no save signals): a date whose start no longer equals ``date_from`` here was
    moved there, and the periodic run moves its items along (``shifting.follow_bulk_edited_dates``).
    """

    subevent = models.OneToOneField(
        "pretixbase.SubEvent", on_delete=models.CASCADE, related_name="innowerkstatt_agenda_alignment"
    )
    date_from = models.DateTimeField()
    date_to = models.DateTimeField(null=True)

    objects = ScopedManager(organizer="subevent__event__organizer")

    def __str__(self):
        return f"{self.subevent_id}: {self.date_from}"
