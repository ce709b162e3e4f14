"""The content check a post gets on submit: sensitive terms, banned expressions, leaders' names.

Pure functions over the lists they are given (no database here; `selectors.content_check`
loads the office's lists). Matching reuses textintel's lexicon scanner: one Aho-Corasick
automaton over normalised text, so a term matches through spaces, punctuation, traditional
characters and full-width forms, and every hit carries its span in the original text.

* **sensitive terms**: textintel's shipped harm lexicon (curated from the houbb dictionary,
  with houbb's allow-list, plus konsheng and SWSR); a hit inside an office-exempt word
  (豁免词) is dropped;
* **banned expressions**: the office's list, each with the wording to use instead;
* **leaders**: the office's list of names and titles that must be written exactly. A known
  name next to a title that is not the leader's own is flagged (张三副区长 for 区长张三), and
  so is a near-miss of a name — one character off and either next to one of the leader's
  titles or a homophone with the same surname (张叁区长, 张彡) — with the correct form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin import Style, lazy_pinyin

from govmatrix.textintel.screening.lexicon import Lexicon, LexiconScreen, load_default_lexicon

SENSITIVE = "sensitive"
BANNED = "banned"
LEADER_NAME = "leader_name"
LEADER_TITLE = "leader_title"

KIND_LABELS: dict[str, str | Promise] = {
    SENSITIVE: gettext_lazy("敏感词"),
    BANNED: gettext_lazy("禁用表述"),
    LEADER_NAME: gettext_lazy("领导姓名"),
    LEADER_TITLE: gettext_lazy("领导职务"),
}

# textintel's harm categories, as the office reads them.
CATEGORY_LABELS: dict[str, str | Promise] = {
    "national_security": gettext_lazy("危害国家安全"),
    "ethnic_unity": gettext_lazy("破坏民族团结"),
    "party_government_image": gettext_lazy("损害党和政府形象"),
    "social_stability": gettext_lazy("影响社会稳定"),
    "abuse": gettext_lazy("辱骂"),
    "obscenity": gettext_lazy("色情低俗"),
    "advertising": gettext_lazy("广告引流"),
    "illegal": gettext_lazy("违法信息"),
    BANNED: gettext_lazy("禁用表述"),
    LEADER_NAME: gettext_lazy("姓名疑似有误"),
    LEADER_TITLE: gettext_lazy("职务不符"),
}

# Titles that may stand next to a name, besides those in the office's list of leaders.
COMMON_TITLES: tuple[str, ...] = (
    "书记",
    "副书记",
    "区委书记",
    "区委副书记",
    "区委常委",
    "区长",
    "副区长",
    "代区长",
    "常务副区长",
    "区人大常委会主任",
    "区人大常委会副主任",
    "区政协主席",
    "区政协副主席",
    "主任",
    "副主任",
    "局长",
    "副局长",
    "部长",
    "副部长",
    "主席",
    "副主席",
    "秘书长",
    "副秘书长",
    "镇长",
    "副镇长",
    "镇党委书记",
    "街道党工委书记",
    "街道办事处主任",
    "委员",
    "常委",
    "处长",
    "副处长",
    "科长",
    "副科长",
    "院长",
    "副院长",
    "检察长",
    "副检察长",
    "市长",
    "副市长",
    "县长",
    "副县长",
    "省长",
    "副省长",
    "总书记",
)

_TITLE_SPLIT = re.compile(r"[、,，/；;\s]+")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass(frozen=True)
class Banned:
    phrase: str
    suggestion: str = ""
    note: str = ""


@dataclass(frozen=True)
class Leader:
    name: str
    titles: str

    @property
    def title_list(self) -> list[str]:
        return [t for t in _TITLE_SPLIT.split(self.titles) if t]

    @property
    def correct_form(self) -> str:
        titles = self.title_list
        return f"{self.name}{titles[-1]}" if titles else self.name


@dataclass(frozen=True)
class CheckHit:
    kind: str
    term: str
    category: str
    start: int
    end: int
    matched: str
    suggestion: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


@lru_cache(maxsize=1)
def _shipped_screen() -> LexiconScreen:
    """The shipped harm lexicon's automaton (about a second to build; built once per process)."""
    return LexiconScreen([load_default_lexicon()])


# Another app may provide the harm lexicon's screen instead of the shipped one: moderation gives
# the shipped lexicon with the office's edits (added and removed terms, allow-list), rebuilt
# after each edit commits. It registers in its AppConfig.ready; `selectors.content_check` asks
# for it and passes it in, so the functions here stay free of the database.
_screen_provider: Callable[[], LexiconScreen] | None = None


def set_harm_screen_provider(provider: Callable[[], LexiconScreen] | None) -> None:
    global _screen_provider
    _screen_provider = provider


def harm_screen() -> LexiconScreen:
    """The provided screen (it may read the database), else the shipped one."""
    return _screen_provider() if _screen_provider is not None else _shipped_screen()


def warm_up() -> None:
    harm_screen()


def sensitive_hits(
    text: str, *, exempt: Iterable[str] = (), screen: LexiconScreen | None = None
) -> list[CheckHit]:
    hits = (screen or _shipped_screen()).scan(text)
    exempt_terms = [t for t in exempt if t.strip()]
    exempt_spans: list[tuple[int, int]] = []
    if hits and exempt_terms:
        allowed = LexiconScreen([Lexicon.from_terms(dict.fromkeys(exempt_terms, "allowed"))])
        exempt_spans = [(h.start, h.end) for h in allowed.scan(text)]
    result = []
    for hit in hits:
        if any(start <= hit.start and hit.end <= end for start, end in exempt_spans):
            continue
        result.append(
            CheckHit(
                kind=SENSITIVE,
                term=hit.term,
                category=hit.category,
                start=hit.start,
                end=hit.end,
                matched=hit.matched,
                suggestion=_("请删除或改写。"),
            )
        )
    return result


