"""Public pages of a format (follow, confirm, unsubscribe) and the organiser's followers page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.timezone import now
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from pretix.base.views.tasks import AsyncAction

from ..compat import client_ip, rate_limit
from ..core.permissions import OrganizerPluginPermissionMixin, plugin_active_for_organizer
from ..formats.interfaces.calendar import calendar_url, edition_url, is_published
from ..formats.models import Edition, Format
from . import permissions, tasks
from .domain import announcing, following, managing, statistics, texts, tokens
from .forms import FollowForm, FollowSettingsForm, announcement_placeholders
from .interfaces.pages import public_page_url
from .models import Follower

# The follow form: per address and per IP, pretix's rate limit (with Redis; none without, as in pretix).
FOLLOWS_PER_ADDRESS = 3
FOLLOWS_PER_IP = 20
RATE_WINDOW_SECONDS = 3600
RATE_KEY = "innowerkstatt_follow"
DONE_PARAMETER = "followed"


def public_format(request, slug) -> Format:
    if not plugin_active_for_organizer(request.organizer):
        raise Http404()
    return get_object_or_404(
        Format.objects.select_related("template_event", "organizer"),
        organizer=request.organizer,
        slug=slug,
        public=True,
    )


def locales_of(fmt) -> list[tuple[str, str]]:
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    codes = (fmt.template_event.settings.locales if fmt.template_event else None) or [settings.LANGUAGE_CODE]
    return [(code, names.get(code, code)) for code in codes]


def rate_limited(request, email: str) -> bool:
    ip = client_ip(request) or "unknown"
    per_ip = rate_limit(f"{RATE_KEY}_ip", ip, max_num=FOLLOWS_PER_IP, expire_time=RATE_WINDOW_SECONDS)
    per_address = rate_limit(
        f"{RATE_KEY}_address",
        following.normalise(email),
        max_num=FOLLOWS_PER_ADDRESS,
        expire_time=RATE_WINDOW_SECONDS,
    )
    return per_ip or per_address


class FormatPageView(View):
    """``/<organizer>/innowerkstatt/formats/<slug>/``: the format, its editions and the follow form."""

    template_name = "pretix_innowerkstatt/followers/format_page.html"

    def form(self, fmt, data=None):
        locales = locales_of(fmt)
        current = get_language()
        return FollowForm(
            data=data,
            locales=locales,
            consent_text=str(texts.consent_text(fmt)),
            initial_locale=current if current in dict(locales) else locales[0][0],
        )

    def render_page(self, request, fmt, form, *, done=False, status=200):
        current = now()
        editions = [
            e
            for e in Edition.objects.filter(format=fmt, event__isnull=False).select_related(
                "event", "subevent", "event__organizer"
            )
            if is_published(e)
        ]
        upcoming = sorted((e for e in editions if e.target.date_from >= current), key=lambda e: e.target.date_from)
        past = sorted((e for e in editions if e.target.date_from < current), key=lambda e: e.target.date_from)
        template = fmt.template_event
        context = {
            "organizer": request.organizer,
            "format": fmt,
            "description": template.settings.frontpage_text if template else "",
            "timezone": str(template.timezone) if template else None,
            "upcoming": [{"name": e.target.name, "start": e.target.date_from, "url": edition_url(e)} for e in upcoming],
            "past": [{"name": e.target.name, "start": e.target.date_from} for e in reversed(past)],
            "calendar_url": calendar_url(fmt),
            "form": form,
            "done": done,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug, **kwargs):
        fmt = public_format(request, slug)
        return self.render_page(request, fmt, self.form(fmt), done=DONE_PARAMETER in request.GET)

    def post(self, request, slug, **kwargs):
        fmt = public_format(request, slug)
        form = self.form(fmt, data=request.POST)
        if not form.is_valid():
            return self.render_page(request, fmt, form, status=400)
        email = form.cleaned_data["email"]
        if rate_limited(request, email):
            form.add_error(None, _("Too many requests. Please try again later."))
            return self.render_page(request, fmt, form, status=429)
        following.follow(fmt, email, form.cleaned_data["locale"])
        # The same answer for new, pending and confirmed addresses: nobody learns who follows.
        # Redirected, so that reloading the page sends nothing again (as pretix's own forms do).
        return redirect(f"{request.path}?{DONE_PARAMETER}=1#follow")


class _TokenView(View):
    template_name = "pretix_innowerkstatt/followers/token_page.html"

    def follower(self, request, slug, token):
        fmt = public_format(request, slug)
        return fmt, self.lookup(token, Follower.objects.filter(format=fmt))

    def page(self, request, fmt, **context):
        return render(request, self.template_name, {"organizer": request.organizer, "format": fmt, **context})


class ConfirmView(_TokenView):
    """GET shows a button (mail scanners open links); the POST confirms."""

    lookup = staticmethod(tokens.follower_to_confirm)

    def get(self, request, slug, token, **kwargs):
        fmt, follower = self.follower(request, slug, token)
        return self.page(request, fmt, action="confirm", valid=follower is not None)

    def post(self, request, slug, token, **kwargs):
        fmt, follower = self.follower(request, slug, token)
        if follower is None:
            return self.page(request, fmt, action="confirm", valid=False)
        following.confirm(follower)
        return self.page(request, fmt, action="confirm", valid=True, done=True)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(_TokenView):
    """RFC 8058: a POST (``List-Unsubscribe=One-Click`` from a mail client, or the button) unsubscribes.

    CSRF-exempt on purpose: mail clients post without a session; the signed token is the proof.
    """

    lookup = staticmethod(tokens.follower_to_unsubscribe)

    def get(self, request, slug, token, **kwargs):
        fmt, follower = self.follower(request, slug, token)
        return self.page(request, fmt, action="unsubscribe", valid=follower is not None)

    def post(self, request, slug, token, **kwargs):
        fmt, follower = self.follower(request, slug, token)
        if follower is not None:
            following.unsubscribe(follower)
        # Unsubscribed, or already gone: the same answer.
        return self.page(request, fmt, action="unsubscribe", valid=True, done=True)


# --- backend ------------------------------------------------------------------------------------


class FollowersMixin(OrganizerPluginPermissionMixin):
    permission = permissions.VIEW_FOLLOWERS
    write_permission = permissions.MANAGE_FOLLOWERS

    @cached_property
    def format(self):
        return get_object_or_404(
            Format.objects.select_related("template_event"), organizer=self.request.organizer, slug=self.kwargs["slug"]
        )

    def page_url(self):
        return reverse(
            "plugins:pretix_innowerkstatt:followers",
            kwargs={"organizer": self.request.organizer.slug, "slug": self.format.slug},
        )


class FollowersView(FollowersMixin, TemplateView):
    """Counts, per-edition statistics, the announcement text and its preview."""

    template_name = "pretix_innowerkstatt/followers/control/followers.html"

    def settings_form(self, data=None):
        fmt = self.format
        instance = texts.settings_of(fmt)
        return FollowSettingsForm(
            data=data,
            instance=instance,
            locales=fmt.template_event.settings.locales if fmt.template_event else None,
            placeholders=announcement_placeholders(fmt.template_event),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fmt = self.format
        ctx.update(
            format=fmt,
            counts=statistics.follower_counts(fmt),
            editions=statistics.edition_rows(fmt),
            form=kwargs.get("form") or self.settings_form(),
            public_url=public_page_url(fmt),
        )
        preview_edition = next((row["edition"] for row in ctx["editions"] if row["can_announce"]), None)
        if preview_edition is not None:
            locale = self.request.GET.get("locale") or get_language()
            ctx["preview_locale"] = locale
            ctx["preview_edition"] = preview_edition
            ctx["preview_subject"], ctx["preview_text"] = announcing.preview(preview_edition, locale)
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.settings_form(data=request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        managing.save_settings(form.instance, form.changed_data, user=request.user)
        messages.success(request, _("Your changes have been saved."))
        return redirect(self.page_url())


class AnnounceView(FollowersMixin, AsyncAction, View):
    """Send the announcement of one edition by hand (only to followers not told yet), with progress."""

    task = tasks.announce_edition
    permission = permissions.MANAGE_FOLLOWERS

    def get_success_url(self, value):
        return self.page_url()

    def get_error_url(self):
        return self.page_url()

    def get_success_message(self, value):
        return ngettext(
            "The announcement has been sent to %(count)s follower.",
            "The announcement has been sent to %(count)s followers.",
            value,
        ) % {"count": value}

    def post(self, request, *args, **kwargs):
        edition = get_object_or_404(Edition, format=self.format, pk=kwargs["edition"], event__isnull=False)
        if not announcing.may_announce(edition):
            messages.error(request, _("Only published editions that have not started yet can be announced."))
            return redirect(self.page_url())
        return self.do(event=edition.event_id, edition_id=edition.pk, user=request.user.pk)
