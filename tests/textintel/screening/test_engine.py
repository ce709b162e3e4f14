import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govmatrix.textintel.screening.cli import screen_stream
from govmatrix.textintel.screening.engine import Screener, ScreenResult
from govmatrix.textintel.screening.lexicon import Lexicon, LexiconScreen

ROOT = Path(__file__).resolve().parents[3]


class FixedScorer:
    def __init__(self, scores):
        self.scores = scores

    def score(self, texts):
        return [self.scores.get(text, 0.0) for text in texts]


def small_screener(scores=None, threshold=0.9):
    lexicon = Lexicon.from_terms({"傻逼": "abuse", "法轮功": "national_security"})
    return Screener(LexiconScreen([lexicon]), FixedScorer(scores or {}), threshold)


def test_a_lexicon_hit_flags_the_text_with_its_category_and_term():
    result = small_screener().screen("你个傻 逼")
    assert result == ScreenResult(flagged=True, categories=["abuse"], terms=["傻逼"], score=0.0)


def test_a_confident_classifier_flags_a_text_without_lexicon_hits():
    result = small_screener({"滚出去吧你": 0.95}).screen("滚出去吧你")
    assert result.flagged
    assert result.categories == ["abuse"]
    assert result.terms == []
    assert result.score == pytest.approx(0.95)


def test_a_classifier_score_below_the_threshold_does_not_flag():
    result = small_screener({"拆迁补偿款一直没到位": 0.6}).screen("拆迁补偿款一直没到位")
    assert not result.flagged
    assert result.score == pytest.approx(0.6)


def test_a_long_text_needs_the_stricter_threshold_to_be_flagged_by_the_classifier():
    long_text = "小区门口的道路坑坑洼洼" * 30
    lenient = small_screener({long_text: 0.97}, threshold=0.9).screen(long_text)
    assert not lenient.flagged
    sure = small_screener({long_text: 0.999}, threshold=0.9).screen(long_text)
    assert sure.flagged


def test_categories_are_listed_in_the_documented_order():
    result = small_screener().screen("法轮功 傻逼")
    assert result.categories == ["national_security", "abuse"]


def test_an_empty_line_is_not_flagged():
    assert small_screener().screen("   ") == ScreenResult(flagged=False)


def test_the_screen_stream_writes_one_json_object_per_input_line():
    source = io.StringIO("你个傻逼\n\n今天天气不错\n")
    sink = io.StringIO()
    assert screen_stream(source, sink, small_screener()) == 3
    lines = sink.getvalue().splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first == {"flagged": True, "categories": ["abuse"], "terms": ["傻逼"], "score": 0.0}
    assert json.loads(lines[2])["flagged"] is False
    assert "傻逼" in lines[0]  # ensure_ascii=False


def test_the_screen_command_reads_stdin_and_writes_json_lines():
    completed = subprocess.run(
        [sys.executable, "-m", "govmatrix.textintel", "screen"],
        input="你们这帮傻逼，去死吧\n我们小区拆迁补偿款一直没有到位，希望政府尽快解决\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(rows) == 2
    assert set(rows[0]) == {"flagged", "categories", "terms", "score"}
    assert rows[0]["flagged"] is True
    assert "abuse" in rows[0]["categories"]
    assert rows[1]["flagged"] is False
    assert rows[0]["score"] > rows[1]["score"]


def test_an_ordinary_demolition_complaint_is_not_flagged():
    screener = Screener.default()
    for text in (
        "A3区某小区拆迁补偿标准太低，开发商强行拆迁还打人，请领导主持公道",
        "化工厂长期排放废水污染河道，附近居民苦不堪言，希望环保局查处",
        "城管人员暴力执法打人，我们要求严肃处理",
    ):
        result = screener.screen(text)
        assert not result.flagged, (text, result)


def test_obvious_abuse_is_flagged_by_the_default_screener():
    screener = Screener.default()
    assert screener.screen("你们这帮傻逼脑残，全家去死吧").flagged
    assert screener.screen("你是傻 * 逼").flagged


GOV_MESSAGES = ROOT.parent / "shared" / "data" / "gov_messages" / "messages.csv"


def test_at_most_two_percent_of_ordinary_government_messages_are_flagged():
    if not GOV_MESSAGES.exists():
        pytest.skip(f"shared data absent: {GOV_MESSAGES} (measured in bench/screening.py)")
    import csv
    import hashlib

    csv.field_size_limit(10**8)
    with GOV_MESSAGES.open(encoding="utf-8-sig", newline="") as handle:
        texts = [f"{r['title'] or ''}\n{r['detail'] or ''}" for r in csv.DictReader(handle)]
    # the measurement half only (the curation half was used to review the lexicon)
    half_b = [t for t in texts if hashlib.md5(t.encode(), usedforsecurity=False).digest()[0] % 2]
    sample = half_b[::2]
    flagged = sum(result.flagged for result in Screener.default().screen_many(sample))
    assert flagged / len(sample) <= 0.02, flagged / len(sample)
