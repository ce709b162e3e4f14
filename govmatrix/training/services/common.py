from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govmatrix.core.errors import NotFound
from govmatrix.core.types import Actor
from govmatrix.org.permissions import require, scope_for
from govmatrix.training import rules


def office(actor: Actor, message: str = "") -> None:
    require(rules.can_manage(scope_for(actor)), message or _("只有管理办公室可以进行此操作。"))


def locked(model: Any, pk: int, what: str) -> Any:
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound(_("%(what)s不存在。") % {"what": what})
    return row
