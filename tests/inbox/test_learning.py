"""Learning from the district: people's routing decisions become labels, `textintel_train`
retrains the router on the district's own history, and the product then routes with it, the
keyword rules staying the fallback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from govmatrix.audit.models import Event
from govmatrix.inbox import services
from govmatrix.inbox.models import MessageState, RoutedBy, RouterModel, RoutingLabel
from govmatrix.inbox.routing import forget_classifier, models_dir
from govmatrix.inbox.services.training import training_data
from tests.inbox.conftest import Inbox

DOGS = [
    "遛狗不拴绳，狗追着孩子跑",
    "半夜狗叫吵得睡不着",
    "楼道里有狗粪没人清理",
    "恶犬咬伤路人",
    "小区里大型犬到处乱跑",
    "遛狗的人不清理狗粪",
]
MARKET = [
    "菜市场地面脏乱差",
    "菜市场摊位占道经营",
    "早市摊贩堵住路口",
    "菜市场卫生太差了",
    "农贸市场里鱼腥味很重",
    "菜摊占了人行道",
]


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def _history(inbox: Inbox, rounds: int = 3) -> None:
    """The office routes what the rules could not: dogs to 西城, markets to 东城."""
    d = inbox.district
    n = 0
    for _round in range(rounds):
        for texts, unit in ((DOGS, d.street02), (MARKET, d.street01)):
            for text in texts:
                n += 1
                message = inbox.arrive(d.main_account, f"{text}（第{n}次反映）", who=f"市民{n}")
                assert message.state == MessageState.TRIAGE, message.text
                services.message_route(actor=d.office_admin, message_id=message.pk, unit_id=unit.pk)


def test_every_routing_decision_of_a_person_is_training_data(inbox: Inbox) -> None:
    _history(inbox, rounds=1)
    assert RoutingLabel.objects.count() == len(DOGS) + len(MARKET)
    data = training_data("unit")
    assert sorted(set(data.labels)) == ["street01", "street02"]
    assert len(data.texts) == len(DOGS) + len(MARKET)


def test_the_district_retrains_and_the_product_routes_with_its_model(
    inbox: Inbox, var_dir: Path
) -> None:
    d = inbox.district
    _history(inbox)
    out = StringIO()
    call_command("textintel_train", "--target", "unit", stdout=out)
    assert "unit: version 1 in use" in out.getvalue()
    model = RouterModel.objects.get(target="unit", is_active=True)
    assert model.n_train == 3 * (len(DOGS) + len(MARKET)) and model.labels == [
        "street01",
        "street02",
    ]
    assert (models_dir() / model.path).exists() and str(models_dir()).startswith(str(var_dir))
    assert Event.objects.filter(verb="router.trained").count() == 1
    forget_classifier()
    routed = inbox.arrive(d.main_account, "小区有人遛狗不拴绳，狗粪也不清理", who="新市民")
    assert routed.routed_by == RoutedBy.MODEL and routed.unit == d.street02
    # Training again makes version 2 the one in use.
    call_command("textintel_train", "--target", "unit", stdout=StringIO())
    assert list(RouterModel.objects.filter(is_active=True).values_list("version", flat=True)) == [2]


def test_a_missing_model_file_falls_back_to_the_rules_and_the_office_can_switch_back(
    inbox: Inbox, var_dir: Path
) -> None:
    d = inbox.district
    _history(inbox)
    call_command("textintel_train", "--target", "unit", stdout=StringIO())
    model = RouterModel.objects.get(is_active=True)
    (models_dir() / model.path).unlink()
    forget_classifier()
    message = inbox.arrive(d.main_account, "小区有人遛狗不拴绳", who="新市民")
    assert message.routed_by != RoutedBy.MODEL
    out = StringIO()
    call_command("textintel_train", "--use-rules", stdout=out)
    assert "routing by the rules" in out.getvalue()
    assert not RouterModel.objects.filter(is_active=True).exists()


def test_too_little_history_trains_nothing(inbox: Inbox, var_dir: Path) -> None:
    _history(inbox, rounds=1)
    out = StringIO()
    call_command("textintel_train", stdout=out)
    assert "not trained" in out.getvalue()
    assert not RouterModel.objects.exists()


def test_the_shipped_router_is_the_keyword_rules(inbox: Inbox) -> None:
    from govmatrix.inbox.routing import district
    from govmatrix.textintel.routing import RuleRouter

    place = district()
    assert isinstance(place.classifier.router, RuleRouter) and place.unit_router is None
