"""The organiser's side: settings, per-date/product details, test link, counts, mailings, log."""

import datetime
import re

import pytest
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Checkin, Event, LogEntry

from pretix_innowerkstatt.videolinks import overview
from pretix_innowerkstatt.videolinks import settings as names
from pretix_innowerkstatt.videolinks.domain.checkin import checkin_list
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig
from tests.conftest import login

from .conftest import MEETING_URL, make_order

BASE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/"


def date_edit_page(subevent):
    """pretix's form of one date (pretix 2026.8 added a detail page, older releases open the form)."""
    from django.urls import NoReverseMatch, reverse

    kwargs = {"organizer": subevent.event.organizer.slug, "event": subevent.event.slug, "subevent": subevent.pk}
    try:
        return reverse("control:event.subevent.edit", kwargs=kwargs)
    except NoReverseMatch:
        return reverse("control:event.subevent", kwargs=kwargs)


def copy_of(event, slug, days=91):
    """A new event of the same organiser ``days`` later, copied from ``event`` by pretix's event copy."""
    copy = Event.objects.create(
        organizer=event.organizer,
        name=slug,
        slug=slug,
        date_from=event.date_from + datetime.timedelta(days=days),
        plugins=event.plugins,
    )
    copy.copy_data_from(event)
    return copy


def settings_data(**overrides):
    data = {
        "join_url": "https://meet.jit.si/innowerkstatt-2026",
        "provider": "generic",
        "meeting_id": "123 456",
        "passcode": "geheim",
        "dial_in": "+49 30 1234567 (Berlin)",
        "instructions_0": "Bitte **Kamera** an.",
        "instructions_1": "Please turn on your **camera**.",
        "opens_minutes_before": "15",
        "closes_minutes_after": "60",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_settings_page_saves_logs_and_creates_the_checkin_list(admin_client, event, item):
    assert admin_client.get(BASE).status_code == 200
    response = admin_client.post(BASE, settings_data(), follow=True)
    assert response.status_code == 200
    with scopes_disabled():
        event = Event.objects.get(pk=event.pk)
        assert event.settings.get(names.JOIN_URL) == "https://meet.jit.si/innowerkstatt-2026"
        assert event.settings.get(names.OPENS_MINUTES_BEFORE, as_type=int) == 15
        assert event.settings.get(names.PASSCODE) == "geheim"
        assert "Kamera" in str(event.settings.get(names.INSTRUCTIONS, as_type=type(event.name)))
        clist = checkin_list(event)
        assert clist is not None and clist.name == "Online (Videokonferenz)"
        assert not clist.consider_tickets_used and not clist.allow_multiple_entries
        entry = LogEntry.objects.filter(action_type="pretix_innowerkstatt.videolinks.settings.changed").last()
        assert entry.user.email == "admin@innovationsbuero.example"
        assert entry.display() == "The video conference settings have been changed."
        assert "geheim" not in entry.data and "innowerkstatt-2026" not in entry.data  # no secrets in the log
    log_page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/logs/")
    assert "The video conference settings have been changed." in log_page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, message",
    [
        ("javascript:alert(1)", "Only http:// and https://"),
        ("data:text/html;base64,PHNjcmlwdD4=", "Only http:// and https://"),
        ("https://meet.example.org/{secret}", "Unknown placeholder"),
    ],
)
def test_unsafe_meeting_urls_are_refused_with_a_clear_error(admin_client, event, item, url, message):
    response = admin_client.post(BASE, settings_data(join_url=url))
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Event.objects.get(pk=event.pk).settings.get(names.JOIN_URL)


@pytest.mark.django_db
def test_readonly_and_foreign_users_cannot_open_the_settings(client, event, readonly_user, foreign_user):
    login(client, readonly_user)
    assert client.get(BASE).status_code == 403
    assert client.post(BASE, settings_data()).status_code == 403
    assert client.get(BASE + "joins/").status_code == 200  # may read the counts
    client.logout()
    login(client, foreign_user)
    for sub in ("", "test/", "joins/", "details/add/"):
        assert client.get(BASE + sub).status_code in (403, 404)


@pytest.mark.django_db
def test_pages_404_when_the_plugin_is_off(admin_client, event):
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert admin_client.get(BASE).status_code == 404


