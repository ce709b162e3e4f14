"""Assessment quarters: "2026Q3" ↔ (first day, last day), previous and next quarter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from govmatrix.assessment.scoring.errors import QuarterError

_LABEL = re.compile(r"([0-9]{4})Q([1-4])")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999 or self.number not in (1, 2, 3, 4):
            raise QuarterError({"quarter": f"没有这个季度：{self.year} 年第 {self.number} 季度"})

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """Parse exactly `YYYYQn` (n = 1..4), e.g. "2026Q3"; anything else is refused."""
        if not isinstance(label, str):
            raise QuarterError({"quarter": f"应为文本，例如 '2026Q3'；收到 {type(label).__name__}"})
        match = _LABEL.fullmatch(label)
        if match is None:
            raise QuarterError(
                {"quarter": f"季度应写作 YYYYQn（n 为 1–4），例如 '2026Q3'；收到 {label!r}"}
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter (inclusive)."""
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.number}"


def parse_quarter(label: str) -> tuple[date, date]:
    """("2026Q3") → (2026-07-01, 2026-09-30): first and last day, both inclusive."""
    quarter = Quarter.parse(label)
    return quarter.start, quarter.end


def previous_quarter(label: str) -> str:
    """The label of the quarter before, e.g. 2026Q1 → 2025Q4."""
    return str(Quarter.parse(label).previous())
