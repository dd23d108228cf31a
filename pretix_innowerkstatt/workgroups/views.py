"""Backend pages (Event → Agenda → Groups) and the attendee's group change from the order page."""

import hmac

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from pretix.base.models import OrderPosition
from pretix.multidomain.urlreverse import eventreverse

from ..core.permissions import NOT_ALLOWED_TO_CHANGE, EventPluginPermissionMixin, plugin_active_for_event
from ..core.settings_forms import save_event_settings
from ..videolinks.settings import CHECKIN_LIST as VIDEO_CHECKIN_LIST
from . import logtypes
from .domain.managing import change_group, create_group, delete_group
from .domain.membership import GroupError, assign_rest, attendee_may_change, choose_group, move_member
from .domain.selection import groups_of_date, with_join_counts, work_phase_items
from .forms import DeleteGroupForm, GroupForm, GroupSettingsForm
from .models import WorkGroup, WorkGroupMember
from .permissions import EDIT_GROUPS, VIEW_MEMBERS


def number(value) -> int:
    """A submitted id; anything else matches nothing (no error page for a tampered form)."""
    return int(value) if isinstance(value, str) and value.isdigit() else 0


class GroupDateMixin(EventPluginPermissionMixin):
    """The event or the series date whose groups a page shows (``?subevent=<id>``).

    Anyone with access to the event sees the groups (as the agenda); who is in them is order data,
    shown only with the permission to read orders.
    """

    permission = None
    write_permission = EDIT_GROUPS

    @cached_property
    def subevent(self):
        pk = self.request.GET.get("subevent")
        if not self.request.event.has_subevents or not pk:
            return None
        return get_object_or_404(self.request.event.subevents, pk=pk)

    def list_url(self, subevent=None):
        url = reverse(
            "plugins:pretix_innowerkstatt:agenda_groups",
            kwargs={"organizer": self.request.organizer.slug, "event": self.request.event.slug},
        )
        subevent = subevent if subevent is not None else self.subevent
        return f"{url}?subevent={subevent.pk}" if subevent else url

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["subevent"] = self.subevent
        ctx["subevent_query"] = f"?subevent={self.subevent.pk}" if self.subevent else ""
        ctx["list_url"] = self.list_url()
        user, organizer, event = self.request.user, self.request.organizer, self.request.event
        ctx["can_edit"] = user.has_event_permission(organizer, event, EDIT_GROUPS, request=self.request)
        ctx["can_see_members"] = user.has_event_permission(organizer, event, VIEW_MEMBERS, request=self.request)
        return ctx


class GroupListView(GroupDateMixin, TemplateView):
    """The groups of each work phase of the event or date, with members and capacity."""

    template_name = "pretix_innowerkstatt/workgroups/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        groups = with_join_counts(
            groups_of_date(event, self.subevent), event.settings.get(VIDEO_CHECKIN_LIST, as_type=int)
        )
        if ctx["can_see_members"]:
            groups = groups.prefetch_related(
                Prefetch(
                    "members",
                    queryset=WorkGroupMember.objects.select_related("position", "position__order").order_by(
                        "position__order__code", "position__positionid"
                    ),
                )
            )
        groups = list(groups)
        items = work_phase_items(event, self.subevent)
        ctx["phases"] = [(item, [g for g in groups if g.item_id == item.pk]) for item in items]
        ctx["all_groups"] = groups
        ctx["waiting"] = self.waiting_count(groups)
        if event.has_subevents:
            ctx["dates"] = event.subevents.all().order_by("date_from")
        return ctx

    def waiting_count(self, groups) -> int:
        if not groups:
            return 0
        from .domain.membership import counted_positions

        return (
            counted_positions(
                OrderPosition.objects.filter(
                    order__event=self.request.event,
                    subevent=self.subevent,
                    item__admission=True,
                    innowerkstatt_work_group_member=None,
                )
            )
            .distinct()
            .count()
        )

    def post(self, request, *args, **kwargs):
        """Move one ticket to another group, or assign the rest."""
        if "assign_rest" in request.POST:
            count = assign_rest(request.event, self.subevent, user=request.user)
            messages.success(request, _("{count} tickets have been assigned to a group.").format(count=count))
            return redirect(self.list_url())
        member = (
            WorkGroupMember.objects.select_related("position", "position__order", "position__item", "group__item")
            .filter(pk=number(request.POST.get("member")), group__event=request.event)
            .first()
        )
        if member is None:
            messages.error(request, _("Please choose a ticket to move."))
            return redirect(self.list_url())
        if not request.user.has_event_permission(request.organizer, request.event, VIEW_MEMBERS, request=request):
            raise PermissionDenied(NOT_ALLOWED_TO_CHANGE)
        target = None
        if request.POST.get("group"):
            target = get_object_or_404(WorkGroup, pk=number(request.POST["group"]), event=request.event)
        try:
            over = move_member(member.position, target, user=request.user)
        except GroupError as error:
            messages.error(request, str(error))
            return redirect(self.list_url())
        if over:
            messages.warning(
                request,
                _("The ticket has been moved. The group “{name}” now has more members than places.").format(
                    name=target.name
                ),
            )
        else:
            messages.success(request, _("The ticket has been moved."))
        return redirect(self.list_url())


