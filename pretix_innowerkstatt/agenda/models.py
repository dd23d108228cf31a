"""Agenda items ("Ablaufplan") of an event or date, and the organiser's speaker directory."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from i18nfield.fields import I18nCharField, I18nTextField
from pretix.base.models import LoggedModel

__all__ = ["Speaker", "AgendaItem", "AgendaItemSpeaker"]


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
    name = models.CharField(max_length=200, verbose_name=_("Name"))
    role = I18nCharField(
        max_length=300,
        blank=True,
        verbose_name=_("Role and affiliation"),
        help_text=_("e.g. “Co-organiser Wir vs. Virus Hackathon, Project Lead Prototype Fund”"),
    )
    biography = I18nTextField(blank=True, verbose_name=_("Biography"), help_text=_("You can use Markdown here."))
    photo = models.FileField(
        upload_to=speaker_photo_path, null=True, blank=True, max_length=255, verbose_name=_("Photo")
    )
    # [{"label": "Mastodon", "url": "https://…"}, …] in display order
    links = models.JSONField(default=list, blank=True, verbose_name=_("Links"))
    # Identity of the speaker in an imported schedule (frab/pretalx person guid or code).
    external_id = models.CharField(max_length=190, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ("name", "id")

    def __str__(self):
        return self.name


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
    title = I18nCharField(max_length=300, verbose_name=_("Title"))
    description = I18nTextField(blank=True, verbose_name=_("Description"), help_text=_("You can use Markdown here."))
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, default=KIND_TALK, verbose_name=_("Kind"))
    room = I18nCharField(max_length=200, blank=True, verbose_name=_("Room or breakout"))
    position = models.PositiveIntegerField(default=0, verbose_name=_("Position"))
    speakers = models.ManyToManyField(Speaker, through="AgendaItemSpeaker", related_name="agenda_items")
    # Stable identity for calendars (UID) and re-imports; SEQUENCE grows with every change.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    external_id = models.CharField(max_length=190, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="event__organizer")

    class Meta:
        ordering = ("start", "position", "id")
        indexes = [models.Index(fields=["event", "subevent", "start"])]

    def __str__(self):
        return str(self.title)


class AgendaItemSpeaker(models.Model):
    """A speaker's part in one agenda item, in order."""

    ROLE_SPEAKER = "speaker"
    ROLE_MODERATOR = "moderator"
    ROLE_HOST = "host"
    ROLE_CHOICES = (
        (ROLE_SPEAKER, _("Speaker")),
        (ROLE_MODERATOR, _("Moderator")),
        (ROLE_HOST, _("Host")),
    )

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="agenda_links")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=ROLE_SPEAKER, verbose_name=_("Role"))
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organizer="item__event__organizer")

    class Meta:
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=["item", "speaker"], name="innowerkstatt_item_speaker_once")]
