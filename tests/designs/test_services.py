"""The core of design options: labels, numbered immutable versions, publishing, choices for a vote."""
from decimal import Decimal

import pytest

from civic.designs import queries, services, specs
from civic.designs.models import DesignFile, DesignVersion
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects.models import ProjectEvent
from civic.web.uploads import UploadRejected
from tests.designs.conftest import SPEC, plan_png, upload


def test_options_get_letters_and_versions_numbers(dworld, make_option):
    a = make_option(versions=3)
    b = make_option(title="西侧车棚旁", versions=1)
    assert (a.label, b.label) == ("A", "B")
    assert [v.number for v in a.versions] == [1, 2, 3] and a.version_count == 3
    assert all(v.files and v.files[0].width == 400 for v in a.versions)


def test_a_refused_file_stores_nothing(dworld, make_option, upload_dir):
    option = make_option(versions=1)
    before = set(upload_dir.iterdir())
    with pytest.raises(UploadRejected):
        services.add_version(option, dworld.project, actor=dworld.designer,
                             uploads=[upload(plan_png("ok")), upload(b"<html>hi</html>", "x.png")],
                             change_note="", spec=SPEC, now=option.created_at)
    db.session.rollback()
    assert set(upload_dir.iterdir()) == before
    assert db.session.execute(db.select(db.func.count()).select_from(DesignVersion)).scalar_one() == 1
    assert db.session.execute(db.select(db.func.count()).select_from(DesignFile)).scalar_one() == 1


def test_publishing_puts_the_option_and_later_versions_on_the_timeline(dworld, make_option):
    option = make_option(versions=2, published=True)
    services.add_version(option, dworld.project, actor=dworld.designer, uploads=[upload(plan_png("v3"))],
                         change_note="v3", spec=SPEC, now=option.created_at)
    db.session.commit()
    kinds = [(e.kind, e.detail.get("number")) for e in db.session.execute(
        db.select(ProjectEvent).where(ProjectEvent.project_id == dworld.project.id)).scalars()]
    assert ("design_published", 2) in kinds and ("design_version", 3) in kinds
    with pytest.raises(RuleViolation):
        services.publish(option, dworld.project, actor=dworld.designer, now=option.created_at)


def test_vote_choices_are_current_versions_of_published_options(dworld, make_option):
    a = make_option(versions=3, cost_yuan=Decimal("90000"))
    make_option(title="私下方案", versions=1, published=False)
    choices = queries.vote_choices(dworld.project)
    assert [(c.name, c.version_number) for c in choices] == [("方案A", 3)]
    assert choices[0].option_id == a.id and choices[0].thumbnail.phone_name
    assert specs.shown(choices[0].version, "cost_yuan") == "¥90,000"


def test_best_values_and_changed_fields(dworld, make_option):
    a = make_option(versions=1, cost_yuan=Decimal("90000"), capacity=8)
    b = make_option(versions=1, cost_yuan=Decimal("120000"), capacity=6)
    va, vb = a.versions[-1], b.versions[-1]
    assert specs.best_ids([va, vb], "cost_yuan") == {va.id}
    assert specs.best_ids([va, vb], "capacity") == {va.id}
    assert specs.best_ids([va, vb], "area_m2") == set()  # equal everywhere: nothing stands out
    assert specs.changed_keys(va, vb) == {"cost_yuan", "capacity"}
