"""One click, two scheduled emails: pretix's own sendmail rules, one day and one hour before.

The rules are ordinary rules of pretix's "Automated emails" (sendmail plugin) that organisers
can edit, pause or delete there; they are sent to attendees and use ``{join_details}``, which
resolves to each attendee's own link and date. A rule's time of day is fixed, so it is computed
from the start time of the event (or of the first upcoming date of a series).
"""

import datetime

from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import override
from i18nfield.strings import LazyI18nString

from ..logtypes import REMINDERS_CREATED
from .config import access_rules

SENDMAIL = "pretix.plugins.sendmail"
REMINDERS = (
    # (days before, hours before start) -> the time of day the rule sends at
    ("day", datetime.timedelta(days=1)),
    ("hour", datetime.timedelta(hours=1)),
)


def _texts(kind):
    if kind == "day":
        subject = _("Tomorrow: {event} – your access to the video conference")
        intro = _("Hello,\n\n{event} takes place tomorrow. Here is your personal access:")
    else:
        subject = _("In one hour: {event} – your access to the video conference")
        intro = _("Hello,\n\n{event} starts in one hour. Here is your personal access:")
    return subject, intro + "\n\n{join_details}\n\n" + _("See you soon!")


def _i18n(event, kind):
    subjects, bodies = {}, {}
    for locale in event.settings.get("locales") or [event.settings.locale]:
        with override(locale):
            subjects[locale], bodies[locale] = _texts(kind)
    return LazyI18nString(subjects), LazyI18nString(bodies)


def _reference_start(event):
    if event.has_subevents:
        upcoming = event.subevents.filter(date_from__gte=now()).order_by("date_from").first()
        first = upcoming or event.subevents.order_by("date_from").first()
        if first:
            return first.date_from
    return event.date_from


def _offset(start, before, tz):
    """(days, time of day) for pretix's relative rule: the local wall-clock moment ``before`` the start."""
    local_start = start.astimezone(tz)
    send_at = local_start - before
    return (local_start.date() - send_at.date()).days, send_at.time().replace(second=0, microsecond=0)


def create_reminder_rules(event, user=None):
    """Create the two rules (enables the sendmail plugin if needed); returns the new rules."""
    from pretix.plugins.sendmail.models import Rule

    if SENDMAIL not in event.get_plugins():
        event.enable_plugin(SENDMAIL)
        event.save(update_fields=["plugins"])
        event.log_action("pretix.event.plugins.enabled", user=user, data={"plugin": SENDMAIL})
    rules = access_rules(event)
    start = _reference_start(event)
    created = []
    for kind, before in REMINDERS:
        subject, template = _i18n(event, kind)
        days, time_of_day = _offset(start, before, event.timezone)
        status = ["p", "n__valid_if_pending"]
        if rules.allow_pending:
            status.append("n__not_pending_approval_and_not_valid_if_pending")
        rule = Rule(
            event=event,
            subject=subject,
            template=template,
            send_to=Rule.ATTENDEES,
            date_is_absolute=False,
            send_offset_days=days,
            send_offset_time=time_of_day,
            offset_is_after=False,
            offset_to_event_end=False,
            restrict_to_status=status,
            all_products=not rules.product_ids,
            enabled=True,
        )
        rule.save()
        if rules.product_ids:
            rule.limit_products.set(event.items.filter(pk__in=rules.product_ids))
        else:
            rule.limit_products.set(event.items.filter(admission=True))
            rule.all_products = False
            rule.save(update_fields=["all_products"])
        rule.log_action("pretix.plugins.sendmail.rule.added", user=user, data={"source": "pretix_innowerkstatt"})
        created.append(rule)
    event.log_action(REMINDERS_CREATED, user=user, data={"rules": [r.pk for r in created]})
    return created
