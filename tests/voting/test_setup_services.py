"""Setting up votes: presets copied as numbers, custom rules, refusals, the freeze at the first ballot."""
from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from flask_babel import force_locale

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import electorate, setup
from civic.voting.decision import Rule, Threshold
from civic.voting.models import (ApprovalBase, Ballot, Basis, Elector, Method, Op, Preset, State, Unit, Vote,
                                 VoteChoice)


def _times(now=None):
    now = now or utcnow()
    return {"opens_at": now + timedelta(hours=1), "closes_at": now + timedelta(days=7)}


def _create(vworld, **given):
    with force_locale("en"):
        vote = setup.create_vote(vworld.project, actor=vworld.committee, now=utcnow(),
                                 **{"title": "垃圾厢房选址", **_times(), **given})
    db.session.commit()
    return vote


def _refused(fn, *args, **kwargs) -> RuleViolation:
    with force_locale("en"), pytest.raises(RuleViolation) as caught:
        fn(*args, **kwargs)
    db.session.rollback()
    return caught.value


def _audit(action):
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_a_preset_is_copied_onto_the_vote_as_numbers(vworld):
    vote = _create(vworld, preset=Preset.ART278_OTHER, explanation="**两处**选址")
    assert vote.state is State.DRAFT and vote.method is Method.YES_NO and vote.choices == []
    assert (vote.part_basis, vote.part_op, vote.part_num, vote.part_den) == (Basis.BOTH, Op.GE, 2, 3)
    assert (vote.appr_basis, vote.appr_op, vote.appr_num, vote.appr_den) == (Basis.BOTH, Op.GT, 1, 2)
    assert vote.explanation_html.strip() == "<p><strong>两处</strong>选址</p>"
    assert {b.id for b in vote.buildings} == {vworld.b1.id, vworld.b7.id}  # the project's buildings by default
    assert [e.detail["title"] for e in _audit("vote.create")] == ["垃圾厢房选址"]


def test_custom_thresholds_and_choices(vworld):
    custom = Rule(Threshold(Basis.HEAD, Op.GT, Fraction(1, 2)), Threshold(Basis.AREA, Op.GE, Fraction(3, 5)),
                  ApprovalBase.ELIGIBLE)
    vote = _create(vworld, method=Method.APPROVAL, max_choices=2, choices=["东侧", " 西侧 ", "", "北侧"],
                   preset=Preset.CUSTOM, custom=custom, buildings=[vworld.b7.id])
    assert [(c.position, c.label) for c in vote.choices] == [(1, "东侧"), (2, "西侧"), (3, "北侧")]
    assert (vote.preset, vote.part_basis, vote.part_op, vote.part_num, vote.part_den) == (
        Preset.CUSTOM, Basis.HEAD, Op.GT, 1, 2)
    assert (vote.appr_basis, vote.appr_num, vote.appr_den, vote.appr_base) == (Basis.AREA, 3, 5, ApprovalBase.ELIGIBLE)
    assert [b.id for b in vote.buildings] == [vworld.b7.id]


@pytest.mark.parametrize(("given", "field", "words"), [
    ({"title": "  "}, "title", "title"),
    ({"method": Method.SINGLE, "choices": ["东侧"]}, "choices", "at least two"),
    ({"method": Method.SINGLE, "choices": ["东侧", "东侧 "]}, "choices", "twice"),
    ({"method": Method.RANKED, "choices": [f"方案{i}" for i in range(27)]}, "choices", "at most 26"),
    ({"method": Method.APPROVAL, "choices": ["东", "西"], "max_choices": 3}, "max_choices", "from 1 to 2"),
    ({"unit": Unit.RESIDENT}, "preset", "household"),
    ({"preset": Preset.CUSTOM, "custom": Rule(Threshold(Basis.HEAD, Op.GE, Fraction(0)),
                                              Threshold(Basis.HEAD, Op.GT, Fraction(1, 2)))}, "part_num", "above 0"),
    ({"preset": Preset.CUSTOM, "custom": None}, "preset", "custom"),
    ({"closes_at": utcnow()}, "closes_at", "close after"),
    ({"publicity_days": 61}, "publicity_days", "60"),
    ({"signoffs_required": 0}, "signoffs_required", "1 to 3"),
    ({"expert_weight_percent": 40, "rubric": [("安全", 100)]}, "expert_weight_percent", "between choices"),
    ({"method": Method.SCORE, "choices": ["东", "西"], "expert_weight_percent": 40, "rubric": [("安全", 90)]},
     "rubric", "100"),
])
def test_bad_settings_are_refused_and_nothing_is_written(vworld, given, field, words):
    with force_locale("en"), pytest.raises(RuleViolation) as caught:
        setup.create_vote(vworld.project, actor=vworld.committee, now=utcnow(),
                          **{"title": "选址", **_times(), **given})
    db.session.rollback()
    assert caught.value.field == field and words in caught.value.message
    assert db.session.query(Vote).count() == 0


def test_design_options_must_be_published_options_of_the_project(vworld):
    error = _refused(setup.create_vote, vworld.project, actor=vworld.committee, now=utcnow(), title="选址",
                     method=Method.SINGLE, design_options=[999], choices=["都不要", "再议"], **_times())
    assert error.field == "design_options"


def test_expert_rubric_is_written(vworld):
    vote = _create(vworld, method=Method.SCORE, choices=["东", "西"], expert_weight_percent=40,
                   rubric=[("安全", 60), ("造价", 40)])
    assert [(c.name, c.weight_percent) for c in vote.criteria] == [("安全", 60), ("造价", 40)]
    setup.update_vote(vote, actor=vworld.committee, now=utcnow(), expert_weight_percent=0)
    db.session.commit()
    assert vote.criteria == [] and vote.expert_weight_percent == 0