@pytest.mark.django_db
def test_override_for_a_product_add_edit_delete(admin_client, configured_event, item, monkeypatch):
    from pretix.base.services import tickets

    invalidated = []  # rendered PDF tickets carry the link or not: pretix must render them again
    monkeypatch.setattr(tickets.invalidate_cache, "apply_async", lambda kwargs: invalidated.append(kwargs["event"]))
    with scopes_disabled():
        workshop = configured_event.items.create(name="Workshop", default_price=0, admission=True)
    response = admin_client.post(
        BASE + "details/add/",
        {
            "item": workshop.pk,
            "join_url": "https://workshop.example.org/room",
            "meeting_id": "",
            "passcode": "",
            "dial_in": "",
            "instructions_0": "",
            "instructions_1": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        row = VideoConferenceConfig.objects.get(event=configured_event, item=workshop)
    page = admin_client.get(BASE)
    assert "https://workshop.example.org/room" in page.content.decode()
    response = admin_client.post(
        BASE + "details/add/",
        {"item": workshop.pk, "join_url": "javascript:alert(1)", "instructions_0": "", "instructions_1": ""},
    )
    assert "Only http:// and https://" in response.content.decode()
    response = admin_client.post(BASE + "details/add/", {"join_url": "https://x.example.org"})
    assert "Choose a date, a product or both." in response.content.decode()
    admin_client.post(
        BASE + f"details/{row.pk}/",
        {
            "item": workshop.pk,
            "join_url": "https://workshop.example.org/other",
            "instructions_0": "",
            "instructions_1": "",
        },
    )
    with scopes_disabled():
        row.refresh_from_db()
        assert row.join_url == "https://workshop.example.org/other"
    assert invalidated == [configured_event.pk] * 2
    assert admin_client.post(BASE + f"details/{row.pk}/delete/").status_code == 302
    assert invalidated == [configured_event.pk] * 3
    with scopes_disabled():
        assert not VideoConferenceConfig.objects.filter(pk=row.pk).exists()
        actions = list(
            LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.videolinks.override")
            .order_by("pk")
            .values_list("action_type", flat=True)
        )
    assert actions == [
        "pretix_innowerkstatt.videolinks.override.added",
        "pretix_innowerkstatt.videolinks.override.changed",
        "pretix_innowerkstatt.videolinks.override.deleted",
    ]


@pytest.mark.django_db
def test_test_link_shows_the_attendee_view_and_joins_for_the_organiser(admin_client, configured_event):
    page = admin_client.get(BASE + "test/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "innowerkstatt-join-" in content
    assert "opens at" in content  # 30 days ahead: the attendee would see the opening time
    response = admin_client.post(BASE + "test/")
    assert response.status_code == 302
    assert response["Location"] == MEETING_URL
    with scopes_disabled():
        assert LogEntry.objects.filter(action_type="pretix_innowerkstatt.videolinks.test_join").exists()


@pytest.mark.django_db
def test_join_counts_per_date(admin_client, configured_event, item, client):
    from django.test import Client

    orders = [make_order(configured_event, item, attendees=("A", "B")) for _ in range(2)]
    with scopes_disabled():
        from pretix_innowerkstatt.videolinks.domain.links import join_path

        joining = orders[0].positions.order_by("positionid").first()
        path = join_path(joining)
    attendee = Client()
    with freeze_time(configured_event.date_from - datetime.timedelta(minutes=5)):
        attendee.post(path)
    with scopes_disabled():
        assert Checkin.objects.filter(list=checkin_list(configured_event)).count() == 1
    page = admin_client.get(BASE + "joins/").content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert [int(x) for x in __import__("re").findall(r'<td class="text-right">(\d+)</td>', row)] == [4, 1, 3]
    from django.template.loader import render_to_string

    from pretix_innowerkstatt.videolinks import overview

    with scopes_disabled():
        card = overview.card(configured_event, None)
        html = render_to_string(card["template"], {"card": card})
    assert "1 of 4 attendees with access have joined." in html
    assert card["joins_url"] in html


@pytest.mark.django_db
def test_join_counts_per_date_of_a_series(admin_client, configured_event, item, series_dates):
    from django.test import Client

    from pretix_innowerkstatt.videolinks.domain.links import join_path

    date_a, date_b = series_dates
    on_a = make_order(configured_event, item, attendees=("A1", "A2", "A3"), subevent=date_a)
    on_b = make_order(configured_event, item, attendees=("B1", "B2"), subevent=date_b)
    make_order(configured_event, item, status="c", attendees=("Cancelled",), subevent=date_b)
    with scopes_disabled():
        joins = [(date_a, on_a.positions.get(positionid=2))] + [(date_b, p) for p in on_b.positions.all()]
        joins = [(date, join_path(p)) for date, p in joins]
    for date, path in joins:
        with freeze_time(date.date_from - datetime.timedelta(minutes=5)):
            assert Client().post(path).status_code == 302

    with scopes_disabled():
        counts = overview.join_counts(configured_event)
    assert [(c.subevent, c.eligible, c.joined, c.not_joined) for c in counts] == [
        (date_a, 3, 1, 2),
        (date_b, 2, 2, 0),
    ]
    page = admin_client.get(BASE + "joins/").content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [
        (re.search(r"<td>([^<]+)", row).group(1).strip(), [int(n) for n in re.findall(r'"text-right">(\d+)<', row)])
        for row in body.split("<tr>")[1:]
    ]
    assert [(label.split(" - ")[0], numbers) for label, numbers in rows] == [("Q2", [3, 1, 2]), ("Q3", [2, 2, 0])]


@pytest.mark.django_db
def test_reminder_rules_are_pretix_sendmail_rules(admin_client, configured_event, item):
    from pretix.plugins.sendmail.models import Rule

    response = admin_client.post(BASE + "reminders/")
    assert response.status_code == 302
    with scopes_disabled():
        event = Event.objects.get(pk=configured_event.pk)
        assert "pretix.plugins.sendmail" in event.get_plugins()
        rules = list(Rule.objects.filter(event=event).order_by("send_offset_days"))
        assert len(rules) == 2
        hour, day = rules
        assert (day.send_offset_days, day.send_offset_time) == (1, datetime.time(18, 0))
        assert (hour.send_offset_days, hour.send_offset_time) == (0, datetime.time(17, 0))
        for rule in rules:
            assert rule.send_to == Rule.ATTENDEES
            assert "{join_details}" in str(rule.template)
            assert list(rule.limit_products.all()) == [item]
            assert rule.scheduledmail_set.count() == 1


@pytest.mark.django_db
def test_event_copy_keeps_video_settings_and_remaps_products(configured_event, item):
    with scopes_disabled():
        configure_event(configured_event, products=[item.pk])
        VideoConferenceConfig.objects.create(event=configured_event, item=item, join_url="https://item.example.org")
        checkin_list(configured_event)
        copy = Event.objects.get(pk=copy_of(configured_event, "innowerkstatt-2").pk)
        new_item = copy.items.get()
        assert copy.settings.get(names.JOIN_URL) == MEETING_URL
        assert copy.settings.get(names.PRODUCTS, as_type=list) == [new_item.pk]
        row = VideoConferenceConfig.objects.get(event=copy)
        assert row.item == new_item and row.join_url == "https://item.example.org"
        new_list = checkin_list(copy)
        assert new_list is not None and new_list.event == copy


@pytest.mark.django_db
def test_event_copy_writes_product_details_through_the_write_path_of_the_details_page(configured_event, item):
    from django_scopes import scope

    with scopes_disabled():
        VideoConferenceConfig.objects.create(event=configured_event, item=item, join_url="https://item.example.org")
    with scope(organizer=configured_event.organizer):  # as on pretix's copy page
        copy = copy_of(configured_event, "innowerkstatt-2")
    with scopes_disabled():
        row = VideoConferenceConfig.objects.get(event=copy)
        assert row.item.event == copy and row.join_url == "https://item.example.org"
        assert copy.settings.get(names.HAS_OVERRIDES, as_type=bool)
        entry = LogEntry.objects.get(event=copy, action_type="pretix_innowerkstatt.videolinks.override.added")
        assert entry.parsed_data["join_url"] == "•••" and entry.parsed_data["fields"] == ["join_url"]


@pytest.mark.django_db
def test_subevent_form_sets_the_dates_own_url(configured_event, item, rf):
    from pretix_innowerkstatt.videolinks.forms import SubEventVideoForm

    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
        se = configured_event.subevents.create(name="Q3", date_from=configured_event.date_from)
        form = SubEventVideoForm(
            data={"innowerkstatt-video-join_url": "https://q3.example.org/room"},
            prefix="innowerkstatt-video",
            event=configured_event,
            subevent=None,
        )
        assert form.is_valid()
        assert form.cleaned_data["join_url"] == "•••"  # what pretix logs for new dates and bulk creation
        form.subevent = se
        form.save()
        assert VideoConferenceConfig.objects.get(subevent=se).join_url == "https://q3.example.org/room"
        bad = SubEventVideoForm(
            data={"innowerkstatt-video-join_url": "javascript:alert(1)"},
            prefix="innowerkstatt-video",
            event=configured_event,
            subevent=se,
        )
        assert not bad.is_valid()


@pytest.mark.django_db
def test_subevent_form_appears_on_pretix_date_page(admin_client, configured_event):
    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
        se = configured_event.subevents.create(name="Q3", date_from=configured_event.date_from)
        VideoConferenceConfig.objects.create(event=configured_event, subevent=se, join_url="https://q3.example.org")
    page = admin_client.get(date_edit_page(se))
    assert page.status_code == 200
    content = page.content.decode()
    assert "innowerkstatt-video-join_url" in content and "https://q3.example.org" in content


@pytest.mark.django_db
def test_backend_navigation_and_readable_join_line_in_the_order_log(admin_client, configured_event, item):
    from django.test import Client

    from pretix_innowerkstatt.videolinks.domain.links import join_path

    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/").content.decode()
    assert BASE in page  # "Video conference" in the event navigation
    order = make_order(configured_event, item)
    with scopes_disabled():
        path = join_path(order.positions.get())
    with freeze_time(configured_event.date_from - datetime.timedelta(minutes=5)):
        assert Client().post(path).status_code == 302
    log = admin_client.get(f"/control/event/innovationsbuero/innowerkstatt/orders/{order.code}/").content.decode()
    # The join is pretix's own check-in line, naming the plugin's list.
    assert "Position #1 has been checked in" in log
    assert "Online (Videokonferenz)" in log


@pytest.mark.django_db
def test_instructions_markdown_is_sanitised_everywhere(configured_event, item):
    from django.test import Client

    from pretix_innowerkstatt.videolinks.domain.links import join_path

    with scopes_disabled():
        configure_event(
            configured_event,
            instructions={
                "en": "**Camera on** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
            },
        )
    order = make_order(configured_event, item)
    with scopes_disabled():
        path = join_path(order.positions.get())
        from pretix.base.email import get_email_context

        html = get_email_context(event=configured_event, order=order, position=order.positions.get())[
            "join_details"
        ].html
    with freeze_time(configured_event.date_from - datetime.timedelta(minutes=5)):
        page = Client(HTTP_ACCEPT_LANGUAGE="en").get(path).content.decode()
    for content in (page, html):
        assert "<strong>Camera on</strong>" in content
        assert "<script>alert(1)" not in content
        assert "javascript:alert(2)" not in content
        assert "<img src=x" not in content and '<img src="x"' not in content


def form_fields(html, form_selector):
    """The values a browser would send for the form (text, checked boxes, selected options)."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").select_one(form_selector)
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select("option[selected]") or field.select("option")[:1]
            data[name] = [o.get("value", o.text) for o in chosen] if field.has_attr("multiple") else chosen[0]["value"]
        elif field.name == "textarea":
            data[name] = field.text[1:] if field.text.startswith("\n") else field.text  # as browsers read it
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


@pytest.mark.django_db
def test_date_url_set_on_pretix_date_form_is_logged_without_the_url(
    admin_client, admin_user, configured_event, item, series_dates
):
    date_a, _date_b = series_dates
    with scopes_disabled():
        configured_event.quotas.create(name="Q2", size=100, subevent=date_a).items.add(item)  # pretix requires one
    page = date_edit_page(date_a)
    secret_url = "https://meet.example.org/q2-secret-room?pwd=hunter2"

    def save_date(url):
        data = form_fields(admin_client.get(page).content.decode(), "form.form-horizontal")
        data["innowerkstatt-video-join_url"] = url
        response = admin_client.post(page, data)
        assert response.status_code == 302
        return admin_client.get(response.url).content.decode()

    save_date(secret_url)
    with scopes_disabled():
        assert VideoConferenceConfig.objects.get(subevent=date_a).join_url == secret_url
    save_date(secret_url)  # unchanged: nothing logged
    # Attendees of the date were told the old meeting: the page points to the "updated access" mail.
    assert "Send updated access information" in save_date("")
    with scopes_disabled():
        assert VideoConferenceConfig.objects.get(subevent=date_a).join_url == ""
        # The same lines as the page of meeting details per date or product writes.
        ours = list(
            LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.videolinks.override").order_by("pk")
        )
        assert [e.action_type.rsplit(".", 1)[1] for e in ours] == ["added", "changed"]
        assert all(e.user == admin_user for e in ours)
        assert [e.parsed_data["join_url"] for e in ours] == ["•••", ""]
        assert [e.parsed_data["fields"] for e in ours] == [["join_url"], ["join_url"]]
        # Neither the plugin's lines nor pretix's own "date changed" lines hold the URL.
        assert all(secret_url not in e.data for e in LogEntry.objects.all())
        pretix_lines = LogEntry.objects.filter(action_type="pretix.subevent.changed").order_by("pk")
        assert [e.parsed_data["join_url"] for e in pretix_lines] == ["•••", ""]
    log = admin_client.get("/control/event/innovationsbuero/innowerkstatt/logs/").content.decode()
    assert f"Meeting details for “{date_a}” have been added." in log.replace("&#x27;", "'")
    assert secret_url not in log and "hunter2" not in log
