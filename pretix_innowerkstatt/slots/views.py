"""Backend pages: Event → Presentation slots (products, their slots, waiting presentations)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ..core.permissions import EventPluginPermissionMixin
from . import permissions
from .domain import placement, setup
from .domain.overview import product_status
from .forms import PlaceForm, SlotProductForm
from .models import PresentationSlot, SlotProduct


class SlotsMixin(EventPluginPermissionMixin):
    permission = permissions.VIEW_SLOTS
    write_permission = permissions.MANAGE_SLOTS

    def slots_url(self):
        event = self.request.event
        kwargs = {"organizer": event.organizer.slug, "event": event.slug}
        return reverse("plugins:pretix_innowerkstatt:slots", kwargs=kwargs)


def slot_choices(event, status, tz=None):
    tz = tz or event.timezone
    return [(row.index, placement.time_range(tz, row.start, row.end)) for row in status.free]


class SlotsView(SlotsMixin, TemplateView):
    template_name = "pretix_innowerkstatt/slots/slots.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        products = SlotProduct.objects.filter(event=event).select_related("item", "block")
        statuses = []
        tz = event.timezone
        for product in products:
            status = product_status(product)
            status.slot_rows = [(row, placement.time_range(tz, row.start, row.end)) for row in status.rows]
            status.place_form = PlaceForm(choices=slot_choices(event, status, tz)) if status.free else None
            statuses.append(status)
        ctx["statuses"] = statuses
        ctx["texts"] = setup.texts_with_placeholder(event)
        ctx["texts_complete"] = all(ctx["texts"].values())
        ctx["mail_settings_url"] = reverse(
            "control:event.settings.mail", kwargs={"organizer": event.organizer.slug, "event": event.slug}
        )
        return ctx


class SlotProductFormMixin(SlotsMixin):
    template_name = "pretix_innowerkstatt/slots/product_edit.html"
    form_class = SlotProductForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.request.event, "instance": self.get_object()}

    def form_valid(self, form):
        product = form.save(commit=False)
        product.event = self.request.event
        if form.has_changed() or product.pk is None:
            result = setup.save_product(product, user=self.request.user, changed=form.changed_data)
            for quota in result["quotas"]:
                messages.info(
                    self.request,
                    _("The quota “{quota}” now has {size} places: one per slot in the block.").format(
                        quota=quota.name, size=quota.size
                    ),
                )
            if result["texts"]:
                messages.info(self.request, _("The approval mail texts now tell applicants their slot."))
        messages.success(self.request, _("Your changes have been saved."))
        return redirect(self.slots_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Your changes could not be saved. See below for details."))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "slots_url": self.slots_url()}


class SlotProductCreateView(SlotProductFormMixin, FormView):
    def get_object(self):
        return SlotProduct(event=self.request.event)


class SlotProductUpdateView(SlotProductFormMixin, FormView):
    def get_object(self):
        return get_object_or_404(SlotProduct, event=self.request.event, pk=self.kwargs["pk"])


class SlotProductDeleteView(SlotsMixin, TemplateView):
    template_name = "pretix_innowerkstatt/slots/product_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = get_object_or_404(SlotProduct, event=self.request.event, pk=self.kwargs["pk"])
        ctx["slots_url"] = self.slots_url()
        return ctx

    def post(self, request, *args, **kwargs):
        product = get_object_or_404(SlotProduct, event=request.event, pk=kwargs["pk"])
        setup.remove_product(product, user=request.user)
        messages.success(request, _("The product is no longer a presentation slot product."))
        return redirect(self.slots_url())


class PlaceView(SlotsMixin, View):
    """POST ``presentation`` and ``slot``: give a waiting presentation the chosen free slot."""

    def get(self, request, *args, **kwargs):
        return redirect(self.slots_url())

    def post(self, request, *args, **kwargs):
        pk = request.POST.get("presentation", "")
        presentation = PresentationSlot.objects.filter(product__event=request.event, pk=pk if pk.isdigit() else None)
        presentation = presentation.select_related("product__block").first()
        if presentation is None:
            messages.error(request, _("This presentation does not exist (any more)."))
            return redirect(self.slots_url())
        status = product_status(presentation.product)
        form = PlaceForm(request.POST, choices=slot_choices(request.event, status))
        if not form.is_valid():
            messages.error(request, _("Please choose one of the free slots."))
            return redirect(self.slots_url())
        try:
            item = placement.place_by_hand(presentation, form.cleaned_data["slot"], user=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(self.slots_url())
        messages.success(
            request,
            _("“{title}” has been placed at {time}.").format(
                title=presentation.title, time=placement.slot_label(request.event, item)
            ),
        )
        return redirect(self.slots_url())
