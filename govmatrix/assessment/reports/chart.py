"""The notice's chart: unit scores as a horizontal bar chart (matplotlib PNG).

Chinese labels need a CJK font. Noto Sans CJK (Debian's fonts-noto-cjk) and the fonts of
Chinese office PCs are looked up by name; without any, the chart still renders with unit
numbers instead of names and a warning is logged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


def cjk_font() -> font_manager.FontProperties | None:
    """A font that can draw Chinese, or None (logged) when the system has none."""
    for family in CJK_FAMILIES:
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return font_manager.FontProperties(fname=path)
    logger.warning("no CJK font found for the notice chart; labels fall back to numbers")
    return None


def unit_score_chart(
    items: Sequence[tuple[str, float]], *, title: str, pass_line: float | None = 60.0
) -> bytes:
    """PNG bytes: one bar per (label, score), best at the top."""
    font = cjk_font()
    labels = [label if font else f"#{i + 1}" for i, (label, _s) in enumerate(items)]
    scores = [score for _l, score in items]
    height = max(2.5, 0.32 * len(items) + 1.2)
    figure = Figure(figsize=(6.4, height), dpi=150)
    axes = figure.add_subplot()
    positions = list(range(len(items)))[::-1]
    bars = axes.barh(positions, scores, color="#2f6fb3", height=0.6)
    axes.set_yticks(positions, labels, fontproperties=font, fontsize=8)
    axes.set_xlim(0, max([100.0, *scores]) * 1.08)
    for bar, score in zip(bars, scores, strict=True):
        axes.text(bar.get_width() + 0.8, bar.get_y() + bar.get_height() / 2, f"{score:.1f}",
                  va="center", fontsize=7)  # fmt: skip
    if pass_line is not None:
        axes.axvline(pass_line, color="#c0392b", linewidth=0.8, linestyle="--")
    axes.set_title(title if font else "Unit scores", fontproperties=font, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
