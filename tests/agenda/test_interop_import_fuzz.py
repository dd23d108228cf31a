"""Malformed schedule files get the importer's own error, never a crash, and change nothing.

Property-based (Hypothesis): random JSON and random mutations of pretalx's democon schedule are
thrown at the importer's reading, checking and storing (``read_schedule`` then
``apply_schedule``). Every run either imports or raises ``ImportFileError``; when it raises,
the organiser's agenda and speaker directory are exactly as before. Each example runs inside a
savepoint that is rolled back, so examples stay fast and independent.

CI runs the profile ``innowerkstatt-import`` (at least 500 examples per test); set
``INNOWERKSTATT_IMPORT_PROFILE=innowerkstatt-import-quick`` for a short local run.
"""

import copy
import json
import os
import re

import pytest
from django.db import transaction
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pretix_innowerkstatt.agenda.domain.importing import ImportFileError, apply_schedule, read_schedule
from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker

from .interop_helpers import DEMOCON

settings.register_profile(
    "innowerkstatt-import",
    max_examples=500,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout; failures print their reproduction
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "innowerkstatt-import-quick", parent=settings.get_profile("innowerkstatt-import"), max_examples=50
)
PROFILE = settings.get_profile(os.environ.get("INNOWERKSTATT_IMPORT_PROFILE", "innowerkstatt-import"))

DEMOCON_RAW = DEMOCON.read_bytes()
DEMOCON_DOC = json.loads(DEMOCON_RAW)
FIRST_DAY = DEMOCON_DOC["schedule"]["conference"]["days"][0]


class RolledBack(Exception):
    pass


def small_democon() -> dict:
    """The democon file with its first day's first two rooms: real structure, quick to store."""
    document = copy.deepcopy(DEMOCON_DOC)
    day = copy.deepcopy(FIRST_DAY)
    day["rooms"] = dict(list(day["rooms"].items())[:2])
    document["schedule"]["conference"]["days"] = [day]
    return document


def state(event):
    """Everything an import may change, as plain values."""
    with scopes_disabled():
        return (
            sorted(
                AgendaItem.objects.filter(event=event).values_list(
                    "pk", "title", "description", "room", "start", "end", "kind", "sequence", "external_id"
                )
            ),
            sorted(
                Speaker.objects.filter(organizer=event.organizer).values_list(
                    "pk", "name", "biography", "links", "external_id"
                )
            ),
            sorted(AgendaItemSpeaker.objects.filter(item__event=event).values_list("item", "speaker", "position")),
        )


def import_or_refuse(event, raw, before=None):
    """Import ``raw`` (bytes, or a list of files imported one after another) in a savepoint that is
    rolled back; assert each file imports or is refused with nothing changed.

    ``before``: the state of ``event`` when every example starts (each is rolled back), if known.
    """
    before = before or state(event)
    try:
        with transaction.atomic():
            for file in raw if isinstance(raw, list) else [raw]:
                try:
                    with scopes_disabled():
                        apply_schedule(event, None, read_schedule(file))
                except ImportFileError as error:
                    assert str(error), "the organiser is told why"
                    assert state(event) == before, "a refused file changed something"
                before = state(event) if isinstance(raw, list) else before
            raise RolledBack()
    except RolledBack:
        pass


@pytest.fixture
def populated(event, adriana):
    """An event whose organiser already has a speaker and the democon items (from an earlier import)."""
    with scopes_disabled():
        apply_schedule(event, None, read_schedule(json.dumps(small_democon()).encode()))
    event.state_before = state(event)
    return event


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)
# Keys and values the importer looks at, so random documents reach deep into its checks.
KEYS = [
    "schedule", "conference", "days", "rooms", "date", "start", "duration", "end", "title", "persons", "guid",
    "id", "code", "name", "public_name", "biography", "links", "url", "type", "language", "room", "abstract",
    "description", "time_zone_name", "slug",
]  # fmt: skip
SPECIAL_VALUES = st.sampled_from(
    [
        5,
        -1,
        10**300,
        "9999-12-31T23:59:00+01:00",
        "0001-01-01T00:00:00",
        "99999999999:00",
        "23:59:59",
        "x" * 50_000,
        "\x00",
        "\ud800",
        [],
        {},
        [[[[]]]],
        True,
        1e308,
        "javascript:alert(1)",
        "Europe/Berlin",
        "../../etc/passwd",
    ]
)


def mutate(document, path_choices, data):
    """Replace, delete or add one value somewhere in ``document``, chosen by Hypothesis."""
    node = document
    for _step in range(data.draw(st.integers(0, 8), label="depth")):
        if isinstance(node, dict) and node:
            node = node[data.draw(st.sampled_from(sorted(node)), label="key")]
        elif isinstance(node, list) and node:
            node = node[data.draw(st.integers(0, len(node) - 1), label="index")]
        else:
            break
    # A copy: later mutations may change it in place, and Hypothesis replays drawn values.
    value = copy.deepcopy(data.draw(SPECIAL_VALUES | json_values, label="value"))
    if isinstance(node, dict):
        key = data.draw(st.sampled_from(sorted(node) or KEYS) | st.sampled_from(KEYS), label="where")
        if data.draw(st.booleans(), label="delete") and key in node:
            del node[key]
        else:
            node[key] = value
    elif isinstance(node, list):
        if node and data.draw(st.booleans(), label="replace"):
            node[data.draw(st.integers(0, len(node) - 1))] = value
        else:
            node.append(value)


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.django_db
@settings(PROFILE)
@given(
    st.one_of(
        json_values.map(lambda value: json.dumps(value).encode()),
        st.dictionaries(st.sampled_from(KEYS), json_values | SPECIAL_VALUES, max_size=6).map(
            lambda value: json.dumps({"schedule": {"conference": {"days": [{"rooms": {"R": [value]}}]}}}).encode()
        ),
        st.binary(max_size=200),
    )
)
@example(nested(100_000))  # RecursionError in the JSON reader
@example(b'{"schedule": ' * 5000 + b"1" + b"}" * 5000)
@example(b"\xff\xfe\x00 not UTF-8 \xc3\x28")
@example(b"Infinity")
@example(b'{"schedule": {"conference": {"days": [{"rooms": {"R": [{"title": "x", "persons": 5}]}}]}}}')
def test_random_json_is_imported_or_refused_with_the_importers_error(populated, raw):
    import_or_refuse(populated, raw, populated.state_before)


