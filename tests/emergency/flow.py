"""Short ways to bring an incident, a statement and its orders to a state through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govmatrix.emergency import services
from govmatrix.emergency.models import Incident, RepostOrder, Statement
from tests.conftest import District

STATEMENT = "【权威发布】今日14时许，南湖街道一处燃气管道发生泄漏，现场已完成处置，无人员伤亡。"
COMMENT = "请广大市民以权威发布为准，不信谣、不传谣。"


def declare(district: District, commander: Any, **kwargs: Any) -> Incident:
    return services.incident_declare(
        actor=kwargs.pop("actor", district.office_admin),
        title=kwargs.pop("title", "南湖街道燃气管道泄漏"),
        level=kwargs.pop("level", "III"),
        commander_id=commander.person.pk,
        unit_ids=kwargs.pop("unit_ids", [district.street01.pk]),
        **kwargs,
    )


def draft(district: District, incident: Incident, **kwargs: Any) -> Statement:
    return services.statement_create(
        actor=kwargs.pop("actor", district.office_admin),
        incident_id=incident.pk,
        text=kwargs.pop("text", STATEMENT),
        repost_comment=kwargs.pop("repost_comment", COMMENT),
        **kwargs,
    )


def submitted(district: District, incident: Incident, **kwargs: Any) -> Statement:
    statement = draft(district, incident, **kwargs)
    services.statement_submit(actor=district.office_admin, statement_id=statement.pk)
    return statement


def published(
    district: District,
    incident: Incident,
    commander: Any,
    capture: Callable[..., Any],
    **kwargs: Any,
) -> Statement:
    """Approved by the commander and published by the main account, with its orders made."""
    statement = submitted(district, incident, **kwargs)
    with capture(execute=True):
        services.statement_approve(actor=commander, statement_id=statement.pk)
    return reload(statement)


def reload(statement: Statement) -> Statement:
    return Statement.objects.select_related("post", "incident").get(pk=statement.pk)


def order_of(statement: Statement, account: Any) -> RepostOrder:
    return RepostOrder.objects.get(statement=statement, account=account)
