"""Work-phase groups of an agenda item of kind "work" and the tickets that chose them.

A group belongs to one work-phase item (and with it to the item's date of a series). A ticket
(admission order position) without a ``WorkGroupMember`` row has chosen "assign me". Members are
order data: the row goes with its order position (CASCADE), so pretix's order shredder and order
deletion remove it too.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from i18nfield.fields import I18nCharField, I18nTextField
from pretix.base.models import LoggedModel

from ..agenda.domain import limits

__all__ = ["WorkGroup", "WorkGroupHold", "WorkGroupMember"]

NAME_MAX_LENGTH = 190
DESCRIPTION_MAX_LENGTH = 5_000


class WorkGroup(LoggedModel):
    """One group (challenge) of a work phase, with its capacity and its own meeting room."""

    event = models.ForeignKey("pretixbase.Event", on_delete=models.CASCADE, related_name="innowerkstatt_work_groups")
    item = models.ForeignKey(
        "pretix_innowerkstatt.AgendaItem",
        on_delete=models.CASCADE,
        related_name="work_groups",
        verbose_name=_("Work phase"),
    )
    name = I18nCharField(**limits.limited(NAME_MAX_LENGTH), verbose_name=_("Name"))
    description = I18nTextField(
        blank=True,
        **limits.limited(DESCRIPTION_MAX_LENGTH),
        verbose_name=_("Description"),
        help_text=_("You can use Markdown here."),
    )
    capacity = models.PositiveIntegerField(verbose_name=_("Capacity"))
    host = models.ForeignKey(
        "pretix_innowerkstatt.Speaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_work_groups",
        verbose_name=_("Host"),
    )
    # Secret like the main meeting URL: never on public pages, in the public API or calendars.
    meeting_url = models.CharField(
        max_length=2000,
        blank=True,
        verbose_name=_("Meeting URL of this group"),
        help_text=_("Only for the generic provider: the URL of this group's own room."),
    )
    room_name = models.CharField(
        max_length=190,
        blank=True,
        verbose_name=_("Room name or meeting ID"),
        help_text=_(
            "Jitsi room or BigBlueButton meeting ID of this group. Leave empty to derive it from the main meeting."
        ),
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("Position"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organizer="event__organizer")

    class Meta:
        ordering = ("position", "id")

    def __str__(self):
        return str(self.name)

    @property
    def subevent(self):
        return self.item.subevent


class WorkGroupMember(models.Model):
    """A ticket's place in a group."""

    CHOSEN_BY_ATTENDEE = "attendee"
    CHOSEN_BY_ORGANISER = "organiser"
    CHOSEN_BY_AUTOMATIC = "automatic"
    CHOSEN_BY_CHOICES = (
        (CHOSEN_BY_ATTENDEE, _("Attendee")),
        (CHOSEN_BY_ORGANISER, _("Organiser")),
        (CHOSEN_BY_AUTOMATIC, _("Automatic")),
    )

    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="members")
    position = models.OneToOneField(
        "pretixbase.OrderPosition", on_delete=models.CASCADE, related_name="innowerkstatt_work_group_member"
    )
    chosen_by = models.CharField(max_length=20, choices=CHOSEN_BY_CHOICES, default=CHOSEN_BY_ATTENDEE)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="group__event__organizer")

    class Meta:
        ordering = ("created", "id")


class WorkGroupHold(models.Model):
    """A group's place held for a ticket in a shopping cart, from the checkout's group step until the order.

    As pretix holds quota for the tickets in a cart, the group step holds the chosen group's place
    for pretix's reservation time: the buyer learns at the step, not after entering every detail,
    that a group is full, and placing the order only turns the hold into a member (no lock). A
    hold counts towards the group's capacity while its cart position exists and until
    ``expires``; pretix deletes the cart position when the order is placed, and from then on the
    member counts instead. Holds carry no personal data (a cart position's id) and are deleted a
    day after they expire.
    """

    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="holds")
    # pretix's CartPosition, without a foreign key: pretix deletes a cart's positions one by one
    # when it places the order, and a foreign key would have each of those deletes look here.
    cart_position_id = models.PositiveBigIntegerField(unique=True)
    expires = models.DateTimeField(db_index=True)

    objects = ScopedManager(organizer="group__event__organizer")

    class Meta:
        ordering = ("id",)
