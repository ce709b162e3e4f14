"""Which connector serves which platform, and how an account becomes an `AccountRef`."""

from __future__ import annotations

from collections.abc import Callable

from govmatrix.matrix.models import Account
from govmatrix.platforms.base import AccountRef, Capability, Connector, ConnectorError, Unsupported

_FACTORIES: dict[str, Callable[[], Connector]] = {}
_CREDENTIALS: list[Callable[[Account], AccountRef | None]] = []


def register_connector(platform: str, factory: Callable[[], Connector]) -> None:
    _FACTORIES[platform] = factory


def register_credentials_source(source: Callable[[Account], AccountRef | None]) -> None:
    """Later sources (stored OAuth credentials) take precedence over the plain handle."""
    _CREDENTIALS.insert(0, source)


def connector_for(platform: str) -> Connector:
    factory = _FACTORIES.get(platform)
    if factory is None:
        raise Unsupported(
            Capability.PUBLISH,
            instead="该平台尚未接入，请在平台上手工发布后回填链接。",
            platform=platform,
        )
    return factory()


def platform_capabilities(platform: str) -> frozenset[Capability]:
    """What the platform's connector can do; nothing where no connector can even start."""
    try:
        return connector_for(platform).capabilities()
    except ConnectorError:
        return frozenset()
    except Exception:  # a connector that cannot even start: nothing can be run through it
        return frozenset()


def account_ref(account: Account) -> AccountRef:
    for source in _CREDENTIALS:
        if (ref := source(account)) is not None:
            return ref
    return AccountRef(platform=account.platform, handle=account.handle)
