"""Demo data of this capability, seeded by `make demo` (idempotent).

The Innowerkstatt gets a meeting URL (nothing is fetched from it) and one paid order whose
attendee's personal join link is printed at the end of `make demo`. It uses the Jitsi provider
with a demo app secret (``meet.jit.si`` is only a string); the UpdateDeutschland event uses
BigBlueButton at ``bbb.example.org``. The host links of the people on their agendas are printed
on lines starting with ``Host link:``.
"""

from django.db import transaction
from django.utils.timezone import now
from pretix.base.models import Order, OrderPosition

from .domain.editing import save_event_settings
from .domain.hosts import host_path, hosts
from .domain.links import join_path

DEMO_URL = "https://meet.jit.si/innowerkstatt-demo"
DEMO_EMAIL = "ada.lovelace@example.org"
JITSI = {
    "innowerkstatt_video_jitsi_domain": "meet.jit.si",
    "innowerkstatt_video_jitsi_app_id": "innowerkstatt-demo",
    "innowerkstatt_video_jitsi_app_secret": "demo-app-secret-not-for-production",
}
BBB_URL = "https://bbb.example.org/bigbluebutton/"
BBB = {
    "innowerkstatt_video_bigbluebutton_api_url": BBB_URL,
    "innowerkstatt_video_bigbluebutton_shared_secret": "demo-shared-secret-not-for-production",
}
INSTRUCTIONS = {
    "de": "Bitte treten Sie mit Ihrem vollen Namen bei. Kamera und Mikrofon können Sie im Browser freigeben.",
    "en": "Please join with your full name. You can allow camera and microphone in your browser.",
}


def _demo_order(event):
    order = event.orders.filter(email=DEMO_EMAIL).first()
    if order is not None:
        return order
    item = event.items.filter(admission=True).first()
    order = Order.objects.create(
        event=event,
        email=DEMO_EMAIL,
        status=Order.STATUS_PAID,
        datetime=now(),
        expires=now(),
        total=item.default_price,
        locale="de",
        sales_channel=event.organizer.sales_channels.get(identifier="web"),
    )
    OrderPosition.objects.create(
        order=order,
        item=item,
        price=item.default_price,
        positionid=1,
        attendee_name_parts={"_legacy": "Ada Lovelace"},
        attendee_email=DEMO_EMAIL,
    )
    order.create_transactions(is_new=True)
    order.log_action("pretix.event.order.placed", data={"source": "innowerkstatt demo"})
    return order


@transaction.atomic
def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
    event = demo.innowerkstatt
    if not event.settings.get("innowerkstatt_video_join_url"):
        save_event_settings(
            event,
            require_url=True,  # an online event: it cannot go live without a meeting URL
            url=DEMO_URL,
            opens_minutes_before=30,
            instructions=INSTRUCTIONS,
            dial_in="+49 30 1234567 (Berlin, Demo)",
            user=demo.admin,
        )
    order = _demo_order(event)
    position = order.positions.first()
    demo.lines.append(f"Join link: {demo.base_url}{join_path(position)}  (Ada Lovelace, {order.code})")
    save_event_settings(event, provider="jitsi", provider_settings=JITSI, user=demo.admin)
    _host_lines(demo, event)
    regional = demo.update_deutschland
    save_event_settings(
        regional,
        require_url=True,
        url=BBB_URL,
        opens_minutes_before=30,
        provider="bigbluebutton",
        provider_settings=BBB,
        user=demo.admin,
    )
    _host_lines(demo, regional)


def _host_lines(demo, event):
    for person, _items in hosts(event):
        demo.lines.append(f"Host link: {demo.base_url}{host_path(event, person)}  ({person.name}, {event.slug})")