def test_update_returns_what_changed_and_audits(vworld):
    vote = _create(vworld, method=Method.SINGLE, choices=["东侧", "西侧"])
    assert setup.update_vote(vote, actor=vworld.committee, now=utcnow(), choices=["东侧", "西侧"]) == []
    changed = setup.update_vote(vote, actor=vworld.committee, now=utcnow(), choices=["东侧", "北侧", "西侧"],
                                preset=Preset.SIMPLE_MAJORITY, title="新标题")
    db.session.commit()
    assert changed == ["title", "choices", "preset"]
    assert [c.label for c in db.session.get(Vote, vote.id).choices] == ["东侧", "北侧", "西侧"]
    assert _audit("vote.edit")[-1].detail["fields"] == changed


def test_open_vote_without_ballots_re_snapshots_its_electorate(vworld, make_vote):
    vote = make_vote()
    assert db.session.query(Elector).filter_by(vote_id=vote.id).count() == 6
    setup.update_vote(vote, actor=vworld.committee, now=utcnow(), buildings=[vworld.b1.id])
    db.session.commit()
    assert {e.household_id for e in db.session.query(Elector).filter_by(vote_id=vote.id)} == {
        vworld.h101.id, vworld.h102.id}


def _cast_directly(vote, elector):
    db.session.add(Ballot(vote_id=vote.id, elector_id=elector.id, household_id=elector.household_id,
                          building_id=elector.building_id, area_m2=elector.area_m2, answer="for", receipt="R1",
                          cast_at=utcnow(), cast_by_id=None))
    db.session.commit()


def test_after_the_first_ballot_changes_are_refused_audited_and_nothing_changes(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE, choices=("东侧", "西侧"), preset=Preset.SIMPLE_MAJORITY)
    elector = electorate.electors_of(vote, vworld.resident.id)[0]
    _cast_directly(vote, elector)
    error = _refused(setup.update_vote, vote, actor=vworld.committee, now=utcnow(), title="改了",
                     choices=["东侧", "西侧", "北侧"], preset=Preset.ART278_MAJOR)
    assert isinstance(error, setup.SettingsFrozen)
    assert error.message == ("Ballots have been cast: the choices, method, rule, electorate and weights can no "
                             "longer change.")
    fresh = db.session.get(Vote, vote.id)
    db.session.refresh(fresh)
    assert fresh.title == "垃圾厢房选址" and fresh.preset is Preset.SIMPLE_MAJORITY
    assert db.session.query(VoteChoice).filter_by(vote_id=vote.id).count() == 2
    refused = _audit("vote.settings_refused")
    assert len(refused) == 1 and refused[0].detail["fields"] == ["title", "choices", "preset"]
    assert refused[0].actor_id == vworld.committee.id


def test_after_the_first_ballot_the_wording_may_still_be_corrected(vworld, make_vote):
    vote = make_vote()
    _cast_directly(vote, electorate.electors_of(vote, vworld.resident.id)[0])
    assert setup.update_vote(vote, actor=vworld.committee, now=utcnow(), title="垃圾厢房选址（更正）",
                             explanation="更正错字") == ["title", "explanation"]
    db.session.commit()
    assert db.session.get(Vote, vote.id).title == "垃圾厢房选址（更正）"
    assert db.session.query(Elector).filter_by(vote_id=vote.id).count() == 6


def test_opening_time_of_an_open_vote_is_fixed(vworld, make_vote):
    vote = make_vote()
    error = _refused(setup.update_vote, vote, actor=vworld.committee, now=utcnow(),
                     opens_at=utcnow() + timedelta(hours=2))
    assert error.field == "opens_at"


def test_buildings_of_another_community_are_refused(vworld, make_building):
    foreign = make_building(vworld.other_community, name="外楼")
    error = _refused(setup.create_vote, vworld.project, actor=vworld.committee, now=utcnow(), title="选址",
                     buildings=[foreign.id], **_times())
    assert error.field == "buildings"


def _option(vworld, title, *, published=True):
    from civic.designs import services as designs
    from tests.designs.conftest import SPEC, plan_png, upload

    now = utcnow()
    option = designs.create_option(vworld.project, actor=vworld.committee, title=title, summary="", now=now)
    designs.add_version(option, vworld.project, actor=vworld.committee, uploads=[upload(plan_png(title))],
                        change_note="第1版", spec=dict(SPEC), now=now)
    if published:
        designs.publish(option, vworld.project, actor=vworld.committee, now=now)
    db.session.commit()
    return option


def test_design_options_become_choices_with_their_current_version(vworld):
    east, west = _option(vworld, "东侧绿地"), _option(vworld, "西侧车棚旁")
    private = _option(vworld, "未发布", published=False)
    vote = _create(vworld, method=Method.SINGLE, design_options=[east.id, west.id], choices=["都不要"])
    assert [(c.label, c.option_id) for c in vote.choices] == [
        ("方案A：东侧绿地", east.id), ("方案B：西侧车棚旁", west.id), ("都不要", None)]
    assert all(c.version_id is not None for c in vote.choices[:2])
    error = _refused(setup.update_vote, vote, actor=vworld.committee, now=utcnow(),
                     design_options=[east.id, private.id])
    assert error.field == "design_options"
    assert len(db.session.get(Vote, vote.id).choices) == 3
