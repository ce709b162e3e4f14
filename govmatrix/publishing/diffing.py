"""A character-level diff of two texts, in segments a template can show inline on a phone.

Chinese has no spaces between words, so the diff is by character; neighbouring changes are
merged so that a rewritten phrase reads as one deletion and one insertion, not a comb.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed" or "added"
    text: str


def text_diff(old: str, new: str) -> list[Segment]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", old[i1:i2]))
            continue
        if i2 > i1:
            segments.append(Segment("removed", old[i1:i2]))
        if j2 > j1:
            segments.append(Segment("added", new[j1:j2]))
    return _merge_short_equal_runs(segments)


def _merge_short_equal_runs(segments: list[Segment]) -> list[Segment]:
    """Fold an unchanged run of one character between two changes into both sides."""
    merged: list[Segment] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        if (
            seg.op == "same"
            and len(seg.text) == 1
            and merged
            and merged[-1].op != "same"
            and i + 1 < len(segments)
            and segments[i + 1].op != "same"
        ):
            removed = "".join(s.text for s in _trailing_changes(merged, "removed")) + seg.text
            added = "".join(s.text for s in _trailing_changes(merged, "added")) + seg.text
            while merged and merged[-1].op != "same":
                merged.pop()
            merged += [Segment("removed", removed), Segment("added", added)]
            i += 1
            continue
        if seg.op != "same" and merged and merged[-1].op != "same":
            # keep one removed and one added segment per change
            removed = "".join(s.text for s in _trailing_changes(merged, "removed"))
            added = "".join(s.text for s in _trailing_changes(merged, "added"))
            while merged and merged[-1].op != "same":
                merged.pop()
            if seg.op == "removed":
                removed += seg.text
            else:
                added += seg.text
            merged += [
                Segment(op, text) for op, text in (("removed", removed), ("added", added)) if text
            ]
            i += 1
            continue
        merged.append(seg)
        i += 1
    return merged


def _trailing_changes(segments: list[Segment], op: str) -> list[Segment]:
    tail: list[Segment] = []
    for seg in reversed(segments):
        if seg.op == "same":
            break
        if seg.op == op:
            tail.insert(0, seg)
    return tail


def has_changes(segments: list[Segment]) -> bool:
    return any(seg.op != "same" for seg in segments)
