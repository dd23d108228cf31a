"""The settings of a slot product, and the choice of a slot for a waiting presentation."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..agenda.models import AgendaItem
from .models import SlotProduct

QUESTIONS = ("question_initiative", "question_title", "question_description", "question_website")


def _choice(model_field, required=False):
    """A choice field for a scoped foreign key (its query set is set per event in ``__init__``)."""
    field = SlotProduct._meta.get_field(model_field)
    return forms.ModelChoiceField(
        queryset=field.related_model.objects.none(),
        required=required,
        label=field.verbose_name,
        help_text=field.help_text,
    )


class SlotProductForm(forms.ModelForm):
    item = _choice("item", required=True)
    block = _choice("block")
    question_initiative = _choice("question_initiative")
    question_title = _choice("question_title")
    question_description = _choice("question_description")
    question_website = _choice("question_website")

    class Meta:
        model = SlotProduct
        fields = [
            "item",
            "block",
            "slot_minutes",
            "placement",
            "on_cancel",
            "question_initiative",
            "question_title",
            "question_description",
            "question_website",
        ]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        taken = SlotProduct.objects.filter(event=event).exclude(pk=self.instance.pk).values_list("item_id", flat=True)
        self.fields["item"].queryset = event.items.exclude(pk__in=list(taken))
        self.fields["item"].help_text = _(
            "Applicants order this product. It should require approval (the product's “Require approval” setting)."
        )
        self.fields["block"].queryset = AgendaItem.objects.filter(
            event=event, kind=AgendaItem.KIND_PRESENTATION, per_edition=False, end__isnull=False
        ).order_by("start")
        self.fields["block"].label_from_instance = lambda block: f"{block.title} ({block.start:%Y-%m-%d %H:%M})"
        self.fields["slot_minutes"].validators.append(MinValueValidator(1))
        for name in QUESTIONS:
            self.fields[name].queryset = event.questions.all()
        self.fields["question_initiative"].help_text = _(
            "Required for placing a presentation; without an answer the attendee's name is used."
        )
        self.fields["question_website"].help_text = _("Only web addresses starting with https:// or http:// are taken.")

    def clean(self):
        data = super().clean()
        chosen = [data[n].pk for n in QUESTIONS if data.get(n) is not None]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Please choose a different question for each part of the application."))
        item = data.get("item")
        for name in QUESTIONS:
            question = data.get(name)
            if item is not None and question is not None and not question.items.filter(pk=item.pk).exists():
                # Applicants would never see it, and every order would lack the answer.
                self.add_error(name, _("This question is not asked for the chosen product."))
        return data


class PlaceForm(forms.Form):
    """Which free slot a waiting presentation gets."""

    slot = forms.TypedChoiceField(coerce=int, label=_("Slot"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = choices
