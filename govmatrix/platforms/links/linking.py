"""What linking an account to a platform yields, whichever platform and flow produced it."""

from __future__ import annotations

from dataclasses import dataclass

from govmatrix.platforms.base import Credentials


@dataclass(frozen=True)
class Identity:
    """Our account as the platform knows it, and the credentials to act as it."""

    external_id: str
    handle: str
    display_name: str
    credentials: Credentials
    api_base: str = ""
    scopes: str = ""

    def __repr__(self) -> str:  # the credentials' own repr hides the token; say so here too
        return (
            f"Identity(external_id={self.external_id!r}, handle={self.handle!r}, credentials=***)"
        )
