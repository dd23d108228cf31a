"""The pure parts: secret, URL rules, eligibility, window, configuration precedence."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from pretix.base.models import Order

from pretix_innowerkstatt.videolinks.domain import eligibility as e
from pretix_innowerkstatt.videolinks.domain import links
from pretix_innowerkstatt.videolinks.domain.config import AccessRules, MeetingConfig, meeting_for
from pretix_innowerkstatt.videolinks.domain.providers import GenericUrlProvider, validate_meeting_url
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig

from .conftest import MEETING_URL, make_order

# --- secret ----------------------------------------------------------------------------------


def test_secret_is_stable_urlsafe_and_depends_on_the_positions_own_secret():
    a = SimpleNamespace(web_secret="abcdefghijklmnopqrstuvwxyz012345")
    b = SimpleNamespace(web_secret="bbcdefghijklmnopqrstuvwxyz012345")
    assert links.join_secret(a) == links.join_secret(a)
    assert links.join_secret(a) != links.join_secret(b)
    assert len(links.join_secret(a)) == 32
    assert all(c.isalnum() or c in "-_" for c in links.join_secret(a))
    assert a.web_secret not in links.join_secret(a)


def test_secret_comparison_is_constant_time_and_also_runs_without_a_position(monkeypatch):
    calls = []
    real = links.hmac.compare_digest
    monkeypatch.setattr(links.hmac, "compare_digest", lambda x, y: calls.append((x, y)) or real(x, y))
    p = SimpleNamespace(web_secret="abcdefghijklmnopqrstuvwxyz012345")
    assert links.secret_matches(p, links.join_secret(p))
    assert not links.secret_matches(p, "x" * 32)
    assert not links.secret_matches(None, links.join_secret(p))
    assert len(calls) == 3  # the missing position is compared too: same work, same time


def test_secret_changes_with_settings_secret_key(settings):
    p = SimpleNamespace(web_secret="abcdefghijklmnopqrstuvwxyz012345")
    before = links.join_secret(p)
    settings.SECRET_KEY = "another key"
    assert links.join_secret(p) != before


# --- meeting URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://meet.jit.si/innowerkstatt",
        "http://bbb.example.org/b/abc-def",
        "https://zoom.us/j/123456?pwd=xyz",
        "https://meet.example.org/room?name={attendee_name}&email={attendee_email}&ref={order_code}",
    ],
)
def test_meeting_urls_accepted(url):
    validate_meeting_url(url)


@pytest.mark.parametrize(
    "url, code",
    [
        ("javascript:alert(1)", "scheme"),
        ("JavaScript:alert(document.cookie)", "scheme"),
        ("data:text/html,<script>alert(1)</script>", "scheme"),
        ("ftp://files.example.org/x", "scheme"),
        ("//meet.example.org/room", "scheme"),
        ("meet.example.org/room", "scheme"),
        ("https://", "invalid"),
        ("https://meet.example.org/{password}", "template"),
        ("https://meet.example.org/{order_code!r}", "template"),
        ("https://meet.example.org/{", "template"),
        ("{attendee_name}", "scheme"),
    ],
)
def test_meeting_urls_refused_with_a_clear_error(url, code):
    with pytest.raises(ValidationError) as exc:
        validate_meeting_url(url)
    assert exc.value.code == code
    assert str(exc.value.messages[0])


def test_generic_provider_url_encodes_each_attendee_value():
    config = MeetingConfig(join_url="https://meet.example.org/r?n={attendee_name}&e={attendee_email}&o={order_code}")
    position = SimpleNamespace(
        attendee_name="Ada & Bob/Eve?",
        attendee_email="ada+x@example.org",
        order=SimpleNamespace(code="AB12C", email=""),
    )
    url = GenericUrlProvider().join_url(config, position)
    assert url == "https://meet.example.org/r?n=Ada%20%26%20Bob%2FEve%3F&e=ada%2Bx%40example.org&o=AB12C"


def test_generic_provider_refuses_a_stored_unsafe_url_at_click_time():
    position = SimpleNamespace(attendee_name="", attendee_email="", order=SimpleNamespace(code="X", email=""))
    with pytest.raises(ValueError):
        GenericUrlProvider().join_url(MeetingConfig(join_url="javascript:alert(1)"), position)


# --- eligibility and window ------------------------------------------------------------------


def _position(status=Order.STATUS_PAID, **kw):
    order = SimpleNamespace(
        status=status,
        require_approval=kw.pop("require_approval", False),
        valid_if_pending=kw.pop("valid_if_pending", False),
        testmode=kw.pop("testmode", False),
        event=SimpleNamespace(testmode=kw.pop("event_testmode", False)),
    )
    defaults = dict(
        canceled=False,
        blocked=None,
        item_id=1,
        item=SimpleNamespace(admission=True),
        subevent=None,
        order=order,
    )
    defaults.update(kw)
    defaults["subevent_id"] = 1 if defaults["subevent"] is not None else None
    return SimpleNamespace(**defaults)


@pytest.mark.parametrize(
    "position, rules, reason",
    [
        (_position(), AccessRules(), None),
        (_position(testmode=True), AccessRules(), e.TEST_MODE),
        (_position(testmode=True, event_testmode=True), AccessRules(), None),
        (_position(subevent=SimpleNamespace(active=False)), AccessRules(), e.DATE_INACTIVE),
        (_position(subevent=SimpleNamespace(active=True)), AccessRules(), None),
        (_position(status=Order.STATUS_PENDING), AccessRules(), e.PENDING),
        (_position(status=Order.STATUS_PENDING), AccessRules(allow_pending=True), None),
        (_position(status=Order.STATUS_PENDING, valid_if_pending=True), AccessRules(), None),
        (_position(status=Order.STATUS_PENDING, require_approval=True), AccessRules(allow_pending=True), e.UNAPPROVED),
        (_position(status=Order.STATUS_CANCELED), AccessRules(), e.CANCELED),
        (_position(status=Order.STATUS_EXPIRED), AccessRules(), e.EXPIRED),
        (_position(canceled=True), AccessRules(), e.CANCELED),
        (_position(blocked=["admin"]), AccessRules(), e.BLOCKED),
        (_position(item=SimpleNamespace(admission=False)), AccessRules(), e.PRODUCT),
        (_position(item_id=2), AccessRules(product_ids=frozenset({1})), e.PRODUCT),
        (_position(item_id=1, item=SimpleNamespace(admission=False)), AccessRules(product_ids=frozenset({1})), None),
    ],
)
def test_access_rules(position, rules, reason):
    assert e.access_refusal(position, rules) == reason


def test_window_opens_before_start_and_optionally_closes_after_end():
    start = datetime.datetime(2026, 5, 27, 16, 0, tzinfo=datetime.UTC)
    dated = SimpleNamespace(active=True, date_from=start, date_to=start + datetime.timedelta(hours=2))
    position = _position(subevent=dated)
    meeting = MeetingConfig(join_url=MEETING_URL)
    rules = AccessRules(opens_minutes_before=30)
    minute = datetime.timedelta(minutes=1)
    at = start - datetime.timedelta(minutes=30)
    assert e.join_refusal(position, rules, meeting, at - minute) == e.TOO_EARLY
    assert e.join_refusal(position, rules, meeting, at) is None
    assert e.join_refusal(position, rules, meeting, start + datetime.timedelta(days=3)) is None
    rules = AccessRules(opens_minutes_before=30, closes_minutes_after=15)
    closes = dated.date_to + 15 * minute
    assert e.join_refusal(position, rules, meeting, closes) is None
    assert e.join_refusal(position, rules, meeting, closes + minute) == e.TOO_LATE
    assert e.join_refusal(position, rules, MeetingConfig(), at) == e.NOT_CONFIGURED


# --- configuration precedence ----------------------------------------------------------------


@pytest.mark.django_db
def test_date_product_and_combined_overrides_win_field_by_field(configured_event, item):
    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
        se1 = configured_event.subevents.create(name="1", date_from=configured_event.date_from)
        se2 = configured_event.subevents.create(name="2", date_from=configured_event.date_from)
        other = configured_event.items.create(name="Workshop", default_price=0, admission=True)
        VideoConferenceConfig.objects.create(event=configured_event, subevent=se1, join_url="https://date1.example.org")
        VideoConferenceConfig.objects.create(
            event=configured_event, item=other, join_url="https://workshop.example.org", passcode="42"
        )
        VideoConferenceConfig.objects.create(
            event=configured_event, subevent=se2, item=other, join_url="https://ws-date2.example.org"
        )
        assert meeting_for(configured_event, None, item.pk).join_url == MEETING_URL
        assert meeting_for(configured_event, se1.pk, item.pk).join_url == "https://date1.example.org"
        assert meeting_for(configured_event, se1.pk, other.pk).join_url == "https://workshop.example.org"
        combined = meeting_for(configured_event, se2.pk, other.pk)
        assert combined.join_url == "https://ws-date2.example.org"
        assert combined.passcode == "42"  # empty in the combined row: the product's value


@pytest.mark.django_db
def test_order_fixture_positions_are_eligible(configured_event, item):
    from pretix_innowerkstatt.videolinks.domain.config import access_rules

    order = make_order(configured_event, item, attendees=("A", "B"))
    with scopes_disabled():
        assert all(e.gets_link(p, access_rules(configured_event)) for p in order.positions.all())
