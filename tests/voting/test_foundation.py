"""The electorate snapshot, opening, and the decision rule's exact arithmetic."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from civic.clock import utcnow
from civic.community.models import Household
from civic.extensions import db
from civic.voting import decision, electorate, opening
from civic.voting.models import Caster, Elector, Preset, State, Unit


def test_announce_opens_and_freezes_the_electorate(vworld, make_vote):
    vote = make_vote()
    assert vote.state is State.OPEN and vote.opened_at is not None
    electors = db.session.execute(db.select(Elector).where(Elector.vote_id == vote.id)).scalars().all()
    assert {e.household_id for e in electors} == {h.id for h in vworld.households}
    assert sum(e.area_m2 for e in electors) == Decimal("545.00")
    # owners only: 王阿姨 casts for h701, her family member and the tenant do not
    assert [e.household_id for e in electorate.electors_of(vote, vworld.resident.id)] == [vworld.h701.id]
    assert electorate.electors_of(vote, vworld.family.id) == []
    assert electorate.electors_of(vote, vworld.tenant.id) == []
    # a household added later does not join
    db.session.add(Household(building=vworld.b7, room="705", area_m2=Decimal("50")))
    db.session.commit()
    assert db.session.query(Elector).filter_by(vote_id=vote.id).count() == 6


def test_all_members_and_chosen_buildings(vworld, make_vote):
    vote = make_vote(owners_only=False, buildings=[vworld.b7])
    assert {e.household_id for e in db.session.query(Elector).filter_by(vote_id=vote.id)} == {
        vworld.h701.id, vworld.h702.id, vworld.h703.id, vworld.h704.id}
    assert [e.household_id for e in electorate.electors_of(vote, vworld.tenant.id)] == [vworld.h701.id]
    assert electorate.electors_of(vote, vworld.teacher.id) == []


def test_resident_unit_has_one_elector_per_member(vworld, make_vote):
    vote = make_vote(unit=Unit.RESIDENT, owners_only=False, preset=Preset.SIMPLE_MAJORITY)
    electors = db.session.query(Elector).filter_by(vote_id=vote.id).all()
    assert len(electors) == 6  # 张老师, 王阿姨, 王叔叔, 小刘, 李叔, 赵阿姨
    assert db.session.query(Caster).filter_by(vote_id=vote.id).count() == 6


def test_scheduled_vote_opens_when_due(vworld, make_vote):
    now = utcnow()
    vote = make_vote(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=2))
    assert vote.state is State.SCHEDULED
    assert opening.open_due(now) == []
    assert opening.open_due(now + timedelta(hours=1)) == [vote.id]
    assert vote.state is State.OPEN


def _figures(eh, ea, ph, pa, yh, ya):
    return decision.Figures(eh, Decimal(ea), ph, Decimal(pa), yh, Decimal(ya))


def test_art278_major_exactly_at_the_thresholds_passes():
    rule = decision.PRESETS[Preset.ART278_MAJOR]
    # 12 owners with 1,200 m²: 8 with 800 m² take part (exactly 2/3 both ways), 6 with 600 m² approve (exactly 3/4)
    v = decision.verdict(rule, _figures(12, "1200", 8, "800", 6, "600"))
    assert v.passed and [c.value for c in v.checks] == [Fraction(2, 3), Fraction(2, 3), Fraction(3, 4), Fraction(3, 4)]
    just_below = decision.verdict(rule, _figures(12, "1200", 8, "799.99", 6, "599.99"))
    assert not just_below.passed and just_below.first_failure.key == "participation_area"


def test_art278_other_needs_more_than_half():
    rule = decision.PRESETS[Preset.ART278_OTHER]
    assert not decision.verdict(rule, _figures(4, "400", 4, "400", 2, "200")).passed  # exactly half: no
    assert decision.verdict(rule, _figures(4, "400", 4, "400", 3, "200.01")).passed


def test_household_majority_counts_the_whole_electorate():
    rule = decision.PRESETS[Preset.HOUSEHOLD_MAJORITY]
    assert not decision.verdict(rule, _figures(10, "1000", 6, "600", 5, "500")).passed
    assert decision.verdict(rule, _figures(10, "1000", 6, "600", 6, "600")).passed