def banned_hits(text: str, banned: Sequence[Banned]) -> list[CheckHit]:
    if not banned:
        return []
    by_phrase = {rule.phrase: rule for rule in banned}
    screen = LexiconScreen([Lexicon.from_terms(dict.fromkeys(by_phrase, BANNED), name=BANNED)])
    result = []
    for hit in screen.scan(text):
        rule = by_phrase[hit.term]
        suggestion = (
            _("改为“%(s)s”。") % {"s": rule.suggestion}
            if rule.suggestion
            else _("请改用规范表述。")
        )
        if rule.note:
            suggestion = f"{suggestion}{rule.note}"
        result.append(
            CheckHit(
                kind=BANNED,
                term=hit.term,
                category=BANNED,
                start=hit.start,
                end=hit.end,
                matched=hit.matched,
                suggestion=suggestion,
            )
        )
    return result


# --- leaders --------------------------------------------------------------------------------
def _title_vocabulary(leaders: Sequence[Leader]) -> list[str]:
    words = set(COMMON_TITLES)
    for leader in leaders:
        words.update(leader.title_list)
    return sorted(words, key=len, reverse=True)


def _title_after(text: str, index: int, vocabulary: Sequence[str]) -> str:
    for word in vocabulary:  # longest first
        if text.startswith(word, index):
            return word
    return ""


def _title_before(text: str, index: int, vocabulary: Sequence[str]) -> str:
    for word in vocabulary:
        if index >= len(word) and text.startswith(word, index - len(word)):
            return word
    return ""


def _title_fits(written: str, leader: Leader) -> bool:
    """A written title fits if it is one of the leader's, or the end of one that is not a
    deputy's shortened to the principal's (副区长 → 区长 does not fit; 区委副书记 → 副书记 does)."""
    if not written:
        return False
    for title in leader.title_list:
        if written == title:
            return True
        if title.endswith(written) and not title[: -len(written)].endswith("副"):
            return True
    return False


def _same_sound(a: str, b: str) -> bool:
    return lazy_pinyin(a, style=Style.NORMAL) == lazy_pinyin(b, style=Style.NORMAL)


def _title_positions(text: str, vocabulary: Sequence[str]) -> tuple[set[int], set[int]]:
    starts: set[int] = set()
    ends: set[int] = set()
    for word in vocabulary:
        position = text.find(word)
        while position != -1:
            starts.add(position)
            ends.add(position + len(word))
            position = text.find(word, position + 1)
    return starts, ends


def leader_hits(text: str, leaders: Sequence[Leader]) -> list[CheckHit]:
    leaders = [leader for leader in leaders if leader.name and _CJK.match(leader.name)]
    if not leaders:
        return []
    vocabulary = _title_vocabulary(leaders)
    known_names = {leader.name for leader in leaders}
    title_starts, title_ends = _title_positions(text, vocabulary)
    result: list[CheckHit] = []
    for leader in leaders:
        name, n = leader.name, len(leader.name)
        # the name itself, with a title that is not the leader's
        position = text.find(name)
        while position != -1:
            end = position + n
            after = _title_after(text, end, vocabulary)
            before = _title_before(text, position, vocabulary)
            for written, span in (
                (after, (position, end + len(after))),
                (before, (position - len(before), end)),
            ):
                if written and not _title_fits(written, leader):
                    result.append(
                        CheckHit(
                            kind=LEADER_TITLE,
                            term=name,
                            category=LEADER_TITLE,
                            start=span[0],
                            end=span[1],
                            matched=text[span[0] : span[1]],
                            suggestion=_("%(name)s的职务应为“%(titles)s”。")
                            % {"name": name, "titles": leader.titles},
                        )
                    )
            position = text.find(name, position + 1)
        # near-misses of the name
        candidates = {i for i, char in enumerate(text) if char == name[0]}
        candidates |= {p - n for p in title_starts} | set(title_ends)
        for i in sorted(c for c in candidates if 0 <= c <= len(text) - n):
            window = text[i : i + n]
            if window == name or window in known_names or not _CJK.match(window):
                continue
            if sum(1 for a, b in zip(window, name, strict=True) if a != b) != 1:
                continue
            beside_title = _title_fits(
                _title_after(text, i + n, vocabulary), leader
            ) or _title_fits(_title_before(text, i, vocabulary), leader)
            homophone = window[0] == name[0] and _same_sound(window, name)
            if beside_title or homophone:
                result.append(
                    CheckHit(
                        kind=LEADER_NAME,
                        term=name,
                        category=LEADER_NAME,
                        start=i,
                        end=i + n,
                        matched=window,
                        suggestion=_("应为“%(form)s”。") % {"form": leader.correct_form},
                    )
                )
    return result


def check_text(
    text: str,
    *,
    banned: Sequence[Banned] = (),
    exempt: Iterable[str] = (),
    leaders: Sequence[Leader] = (),
    screen: LexiconScreen | None = None,
) -> list[CheckHit]:
    """Every hit in `text`, in order of position (`screen`: the harm lexicon's, default shipped)."""
    hits = [
        *sensitive_hits(text, exempt=exempt, screen=screen),
        *banned_hits(text, banned),
        *leader_hits(text, leaders),
    ]
    unique = {(h.kind, h.start, h.end, h.term): h for h in hits}
    return sorted(unique.values(), key=lambda h: (h.start, -h.end, h.kind))
