"""`python -m govmatrix.textintel screen`: one text per line in, one JSON object per line out.

Each output line is ``{"flagged": …, "categories": […], "terms": […], "score": …}``
(``ensure_ascii=False``), in input order; an empty input line gives an unflagged result.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from govmatrix.textintel.screening.engine import Screener

__all__ = ["screen_main", "screen_stream"]

BATCH = 256


def screen_stream(source: TextIO, sink: TextIO, screener: Screener) -> int:
    count = 0
    batch: list[str] = []

    def flush() -> None:
        for result in screener.screen_many(batch):
            sink.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        sink.flush()
        batch.clear()

    for line in source:
        batch.append(line.rstrip("\r\n"))
        count += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    return count


def screen_main() -> int:
    stdin = sys.stdin
    stdout = sys.stdout
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(encoding="utf-8")
    try:
        screener = Screener.default()
    except FileNotFoundError as error:
        print(f"error: shipped lexicon or model missing: {error}", file=sys.stderr)
        return 2
    screen_stream(stdin, stdout, screener)
    return 0
