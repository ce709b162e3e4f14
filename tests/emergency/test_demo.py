"""The demo's part of emergency: a commander who can log in, and one past incident with its
statements, reposts and latencies, so the incident page, timeline and board are not empty."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model

from govmatrix.demo.seed import seed_demo_district
from govmatrix.emergency import demo
from govmatrix.emergency.models import Incident, RepostOrder, Statement
from govmatrix.emergency.selectors.incidents import incident_clocks


def test_the_demo_has_a_commander_and_a_past_incident_and_running_it_again_adds_nothing(
    db: None,
) -> None:
    seed_demo_district()
    commander = get_user_model().objects.get(username=demo.COMMANDER)
    assert commander.check_password("govmatrix-demo")
    incident = Incident.objects.get(title=demo.TITLE)
    assert incident.status == "stood_down" and incident.commander.user == commander
    assert [c.state for c in incident_clocks(incident)] == ["done", "done"]
    statements = list(Statement.objects.filter(incident=incident).order_by("sequence"))
    assert [s.kind for s in statements] == ["first", "update"]
    first = statements[0]
    assert first.published_at - incident.declared_at == timedelta(minutes=38)
    assert first.post.status == "published" and first.post.public_url
    orders = RepostOrder.objects.filter(statement=first)
    states = {
        state: orders.filter(state=state).count() for state in ("reposted", "exempted", "open")
    }
    assert states["reposted"] > 20 and states["exempted"] >= 1 and states["open"] == 2
    latencies = sorted(orders.filter(state="reposted").values_list("latency_seconds", flat=True))
    assert latencies[0] >= 60 and latencies[-1] > 30 * 60  # some late, most on time
    assert orders.filter(auto=True, state="reposted", proof="connector").count() == 3
    assert orders.filter(proof="manual").exists()

    counts = (Incident.objects.count(), RepostOrder.objects.count())
    demo.seed(actor=get_user_model().objects.get(username="office"))
    assert (Incident.objects.count(), RepostOrder.objects.count()) == counts
