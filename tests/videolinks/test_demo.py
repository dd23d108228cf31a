import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.core import demo as core_demo
from pretix_innowerkstatt.videolinks import demo as videolinks_demo
from pretix_innowerkstatt.videolinks import settings as names
from pretix_innowerkstatt.videolinks.domain.links import join_path


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_prints_the_join_link():
    for _ in range(2):
        demo = core_demo.build("http://127.0.0.1:8000/")
        with scopes_disabled():
            videolinks_demo.seed(demo)
    with scopes_disabled():
        event = demo.innowerkstatt
        assert event.settings.get(names.JOIN_URL) == videolinks_demo.DEMO_URL
        assert event.orders.filter(email=videolinks_demo.DEMO_EMAIL).count() == 1
        order = event.orders.get(email=videolinks_demo.DEMO_EMAIL)
        assert order.status == "p"
        position = order.positions.get()
        expected = f"http://127.0.0.1:8000{join_path(position)}"
    assert any(expected in line for line in demo.lines)
    assert videolinks_demo.DEMO_URL not in " ".join(demo.lines)


@pytest.mark.django_db
def test_demo_uses_jitsi_and_bigbluebutton_and_prints_the_host_links():
    from pretix_innowerkstatt.agenda import demo as agenda_demo
    from pretix_innowerkstatt.videolinks.domain.hosts import host_path

    demo = core_demo.build("http://127.0.0.1:8000/")
    with scopes_disabled():
        agenda_demo.seed(demo)
        videolinks_demo.seed(demo)
        assert demo.innowerkstatt.settings.get(names.PROVIDER) == "jitsi"
        assert demo.update_deutschland.settings.get(names.PROVIDER) == "bigbluebutton"
        from pretix_innowerkstatt.agenda.models import Speaker

        adriana = Speaker.objects.get(name="Adriana Groh")
        muhle = Speaker.objects.get(name="Stefan Muhle")
        assert adriana.email
        expected = {
            f"Host link: http://127.0.0.1:8000{host_path(demo.innowerkstatt, adriana)}",
            f"Host link: http://127.0.0.1:8000{host_path(demo.update_deutschland, muhle)}",
        }
    printed = " ".join(demo.lines)
    assert all(line in printed for line in expected)
    assert "demo-app-secret" not in printed and "demo-shared-secret" not in printed
