import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from govmatrix.textintel.harm.data import HarmDataError, read_labelled_csv
from govmatrix.textintel.harm.evaluate import evaluate_main
from govmatrix.textintel.harm.model import DEFAULT_MODEL_PATH, HarmConfig, HarmModel

ROOT = Path(__file__).resolve().parents[3]

OFFENSIVE = [
    "你这个傻逼滚远点",
    "脑残东西去死吧",
    "一群废物垃圾人渣",
    "黑鬼都滚出中国",
    "蠢猪一样的地域黑",
    "你妈的智障玩意",
]
ORDINARY = [
    "今天天气很好我们去公园",
    "小区停车位不够希望解决",
    "谢谢大家的支持和帮助",
    "这家餐厅的菜很好吃",
    "学校门口的红绿灯坏了",
    "请问公积金怎么提取",
]


def write_csv(path, rows, header="text,label"):
    path.write_text(
        header + "\n" + "".join(f"{text},{label}\n" for text, label in rows), encoding="utf-8"
    )
    return path


def tiny_rows():
    return [(t, 1) for t in OFFENSIVE] + [(t, 0) for t in ORDINARY]


def test_a_labelled_csv_is_read_into_texts_and_labels(tmp_path):
    texts, labels = read_labelled_csv(write_csv(tmp_path / "a.csv", tiny_rows()))
    assert len(texts) == 12
    assert labels[:6] == [1] * 6


def test_a_csv_without_a_label_column_is_rejected_with_a_clear_message(tmp_path):
    path = write_csv(tmp_path / "a.csv", [("x", 1)], header="text,tag")
    with pytest.raises(HarmDataError, match="missing column"):
        read_labelled_csv(path)


def test_an_empty_csv_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(HarmDataError, match="empty"):
        read_labelled_csv(path)


def test_a_header_without_rows_is_rejected(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("text,label\n", encoding="utf-8")
    with pytest.raises(HarmDataError, match="no rows"):
        read_labelled_csv(path)


def test_a_label_other_than_zero_or_one_is_rejected(tmp_path):
    path = write_csv(tmp_path / "a.csv", [("x", 3)])
    with pytest.raises(HarmDataError, match="not 0 or 1"):
        read_labelled_csv(path)


def test_evaluate_prints_progress_and_ends_with_one_json_line(tmp_path, capsys):
    train = write_csv(tmp_path / "train.csv", tiny_rows())
    test = write_csv(tmp_path / "test.csv", tiny_rows())
    assert evaluate_main(train_path=str(train), test_path=str(test)) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    for key in ("accuracy", "macro_f1", "n_train", "n_test", "seconds"):
        assert key in result
    assert result["n_train"] == 12 and result["n_test"] == 12
    assert 0.0 <= result["accuracy"] <= 1.0
    assert "baseline_accuracy" in result


def test_evaluate_returns_2_for_a_missing_column(tmp_path, capsys):
    train = write_csv(tmp_path / "train.csv", [("x", 1)], header="content,label")
    test = write_csv(tmp_path / "test.csv", tiny_rows())
    assert evaluate_main(train_path=str(train), test_path=str(test)) == 2
    assert "missing column" in capsys.readouterr().err


def test_evaluate_returns_2_for_an_empty_or_absent_file(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    test = write_csv(tmp_path / "test.csv", tiny_rows())
    assert evaluate_main(train_path=str(empty), test_path=str(test)) == 2
    assert evaluate_main(train_path=str(test), test_path=str(tmp_path / "nope.csv")) == 2
    assert "error:" in capsys.readouterr().err


def test_the_evaluate_command_exits_2_on_bad_input(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "govmatrix.textintel",
            "evaluate",
            "harm",
            "--train",
            str(empty),
            "--test",
            str(empty),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "empty" in completed.stderr


def test_a_model_survives_saving_and_loading(tmp_path):
    texts = [t for t, _ in tiny_rows()]
    labels = [label for _, label in tiny_rows()]
    model = HarmModel.train(texts, labels, HarmConfig(min_df=1))
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = HarmModel.load(path)
    assert np.allclose(model.score(texts), loaded.score(texts), atol=1e-5)


def test_the_shipped_model_scores_an_obvious_insult_above_an_ordinary_complaint():
    assert DEFAULT_MODEL_PATH.exists()
    model = HarmModel.load(DEFAULT_MODEL_PATH)
    insult, complaint = model.score(
        ["你这个傻逼脑残，滚回你的农村去", "我们小区门口的路灯坏了一个月，希望尽快修好"]
    )
    assert insult > 0.5 > complaint


def test_the_shipped_model_is_reasonably_small():
    assert DEFAULT_MODEL_PATH.stat().st_size < 15 * 1024 * 1024
