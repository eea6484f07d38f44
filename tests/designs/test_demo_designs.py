"""The demo's design options: 方案A of the garbage room in seven visibly different versions, 方案B, the e-bike shed."""
import hashlib
import io

from PIL import Image

from civic.designs import drawings, drawings_shed
from civic.designs.models import AddressedComment, CommentVersion, DesignFile, DesignOption, DesignVersion, Pin
from civic.designs.files import upload_dir as stored_dir
from civic.demo import DEMO_PASSWORD
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.proposals.models import Proposal
from civic.web.uploads import stored_path
from tests.conftest import login

COUNTED = (DesignOption, DesignVersion, DesignFile, Pin, CommentVersion, AddressedComment, Project)


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _options(category: Category) -> list[DesignOption]:
    return list(db.session.execute(db.select(DesignOption).join(Project, Project.id == DesignOption.project_id)
                                   .where(Project.category == category).order_by(DesignOption.label)).scalars())


def _pixels(version: DesignVersion) -> str:
    path = stored_path(stored_dir(), version.cover.picture_name)
    with Image.open(path) as image:
        return hashlib.sha256(image.convert("RGB").tobytes()).hexdigest()


def test_demo_seeds_the_garbage_room_options_pins_and_the_ebike_shed_once(runner, app, upload_dir):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    garbage = _options(Category.GARBAGE_ROOM)
    assert [(o.name, o.title, o.version_count, o.is_published) for o in garbage] == [
        ("方案A", "东侧绿地 · 封闭式厢房", 7, True), ("方案B", "北门旁 · 半开放式", 2, True)]
    a = garbage[0]
    project = db.session.get(Project, a.project_id)
    assert project.stage is Stage.VOTING  # designed, then put to the vote (civic/demo_votes.py)
    assert len({_pixels(v) for v in a.versions}) == 7  # every version's drawing differs
    assert [int(v.cost_yuan) for v in (a.versions[0], a.versions[-1])] == [96_000, 128_000]
    assert (a.versions[0].capacity, a.versions[-1].capacity) == (6, 8)
    assert all(v.change_note_md and v.cover.width == 1200 for v in a.versions)
    pinned = {db.session.get(DesignVersion, p.version_id).number for p in db.session.execute(db.select(Pin)).scalars()}
    assert pinned and pinned <= {2, 3, 4, 5}
    addressed = db.session.execute(db.select(AddressedComment)).scalars().all()
    assert {db.session.get(DesignVersion, row.version_id).number for row in addressed} >= {2, 3, 4, 5, 6, 7}

    shed = _options(Category.PARKING_CHARGING)
    assert [o.name for o in shed] == ["方案A", "方案B", "方案C"] and all(o.is_published for o in shed)
    assert sorted(o.versions[-1].capacity for o in shed) == [60, 80, 100]
    shed_project = db.session.get(Project, shed[0].project_id)
    assert shed_project.stage is Stage.VOTING  # its options are being voted on (civic/demo_votes.py)
    assert db.session.execute(db.select(Proposal).where(Proposal.project_id == shed_project.id)).first()

    counts = [_count(m) for m in COUNTED]
    files = sorted(p.name for p in upload_dir.rglob("*") if p.is_file())
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert [_count(m) for m in COUNTED] == counts
    assert sorted(p.name for p in upload_dir.rglob("*") if p.is_file()) == files


def test_demo_design_pages_render_for_a_resident(runner, client, upload_dir):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert login(client, "jumin07", DEMO_PASSWORD).status_code == 303
    option = _options(Category.GARBAGE_ROOM)[0]
    for path in [f"/c/anqiu/projects/{option.project_id}/designs", f"/c/anqiu/designs/{option.id}",
                 f"/c/anqiu/designs/{option.id}/v5", f"/c/anqiu/projects/{option.project_id}/designs/matrix"]:
        assert client.get(path).status_code == 200, path
    shed = _options(Category.PARKING_CHARGING)[0]
    matrix = client.get(f"/c/anqiu/projects/{shed.project_id}/designs/matrix")
    assert matrix.status_code == 200 and matrix.get_data(as_text=True).count("is-best") >= 3


def test_drawings_fall_back_to_english_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(drawings, "CJK_FONTS", [("/nowhere/font.ttc", 0)])
    drawings.cjk_font_path.cache_clear()
    drawings.font.cache_clear()
    try:
        assert drawings.say("门", "Door") == "Door"
        plan = drawings.RoomPlan("Option A v1", "first sketch", sink=True, deodoriser=True, smart=True, tree=True)
        made = drawings.room_plan(plan)
        shed = drawings_shed.shed_plan(drawings_shed.ShedPlan("Option A v1", "80", 80, 20, 9, cameras=True))
    finally:
        drawings.cjk_font_path.cache_clear()
        drawings.font.cache_clear()
    for png in (made.png, shed.png):
        assert Image.open(io.BytesIO(png)).size == drawings.SIZE
    assert {"door", "sink", "deodoriser", "fan", "tree", "bins", "canopy", "reader"} <= set(made.anchors)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in made.anchors.values())
