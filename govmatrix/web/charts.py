"""Chart data for the ECharts components (static/web/charts.js draws them).

Every chart also carries its table and the link behind each number: a click on a bar or a
slice opens the filtered list of rows it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.functional import Promise


def _chart(
    kind: str, title: str | Promise, categories: Sequence[str], series: list[dict[str, Any]]
) -> dict[str, Any]:
    chart = {"type": kind, "title": str(title), "categories": list(categories), "series": series}
    # The same numbers as a table, each cell with the link to its rows.
    chart["table"] = [
        {"category": category, "cells": [(s["data"][i], s["links"][i]) for s in series]}
        for i, category in enumerate(categories)
    ]
    return chart


def _single_series(
    title: str | Promise, items: Sequence[tuple[str, int, str]]
) -> list[dict[str, Any]]:
    return [
        {
            "name": str(title),
            "data": [n for _l, n, _k in items],
            "links": [k for _l, _n, k in items],
        }
    ]


def bar_chart(*, title: str | Promise, items: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    return _chart("bar", title, [label for label, _n, _k in items], _single_series(title, items))


def pie_chart(*, title: str | Promise, items: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    return _chart("pie", title, [label for label, _n, _k in items], _single_series(title, items))


def stacked_bar_chart(
    *, title: str | Promise, categories: Sequence[str], series: list[dict[str, Any]]
) -> dict[str, Any]:
    return _chart("stacked_bar", title, categories, series)


def chart_table(chart: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The chart as a table: one row per category, one column per series."""
    headers = ["", *(s["name"] for s in chart["series"])]
    rows = [
        [category, *(s["data"][index] for s in chart["series"])]
        for index, category in enumerate(chart["categories"])
    ]
    return headers, rows
