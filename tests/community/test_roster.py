"""Roster import: encodings, validation by row number, all-or-nothing, idempotent re-import."""
from decimal import Decimal
from io import BytesIO

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community import roster
from civic.community.models import Building, Household, InviteCode, Membership
from civic.extensions import db

GOOD = "building,room,area_m2,grid\n1号楼,101,89.50,A网格\n1号楼,102,132,A网格\n10号楼,201,60.25,\n"


def _count(model, community):
    query = db.select(db.func.count()).select_from(model)
    if model is Household:
        query = query.join(Building).where(Building.community_id == community.id)
    elif model is Building:
        query = query.where(Building.community_id == community.id)
    return db.session.scalar(query)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_parse_accepts_utf8_with_or_without_bom_and_gbk(encoding):
    rows = roster.parse(GOOD.encode(encoding))
    assert [(r.building, r.room, r.area_m2, r.grid) for r in rows] == [
        ("1号楼", "101", Decimal("89.50"), "A网格"), ("1号楼", "102", Decimal("132"), "A网格"),
        ("10号楼", "201", Decimal("60.25"), None)]


def test_chinese_column_names_work():
    rows = roster.parse("楼栋,室号,面积\n2号楼,301,77.7\n".encode("gbk"))
    assert rows[0].building == "2号楼" and rows[0].area_m2 == Decimal("77.7")


def test_every_bad_row_is_listed_by_row_number_in_chinese(app):
    data = ("building,room,area_m2\n1号楼,101,89.5\n1号楼,101,90\n1号楼,103,-5\n,104,60\n1号楼,105,abc\n"
            "1号楼,106,0\n1号楼,107,12.345\n").encode()
    with pytest.raises(roster.RosterError) as caught:
        roster.parse(data)
    problems = dict(caught.value.problems)
    assert set(problems) == {3, 4, 5, 6, 7, 8}
    assert "第 2 行" in problems[3] or "2" in problems[3]
    assert "大于 0" in problems[4] or "0" in problems[4]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in problems.values())


def test_missing_columns_are_named():
    with pytest.raises(roster.RosterError) as caught:
        roster.parse(b"building,room\n1,101\n")
    assert "area_m2" in caught.value.problems[0][1]


def test_import_creates_buildings_households_and_codes_in_natural_order(app, make_community):
    community = make_community()
    result = roster.import_rows(community, roster.parse(GOOD.encode()), None, utcnow())
    db.session.commit()
    assert (result.buildings_added, result.households_added) == (2, 3)
    names = [b.name for b in db.session.execute(
        db.select(Building).where(Building.community_id == community.id).order_by(Building.sort_key)).scalars()]
    assert names == ["1号楼", "10号楼"]
    assert db.session.scalar(db.select(db.func.count()).select_from(InviteCode)) == 3


def test_reimporting_the_same_file_changes_nothing(app, make_community):
    community = make_community()
    roster.import_rows(community, roster.parse(GOOD.encode()), None, utcnow())
    db.session.commit()
    codes_before = set(db.session.execute(db.select(InviteCode.code)).scalars())
    result = roster.import_rows(community, roster.parse(GOOD.encode("gbk")), None, utcnow())
    db.session.commit()
    assert not result.has_changes and result.unchanged == 3
    assert set(db.session.execute(db.select(InviteCode.code)).scalars()) == codes_before


def test_updated_file_updates_areas_adds_households_and_keeps_members(app, make_community, make_user):
    community = make_community()
    roster.import_rows(community, roster.parse(GOOD.encode()), None, utcnow())
    db.session.commit()
    household = db.session.execute(db.select(Household).where(Household.room == "101")).scalar_one()
    resident = make_user()
    db.session.add(Membership(user=resident, household=household))
    db.session.commit()
    updated = GOOD.replace("89.50", "91.00") + "10号楼,202,66\n"
    result = roster.import_rows(community, roster.parse(updated.encode()), None, utcnow())
    db.session.commit()
    assert (result.areas_updated, result.households_added, result.unchanged) == (1, 1, 2)
    db.session.refresh(household)
    assert household.area_m2 == Decimal("91.00")
    assert [m.user_id for m in household.memberships] == [resident.id]


@pytest.fixture
def signed_in_committee(make_household, make_member, grant, login_as):
    """A residents' committee member of a community with one household, signed in."""
    from civic.community.models import Role

    home = make_household()
    community = home.building.community
    member = make_member(home)
    grant(member, community, Role.RESIDENTS_COMMITTEE)
    login_as(member)
    return community, member


def test_admin_page_imports_and_audits(client, signed_in_committee):
    community, admin = signed_in_committee
    response = client.post(f"/c/{community.slug}/roster", data={"file": (BytesIO(GOOD.encode("gbk")), "名册.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    assert _count(Household, community) == 4
    event = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "roster.import")).scalar_one()
    assert event.actor_id == admin.id and event.detail["households_added"] == 3


def test_admin_page_with_a_bad_file_imports_nothing_and_lists_rows(client, signed_in_committee):
    community, _ = signed_in_committee
    bad = "building,room,area_m2\n5号楼,101,80\n5号楼,101,81\n5号楼,102,-1\n"
    response = client.post(f"/c/{community.slug}/roster", data={"file": (BytesIO(bad.encode()), "r.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 3 行" in html and "第 4 行" in html and "未导入" in html
    assert _count(Household, community) == 1 and _count(Building, community) == 1


def test_cli_import_roster(runner, make_community, tmp_path):
    community = make_community()
    path = tmp_path / "roster.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    result = runner.invoke(args=["community", "import-roster", community.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "新住户 3" in result.output
    assert _count(Household, community) == 3
    path.write_bytes(b"building,room,area_m2\n1,101,-3\n")
    result = runner.invoke(args=["community", "import-roster", community.slug, str(path)])
    assert result.exit_code != 0 and "第 2 行" in result.output
    assert _count(Household, community) == 3
