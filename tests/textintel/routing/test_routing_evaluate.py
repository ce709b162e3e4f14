"""`python -m govmatrix.textintel evaluate routing`: output format and bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govmatrix.textintel.routing.evaluate import DataError, evaluate_main, read_labelled_csv

ROOT = Path(__file__).resolve().parents[3]


def _write(path: Path, rows: list[tuple[str, str]], header: tuple[str, ...] = ("text", "label")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def train_and_test(tmp_path: Path, tiny_corpus: tuple[list[str], list[str]]) -> tuple[Path, Path]:
    texts, labels = tiny_corpus
    train = _write(tmp_path / "train.csv", list(zip(texts, labels, strict=True)))
    test = _write(
        tmp_path / "test.csv",
        [
            ("城北出租车拒载", "交通运输"),
            ("城北小学入学划片", "教育文体"),
            ("城北工地噪音", "环境保护"),
        ],
    )
    return train, test


def test_the_last_printed_line_is_one_json_object_with_the_scores(
    train_and_test: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    train, test = train_and_test
    assert evaluate_main(train_path=train, test_path=test) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) > 1, "progress is printed before the result"
    result = json.loads(lines[-1])
    assert {"macro_f1", "accuracy", "n_train", "n_test", "seconds"} <= set(result)
    assert result["n_train"] == 90
    assert result["n_test"] == 3
    assert result["accuracy"] == 1.0
    assert set(result["per_class_f1"]) == {"交通运输", "教育文体", "环境保护"}


def test_the_command_line_runs_it_through_the_dispatcher(
    train_and_test: tuple[Path, Path],
) -> None:
    train, test = train_and_test
    done = subprocess.run(
        [sys.executable, "-m", "govmatrix.textintel", "evaluate", "routing",
         "--train", str(train), "--test", str(test)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["macro_f1"] == 1.0


def test_a_bom_blank_lines_and_extra_columns_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(
        "\ufeffid,label,text,source\n\n1,环境保护,噪音扰民,web\n\n2,交通运输,出租车拒载,app\n"
        "3,,没有标签,web\n",
        encoding="utf-8",
    )
    data = read_labelled_csv(path)
    assert data.texts == ["噪音扰民", "出租车拒载"]
    assert data.labels == ["环境保护", "交通运输"]
    assert data.skipped == 1


def test_a_text_with_commas_quotes_and_newlines_is_one_message(tmp_path: Path) -> None:
    path = _write(tmp_path / "quoted.csv", [('第一行,有逗号\n第二行"引号"', "城乡建设")])
    assert read_labelled_csv(path).texts == ['第一行,有逗号\n第二行"引号"']


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("message,category\n噪音,环境保护\n", "no 'text' and no 'label' column"),
        ("text,kind\n噪音,环境保护\n", "no 'label' column"),
        ("text,label\n", "no rows"),
    ],
)
def test_bad_csv_gives_a_clear_error_and_exit_code_2(
    tmp_path: Path,
    train_and_test: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    train, test = train_and_test
    for kwargs in ({"train_path": bad, "test_path": test}, {"train_path": train, "test_path": bad}):
        assert evaluate_main(**kwargs) == 2
        err = capsys.readouterr().err
        assert message in err and str(bad) in err


def test_a_missing_file_or_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_labelled_csv(tmp_path / "absent.csv")
    latin = tmp_path / "gbk.csv"
    latin.write_bytes("text,label\n噪音,环境保护\n".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_labelled_csv(latin)


def test_training_rows_of_a_single_label_are_refused_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _write(tmp_path / "one.csv", [("噪音", "环境保护"), ("污水", "环境保护")])
    assert evaluate_main(train_path=one, test_path=one) == 2
    assert "two labels" in capsys.readouterr().err
