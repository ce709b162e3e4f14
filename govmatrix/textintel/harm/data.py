"""Reading labelled CSV files (`text,label`, 1 = offensive) with clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["HarmDataError", "read_labelled_csv"]


class HarmDataError(ValueError):
    """The input file is missing, empty or not a `text,label` CSV."""


def read_labelled_csv(path: str | Path) -> tuple[list[str], list[int]]:
    path = Path(path)
    if not path.is_file():
        raise HarmDataError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [name.strip() for name in reader.fieldnames or []]
            if not columns:
                raise HarmDataError(f"{path}: empty file (expected a header `text,label`)")
            missing = [name for name in ("text", "label") if name not in columns]
            if missing:
                raise HarmDataError(
                    f"{path}: missing column(s) {', '.join(missing)}; "
                    f"found {', '.join(columns)}; expected `text,label`"
                )
            texts: list[str] = []
            labels: list[int] = []
            for line_number, row in enumerate(reader, start=2):
                row = {(key or "").strip(): value for key, value in row.items()}
                raw_label = (row.get("label") or "").strip()
                try:
                    label = int(float(raw_label))
                except ValueError:
                    raise HarmDataError(
                        f"{path}:{line_number}: label {raw_label!r} is not 0 or 1"
                    ) from None
                if label not in (0, 1):
                    raise HarmDataError(f"{path}:{line_number}: label {label} is not 0 or 1")
                texts.append(row.get("text") or "")
                labels.append(label)
    except UnicodeDecodeError as error:
        raise HarmDataError(f"{path}: not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise HarmDataError(f"{path}: not a CSV file ({error})") from None
    if not texts:
        raise HarmDataError(f"{path}: no rows after the header")
    return texts, labels
