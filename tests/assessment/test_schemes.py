"""Schemes are data: seeded as shipped, edited by the office into new versions, validated."""

from __future__ import annotations

import copy

import pytest

from govmatrix.assessment.models import AssessmentRun, SchemeVersion
from govmatrix.assessment.scoring import Scheme, shipped_scheme_dicts
from govmatrix.assessment.services.runs import run_compute, run_create, run_freeze
from govmatrix.assessment.services.schemes import scheme_seed_shipped, scheme_version_create
from govmatrix.audit.models import Event
from govmatrix.core.errors import NotAllowed, ValidationFailed
from tests.conftest import District


def _current(name: str = "four_dimensions") -> SchemeVersion:
    return SchemeVersion.objects.get(name=name, is_current=True)


def test_the_shipped_schemes_are_in_the_database_as_their_first_version(db: None) -> None:
    for name, data in shipped_scheme_dicts().items():
        row = _current(name)
        assert row.number == 1
        assert row.content_hash == Scheme.from_dict(data).content_hash
    assert scheme_seed_shipped() == []  # running the seed again adds nothing


def test_seeding_an_emptied_database_records_each_scheme_in_the_event_log(db: None) -> None:
    SchemeVersion.objects.all().delete()
    created = scheme_seed_shipped()
    assert {row.name for row in created} == set(shipped_scheme_dicts())
    assert Event.objects.filter(verb="scheme.seeded").count() == len(created)


def test_editing_a_scheme_adds_a_version_and_leaves_the_old_one_as_it_was(
    district: District,
) -> None:
    old = _current()
    definition = copy.deepcopy(old.definition)
    definition["veto_action"] = {"kind": "set", "value": 59.0}
    new = scheme_version_create(actor=district.office_admin, definition=definition,
                                note="否决项一律计 59 分", name="four_dimensions")  # fmt: skip
    old.refresh_from_db()
    assert (new.number, new.is_current, old.is_current) == (2, True, False)
    assert new.content_hash != old.content_hash
    assert old.definition["veto_action"] == {"kind": "cap", "value": 59.0}
    assert Event.objects.filter(verb="scheme.version_created", object_id=str(new.pk)).exists()


def test_a_frozen_run_keeps_the_scheme_version_it_was_computed_with(
    quarter_data: District, after_quarter: None
) -> None:
    run = run_create(actor=quarter_data.office_admin, quarter="2026Q2", scheme="four_dimensions")
    run_compute(run_id=run.pk)
    run_freeze(actor=quarter_data.office_admin, run_id=run.pk)
    definition = copy.deepcopy(_current().definition)
    definition["dimensions"][0]["weight"], definition["dimensions"][1]["weight"] = 0.30, 0.25
    scheme_version_create(actor=quarter_data.office_admin, definition=definition)
    run = AssessmentRun.objects.get(pk=run.pk)
    assert run.scheme_version.number == 1
    assert run.result["scheme"]["hash"] == run.scheme_version.content_hash
    assert _current().number == 2


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["dimensions"][0].update(weight=0.5), "dimensions"),
        (lambda d: d["indicators"][0].update(metrics=["posts_orignal"]), "indicators[0].metrics"),
        (lambda d: d["indicators"][2]["normalisation"].update(method="minmaxx"),
         "indicators[2].normalisation.method"),
        (lambda d: d["vetoes"][0].update(rule="days_since_last_post >>= 14"), "vetoes[0].rule"),
    ],
)  # fmt: skip
def test_an_invalid_scheme_is_refused_with_each_problem_and_nothing_is_saved(
    district: District, change: object, path: str
) -> None:
    definition = copy.deepcopy(_current().definition)
    change(definition)  # type: ignore[operator]
    with pytest.raises(ValidationFailed) as refused:
        scheme_version_create(actor=district.office_admin, definition=definition)
    assert path in refused.value.errors
    assert SchemeVersion.objects.filter(name="four_dimensions").count() == 1


def test_saving_the_same_content_again_is_refused(district: District) -> None:
    with pytest.raises(ValidationFailed):
        scheme_version_create(actor=district.office_admin, definition=_current().definition)


def test_a_scheme_cannot_be_renamed_by_editing_it(district: District) -> None:
    definition = copy.deepcopy(_current().definition)
    definition["name"] = "renamed"
    with pytest.raises(ValidationFailed) as refused:
        scheme_version_create(actor=district.office_admin, definition=definition,
                              name="four_dimensions")  # fmt: skip
    assert "name" in refused.value.errors


@pytest.mark.parametrize("user", ["office_inspector", "leader", "operator"])
def test_only_the_office_edits_schemes(district: District, user: str) -> None:
    definition = copy.deepcopy(_current().definition)
    definition["notes"] = ["改"]
    with pytest.raises(NotAllowed):
        scheme_version_create(actor=getattr(district, user), definition=definition)
