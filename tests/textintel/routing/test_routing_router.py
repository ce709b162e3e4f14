"""The learned router on tiny made-up messages: fit, predict, confidence, save and load."""

from __future__ import annotations

import numpy as np
import pytest

from govmatrix.textintel.routing import Prediction, Router


@pytest.fixture(scope="module")
def router(tiny_corpus: tuple[list[str], list[str]]) -> Router:
    texts, labels = tiny_corpus
    return Router().fit(texts, labels)


def test_a_message_about_a_noisy_construction_site_goes_to_environment(router: Router) -> None:
    assert router.predict(["河东工地噪音扰民"])[0].label == "环境保护"


def test_unseen_messages_in_the_style_of_each_class_are_routed_there(router: Router) -> None:
    predictions = router.predict(["城北出租车拒载", "城北小学入学划片", "城北河道污水直排"])
    assert [p.label for p in predictions] == ["交通运输", "教育文体", "环境保护"]


def test_predictions_carry_a_probability_and_the_ranked_runners_up(router: Router) -> None:
    prediction = router.predict(["城北出租车拒载绕路"])[0]
    assert isinstance(prediction, Prediction)
    assert 0.0 <= prediction.confidence <= 1.0
    assert prediction.ranked[0] == (prediction.label, round(prediction.confidence, 4))
    assert len(prediction.ranked) == 3
    proba = router.predict_proba(["城北出租车拒载绕路", "随便说点什么"])
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_a_message_unlike_any_training_message_gets_less_confidence(router: Router) -> None:
    clear, unclear = router.predict(["城北出租车拒载绕路，客运班车超载", "今天天气很好"])
    assert unclear.confidence < clear.confidence


def test_the_temperature_is_fitted_when_there_is_enough_training_data(router: Router) -> None:
    assert router.temperature != 1.0
    assert router.n_train == 90


def test_a_saved_router_loads_and_predicts_the_same(router: Router, tmp_path) -> None:
    path = tmp_path / "router.joblib"
    router.save(path)
    loaded = Router.load(path)
    texts = ["河东工地噪音扰民", "城北小学入学划片", "今天天气很好"]
    assert loaded.predict(texts) == router.predict(texts)


def test_a_file_that_is_not_a_router_is_refused(tmp_path) -> None:
    import joblib

    path = tmp_path / "other.joblib"
    joblib.dump({"something": "else"}, path)
    with pytest.raises(ValueError, match="not a GovMatrix router file"):
        Router.load(path)


def test_an_untrained_router_says_so() -> None:
    with pytest.raises(RuntimeError, match="not trained"):
        Router().predict(["噪音"])
    with pytest.raises(RuntimeError, match="not trained"):
        Router().save("/nonexistent/never-written.joblib")


def test_training_needs_two_labels_and_as_many_labels_as_texts() -> None:
    with pytest.raises(ValueError, match="two labels"):
        Router().fit(["噪音", "污水"], ["环境保护", "环境保护"])
    with pytest.raises(ValueError, match="labels"):
        Router().fit(["噪音", "污水"], ["环境保护"])


def test_a_handful_of_messages_without_titles_is_enough_to_train() -> None:
    router = Router().fit(
        ["噪音扰民", "污水直排", "出租车拒载", "班车超载"], ["环", "环", "交", "交"]
    )
    assert router.predict(["出租车绕路"])[0].label == "交"
    assert router.temperature == 1.0  # too few messages to fit it


def test_predicting_no_messages_gives_no_predictions(router: Router) -> None:
    assert router.predict([]) == []