# Schedules of the right shape whose persons and talks collide on purpose (the same names, ids
# and guids again and again), so that matching, merging and linking are exercised, not only reading.
persons = st.fixed_dictionaries(
    {"name": st.sampled_from(["Ada Lovelace", "Adriana Groh", "Grace Hopper", ""])},
    optional={
        "guid": st.sampled_from(["g1", "g2", "5a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1ada", ""]),
        "code": st.sampled_from(["C1", "C2"]),
        "id": st.sampled_from([1, 2, "3"]),
        "biography": st.text(max_size=20),
        "links": st.lists(
            st.fixed_dictionaries(
                {"url": st.sampled_from(["https://a.example", "https://b.example", "javascript:x"])},
                optional={"title": st.text(max_size=10)},
            ),
            max_size=3,
        ),
    },
)
talks = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=30),
        "date": st.sampled_from(["2026-02-25T18:00:00+01:00", "2026-02-25T18:30:00+01:00", "2026-03-29T02:30:00"]),
    },
    optional={
        "guid": st.sampled_from(["t1", "t2", "t3"]),
        "id": st.sampled_from([1, 2]),
        "duration": st.sampled_from(["00:30", "00:00", "1:05", "xx"]),
        "type": st.sampled_from(["Talk", "Workshop", "Break", "Unbekannt"]),
        "language": st.sampled_from(["de", "en", "fr", ""]),
        "room": st.sampled_from(["Plenum", "Online", ""]),
        "abstract": st.text(max_size=20),
        "persons": st.lists(persons, max_size=4),
    },
)
schedules = st.lists(talks, min_size=1, max_size=6).map(
    lambda talk_list: json.dumps(
        {"schedule": {"conference": {"time_zone_name": "Europe/Berlin", "days": [{"rooms": {"R": talk_list}}]}}}
    ).encode()
)


@pytest.mark.django_db
@settings(PROFILE)
@given(st.lists(schedules, min_size=1, max_size=3))
def test_colliding_schedules_imported_one_after_another_are_imported_or_refused(populated, files):
    import_or_refuse(populated, files, populated.state_before)


def democon_with(**talk_changes) -> bytes:
    document = small_democon()
    talk = next(iter(document["schedule"]["conference"]["days"][0]["rooms"].values()))[0]
    talk.update(talk_changes)
    return json.dumps(document).encode()


@pytest.mark.django_db
@settings(PROFILE)
@given(st.data())
def test_mutated_democon_is_imported_or_refused_with_the_importers_error(populated, data):
    document = small_democon()
    for _mutation in range(data.draw(st.integers(1, 4), label="mutations")):
        mutate(document, KEYS, data)
    import_or_refuse(populated, json.dumps(document).encode(), populated.state_before)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw,message",
    [
        (nested(100_000), "nested too deeply"),
        (democon_with(duration="99999999999:00"), "longer than seven days"),  # OverflowError before
        (democon_with(duration="200:00"), "longer than seven days"),
        (democon_with(date="9999-12-31T23:00:00+01:00"), "only years 1970 to 2200"),
        (democon_with(date="9999-12-31T23:00:00+01:00", end=None), "only years 1970 to 2200"),
        (democon_with(end="2020-12-30T09:00:00+01:00"), "longer than seven days"),
        (democon_with(persons=5), "“persons” is missing or not a list"),  # TypeError before
        (democon_with(persons=[{"name": "x" * 201}]), "at most 200 characters"),
        (democon_with(persons=[{"name": "Ada", "biography": "b" * 10_001}]), "at most 10000 characters"),
        (democon_with(title="t" * 50_000), "at most 200 characters (it has 50000)"),
        (democon_with(room="r" * 201), "at most 200 characters"),
        (democon_with(id=[[[[[]]]]], guid=None, slug=None), None),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (democon_with(title="NaN", duration=float("nan")), "not valid JSON"),
        (democon_with(title="Null \x00 byte"), "not text (such as NUL)"),
        (democon_with(abstract="\ud800 unpaired"), "not text (such as NUL)"),
        (b'{"schedule": {"conference": {"days": [], "time_zone_name": "' + b"a" * 5000 + b'"}}}', "no talks"),
    ],
)
def test_malformed_files_named_in_the_audit_are_refused_with_a_clear_message(populated, raw, message):
    before = state(populated)
    if message is None:
        import_or_refuse(populated, raw)
        return
    with pytest.raises(ImportFileError, match=re.escape(message)):
        with scopes_disabled():
            apply_schedule(populated, None, read_schedule(raw))
    assert state(populated) == before