class GroupEditView(GroupDateMixin, FormView):
    """Add a group to a work phase, or change one."""

    permission = EDIT_GROUPS
    form_class = GroupForm
    template_name = "pretix_innowerkstatt/workgroups/edit.html"

    @cached_property
    def group(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            WorkGroup.objects.select_related("item"), pk=self.kwargs["pk"], event=self.request.event
        )

    @cached_property
    def subevent(self):
        if self.group is not None:
            return self.group.item.subevent
        return super().subevent

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(event=self.request.event, items=work_phase_items(self.request.event, self.subevent))
        kwargs["instance"] = self.group
        return kwargs

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in GroupForm.Meta.fields if name != "item"}
        try:
            if self.group is None:
                create_group(form.cleaned_data["item"], user=self.request.user, **fields)
            else:
                change_group(self.group, user=self.request.user, item=form.cleaned_data["item"], **fields)
        except GroupError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your changes have been saved."))
        return redirect(self.list_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group
        return ctx


class GroupDeleteView(GroupDateMixin, FormView):
    """Delete a group; its members move to another group of the date or back to "assign me"."""

    permission = EDIT_GROUPS
    form_class = DeleteGroupForm
    template_name = "pretix_innowerkstatt/workgroups/delete.html"

    @cached_property
    def group(self):
        return get_object_or_404(
            WorkGroup.objects.select_related("item"),
            pk=self.kwargs["pk"],
            event=self.request.event,
        )

    @cached_property
    def subevent(self):
        return self.group.item.subevent

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        others = WorkGroup.objects.filter(event=self.request.event, item__subevent=self.subevent).exclude(
            pk=self.group.pk
        )
        kwargs["groups"] = others
        return kwargs

    def form_valid(self, form):
        try:
            moved = delete_group(self.group, move_to=form.cleaned_data["move_to"], user=self.request.user)
        except GroupError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The group has been deleted; {count} members moved.").format(count=moved))
        return redirect(self.list_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group
        ctx["member_count"] = self.group.members.count()
        return ctx


class GroupSettingsView(GroupDateMixin, FormView):
    """When the rest is assigned automatically, and until when attendees may change their group."""

    permission = EDIT_GROUPS
    form_class = GroupSettingsForm
    template_name = "pretix_innowerkstatt/workgroups/settings.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "obj": self.request.event}

    def form_valid(self, form):
        save_event_settings(form, self.request.event, user=self.request.user, action_type=logtypes.SETTINGS_CHANGED)
        messages.success(self.request, _("Your changes have been saved."))
        return redirect(self.list_url())


@method_decorator(never_cache, name="dispatch")
class AttendeeChooseView(View):
    """``/<organizer>/<event>/innowerkstatt/group/<order>/<position>/<secret>/``: POST changes the group.

    The secret is the ticket's own (as on pretix's ticket page); a wrong one is not found. GET
    leads back to the order page.
    """

    def dispatch(self, request, *args, **kwargs):
        if not plugin_active_for_event(request.event):
            raise Http404()
        position = (
            OrderPosition.objects.select_related("order", "item", "subevent")
            .filter(order__event=request.event, order__code=kwargs["order"], positionid=kwargs["position"])
            .first()
        )
        # Always compare, also when no ticket exists: a wrong link takes as long as a right one.
        secret = position.web_secret if position is not None else "\0no-such-ticket"
        if not hmac.compare_digest(secret.encode(), kwargs["secret"].encode()) or position is None:
            raise Http404()
        self.position = position
        self.back = eventreverse(
            request.event, "presale:event.order", kwargs={"order": position.order.code, "secret": position.order.secret}
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.back)

    def post(self, request, *args, **kwargs):
        position = self.position
        if not attendee_may_change(position):
            messages.error(request, _("The group can no longer be changed."))
            return HttpResponseRedirect(self.back)
        group = None
        if request.POST.get("group"):
            group = (
                WorkGroup.objects.select_related("item")
                .filter(pk=number(request.POST["group"]), event=request.event)
                .first()
            )
            if group is None:
                messages.error(request, _("Please choose one of the groups shown."))
                return HttpResponseRedirect(self.back)
        try:
            choose_group(position, group)
        except GroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your group has been changed."))
        return HttpResponseRedirect(self.back)
