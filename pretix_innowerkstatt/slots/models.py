"""Presentation slots: products whose approved orders become agenda items in a block of the agenda.

``SlotProduct`` ties a pretix product to its block (an agenda item of kind "presentation") and
says how long a slot is, how slots are filled and which questions give the item's text.
``PresentationSlot`` is one approved application: the order position, the agenda item made from
it (empty while unplaced) and the presenter in the speaker directory.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from pretix.base.models import LoggedModel

__all__ = ["SlotProduct", "PresentationSlot"]


class SlotProduct(LoggedModel):
    """A pretix product whose approved orders fill the slots of one agenda block."""

    PLACEMENT_APPROVAL = "approval"
    PLACEMENT_MANUAL = "manual"
    PLACEMENT_CHOICES = (
        (PLACEMENT_APPROVAL, _("In order of approval")),
        (PLACEMENT_MANUAL, _("By hand")),
    )
    CANCEL_GAP = "gap"
    CANCEL_CLOSE_UP = "close_up"
    CANCEL_CHOICES = (
        (CANCEL_GAP, _("Leave a gap")),
        (CANCEL_CLOSE_UP, _("Move the following presentations forward")),
    )

    event = models.ForeignKey("pretixbase.Event", on_delete=models.CASCADE, related_name="innowerkstatt_slot_products")
    item = models.OneToOneField(
        "pretixbase.Item",
        on_delete=models.CASCADE,
        related_name="innowerkstatt_slot_product",
        verbose_name=_("Product"),
    )
    block = models.ForeignKey(
        "pretix_innowerkstatt.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innowerkstatt_slot_products",
        verbose_name=_("Agenda block"),
        help_text=_("An agenda item of the kind “Presentation slot” with a start and an end."),
    )
    slot_minutes = models.PositiveSmallIntegerField(default=5, verbose_name=_("Slot length in minutes"))
    placement = models.CharField(
        max_length=20, choices=PLACEMENT_CHOICES, default=PLACEMENT_APPROVAL, verbose_name=_("Placement")
    )
    on_cancel = models.CharField(
        max_length=20,
        choices=CANCEL_CHOICES,
        default=CANCEL_GAP,
        verbose_name=_("When a presentation is cancelled"),
    )
    question_initiative = models.ForeignKey(
        "pretixbase.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Question for the initiative’s name"),
    )
    question_title = models.ForeignKey(
        "pretixbase.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Question for the project title"),
    )
    question_description = models.ForeignKey(
        "pretixbase.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Question for the short description"),
    )
    question_website = models.ForeignKey(
        "pretixbase.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Question for the website"),
    )

    objects = ScopedManager(organizer="event__organizer")

    class Meta:
        ordering = ("id",)

    def __str__(self):
        return str(self.item)


class PresentationSlot(models.Model):
    """One approved application: its agenda item (empty: not placed) and its presenter."""

    product = models.ForeignKey(SlotProduct, on_delete=models.CASCADE, related_name="presentations")
    position = models.OneToOneField(
        "pretixbase.OrderPosition", on_delete=models.CASCADE, related_name="innowerkstatt_presentation"
    )
    agenda_item = models.OneToOneField(
        "pretix_innowerkstatt.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innowerkstatt_presentation",
    )
    speaker = models.ForeignKey(
        "pretix_innowerkstatt.Speaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innowerkstatt_presentations",
    )
    # The speaker was created from this order (not matched by email): shredding the order's data
    # removes them from the directory.
    speaker_from_order = models.BooleanField(default=False)
    title = models.CharField(max_length=255, default="")
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="product__event__organizer")

    class Meta:
        ordering = ("created", "id")

    def __str__(self):
        return self.title
