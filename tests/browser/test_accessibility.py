"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page reachable so far, in normal mode and in 关怀版.

Each page × mode is its own test. A violation of impact "serious" or "critical" fails the test, and so
does a page wider than the phone's screen (WCAG 1.4.10 Reflow, which axe does not check). All axe
violations (any impact) are also written next to the screenshots as <case>.axe.json for reading.
"""
from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from typing import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community import invites, roles
from civic.community.models import Community, Household, MemberKind, Role
from civic.community.rules import standing_of
from civic.designs import services as design_services
from civic.designs.models import CommentVersion, DesignVersion, Pin
from civic.extensions import db
from civic.meetings import actions, agenda, editing, minutes, notes, poll, rsvp, signin
from civic.meetings.localtime import combine, local_date
from civic.meetings.models import Meeting, MeetingKind, PollAnswerKind
from civic.meetings.services import new_signin_code
from civic.projects import services as project_services
from civic.projects.models import Category, Project, Stage
from civic.proposals import answers
from civic.proposals import services as proposal_services
from civic.threads import owners
from civic.threads import services as thread_services
from civic.threads.models import Opinion, ThreadKind
from civic.threads.services import new_thread
from civic.voting import casting, closing, electorate, opening, paper, signoff
from civic.voting.decision import apply_rule
from civic.voting.models import Method, Preset, SignAction, Vote, VoteChoice
from tests.browser.conftest import SCREENSHOT_DIR, screenshot, sign_in, turn_on_elder_mode
from tests.conftest import PASSWORD
from tests.designs.conftest import SPEC, plan_png, upload
from tests.proposals.conftest import jpeg_bytes

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
FAILING_IMPACTS = {"serious", "critical"}
SHOWN_TARGETS = 4

_axe = Axe()


@dataclass(frozen=True)
class Scene:
    slug: str
    building_id: int
    resident: str
    admin: str
    neighbour: str
    proposal_id: int  # open, with comments and a reply
    answered_id: int  # accepted into the project
    project_id: int  # deliberating, with a timeline and a comment
    meeting_id: int  # deliberation meeting in three days: agenda, full, a waiting list
    polling_id: int  # a round table finding its time: three slots, answers
    venue_id: int  # a round table under way: sign-ins, minutes v2, a pending amendment, an action item, a note
    code: str  # the venue meeting's sign-in code
    design_project_id: int  # in 设计: two published options, the first with v1, v2 and a pin on v2
    option_id: int
    va_id: int  # the first option's v1 and v2 (version ids, for compare)
    vb_id: int
    committee: str = "xiaowang"  # 居委会 (a carriage: signs closes and results)


@functools.cache
def _quick_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture
def scene(monkeypatch, make_community, make_building, make_household, make_member, grant) -> Scene:
    """A small community: two buildings, a resident, an administrator, a building-group leader, audit entries."""
    # Forty tests each create four users and sign in: a cheap (still real) hash keeps the suite quick.
    monkeypatch.setattr("civic.accounts.models.generate_password_hash", _quick_hash)
    community = make_community(slug="hongqiao", name="虹桥居民区", street="嘉兴路街道", district="虹口区")
    no7 = make_building(community, name="7号楼")
    no8 = make_building(community, name="8号楼")
    homes = [make_household(no7, room=room, area_m2=Decimal(area))
             for room, area in (("101", "62.30"), ("102", "88.50"), ("201", "62.30"), ("1203", "132.00"))]
    make_household(no8, room="101")
    resident = make_member(homes[0], MemberKind.OWNER, username="wangayi", display_name="王阿姨")
    family = make_member(homes[0], MemberKind.FAMILY, username="xiaowang", display_name="小王")
    admin = make_member(homes[1], MemberKind.TENANT, username="zhangshuji", display_name="张书记")
    grant(admin, community, Role.ADMIN)
    neighbour = make_member(homes[2], username="lilaobo", display_name="李老伯")
    roles.grant(community, "lilaobo", Role.BUILDING_LEADER, [no7, no8], admin, utcnow())
    roles.grant(community, "xiaowang", Role.RESIDENTS_COMMITTEE, [], admin, utcnow())
    invites.regenerate(homes[3], admin, utcnow())
    db.session.commit()
    proposal, answered, project = _discussion(community, [no7], resident, neighbour=neighbour, committee=admin)
    meeting, polling, venue = _meetings(community, proposal, project, resident=resident, neighbour=neighbour,
                                        family=family, committee=admin)
    designing, option, va, vb = _designs(community, designer=admin, resident=resident)
    return Scene(slug=community.slug, building_id=no7.id, resident=resident.username, admin=admin.username,
                 neighbour=neighbour.username, proposal_id=proposal.id, answered_id=answered.id,
                 project_id=project.id, meeting_id=meeting.id, polling_id=polling.id, venue_id=venue.id,
                 code=venue.signin_code, design_project_id=designing.id, option_id=option.id, va_id=va.id,
                 vb_id=vb.id)


@pytest.fixture
def live_server_config(app, tmp_path) -> dict:
    """The design pages' pictures: the live server serves the files the scene stored."""
    directory = tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = str(directory)
    return {"UPLOAD_DIR": str(directory)}


@dataclass(frozen=True)
class VoteScene:
    open_id: int  # single choice between two sites, live results; two neighbours voted, room 1203 on paper
    published_id: int  # the same, closed and published (one signature needed): three ballots


@pytest.fixture
def vote_scene(scene, live_server_config) -> VoteScene:
    """Two votes on the design project of the scene, made through the voting services (the open one with a paper
    slip for room 1203, entered by the building leader, so that the reconciliation has a table)."""
    community = db.session.execute(db.select(Community).filter_by(slug=scene.slug)).scalar_one()
    users = {u.username: u for u in db.session.execute(db.select(User).where(User.username.in_(
        (scene.resident, scene.admin, scene.neighbour, scene.committee)))).scalars()}
    now = utcnow()

    def vote(title: str, voters: tuple[str, ...], **columns) -> Vote:
        made = Vote(community_id=community.id, project_id=scene.design_project_id, title=title, method=Method.SINGLE,
                    owners_only=False, opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(days=7),
                    created_by_id=users[scene.admin].id, **columns)
        apply_rule(made, Preset.ART278_OTHER)
        made.choices = [VoteChoice(position=1, label="方案A：东侧绿地，封闭式厢房"),
                        VoteChoice(position=2, label="方案B：北侧车棚旁，半开放")]
        db.session.add(made)
        db.session.flush()
        opening.announce(made, actor=users[scene.admin], now=now)
        db.session.commit()
        for username, choice in zip(voters, (0, 1, 0)):
            (elector,) = electorate.electors_of(made, users[username].id)
            casting.cast(made.id, elector_id=elector.id, actor=users[username], answer=None,
                         marks={made.choices[choice].id: 1}, now=now)
            db.session.commit()
        return made

    open_vote = vote("电瓶车棚放在哪里", (scene.neighbour, scene.admin), results_live=True)
    leader = users[scene.neighbour]
    unregistered = db.session.execute(db.select(Household.id).where(Household.building_id == scene.building_id,
                                                                     Household.room == "1203")).scalar_one()
    photo = FileStorage(io.BytesIO(jpeg_bytes((640, 900), (240, 240, 235))), "表决票1203.jpg", content_type="image/jpeg")
    paper.enter(open_vote, household_id=unregistered, actor=leader, standing=standing_of(leader, community),
                answer=None, marks={open_vote.choices[1].id: 1}, photo=photo, now=now)
    db.session.commit()
    published = vote("垃圾厢房选址", (scene.neighbour, scene.admin, scene.resident), signoffs_required=1)
    committee = users[scene.committee]
    closing.close(published.id, actor=committee, now=now)
    db.session.commit()
    signoff.sign(published, SignAction.PUBLISH, actor=committee, standing=standing_of(committee, community), now=now)
    db.session.commit()
    return VoteScene(open_id=open_vote.id, published_id=published.id)


def _comment(item, community, author, body: str, opinion: Opinion | None = None, parent_id: int | None = None):  # noqa: ANN001, ANN202
    thread = item.thread
    return thread_services.post_comment(thread, owners.owner_of(thread), author=author,
                                        standing=standing_of(author, community), body=body, opinion=opinion,
                                        now=utcnow(), parent_id=parent_id)


def _discussion(community, buildings, author, *, neighbour, committee):  # noqa: ANN001, ANN202
    """An open proposal with a discussion, and one accepted into a project that moved to 议事."""
    now = utcnow()
    household_id = author.memberships[0].household_id
    raised = []
    for title, body, category in (("垃圾房夏天太臭", "夏天**气味**很大，建议每天清运两次。", Category.GARBAGE_ROOM),
                                  ("7号楼加装电梯", "老人爬楼太吃力，建议加装电梯。", Category.ELEVATOR)):
        text = proposal_services.ProposalText(title=title, body_md=body, category=category, buildings=buildings)
        proposal = proposal_services.raise_proposal(community, text, household_id=household_id, actor=author, now=now)
        proposal_services.publish(proposal, actor=author, now=now)
        raised.append(proposal)
    proposal, answered = raised
    first = _comment(proposal, community, neighbour, "同意，**夏天**尤其严重。", Opinion.FOR)
    _comment(proposal, community, author, "谢谢支持！", parent_id=first.id)
    _comment(proposal, community, neighbour, "清运费用谁出？", Opinion.QUESTION)
    project = answers.accept_into_new_project(answered, "居委会受理，下周开议事会。", actor=committee, now=now)
    project_services.move_stage(project, Stage.DELIBERATING, "先听听大家的意见。", committee, now)
    _comment(project, community, author, "议事会几点开始？", Opinion.QUESTION)
    db.session.commit()
    return proposal, answered, project


def _meetings(community, proposal, project, *, resident, neighbour, family, committee):  # noqa: ANN001, ANN202
    """A deliberation meeting in three days (full, with a waiting list), a round table finding its time, and one
    under way: 王阿姨 signed in, minutes published and amended (version 2), her second amendment waiting."""
    now = utcnow()
    day = local_date(now) + timedelta(days=3)
    meeting = editing.create_meeting(community, editing.MeetingData(
        kind=MeetingKind.DELIBERATION, title="电瓶车棚怎么建：议事会", place="一米会客厅", capacity=2,
        description_md="请各楼组长**一定到场**。", starts_at=combine(day, time(19, 0)), ends_at=combine(day, time(21, 0)),
        projects=(project.id,), proposals=(proposal.id,)), actor=committee, now=now)
    agenda.add_item(meeting, title="介绍三个选址", minutes=15, proposal_id=proposal.id, actor=committee, now=now)
    agenda.add_item(meeting, title="大家发言", minutes=60, actor=committee, now=now)
    for person in (resident, neighbour, family):
        rsvp.respond(meeting, person.id, person.memberships[0].household_id, True, now=now)
    polling = editing.create_meeting(community, editing.MeetingData(
        kind=MeetingKind.ROUND_TABLE, title="垃圾点怎么改：小圆桌", place="7号楼架空层"), actor=committee, now=now)
    for n, answer in enumerate((PollAnswerKind.YES, PollAnswerKind.MAYBE, PollAnswerKind.NO)):
        slot = poll.add_slot(polling, combine(day + timedelta(days=n), time(19, 0)),
                             combine(day + timedelta(days=n), time(20, 30)), actor=committee, now=now)
        poll.answer(polling, slot, neighbour.id, answer, now)
    db.session.commit()
    return meeting, polling, _venue(community, resident, committee, now)


def _venue(community, attendee, organiser, now):  # noqa: ANN001, ANN202
    """Began half an hour ago (the forms refuse past times: a row made directly)."""
    venue = Meeting(community_id=community.id, kind=MeetingKind.ROUND_TABLE, title="楼道堆物怎么清：小圆桌",
                    place="7号楼架空层", starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=90),
                    organiser_id=organiser.id, signin_code=new_signin_code(), created_at=now, updated_at=now)
    db.session.add(venue)
    db.session.flush()
    signin.check_in(venue, attendee, venue.signin_code, now=now)
    actions.add(venue, what="联系物业清运楼道杂物", owner="role:residents_committee", due_on=local_date(now) + timedelta(days=7),
                actor=organiser, now=now)
    notes.add(venue, text="大家希望每月清一次楼道。\n楼组长负责通知。", upload=None, actor=attendee, now=now)
    text = "### 楼道堆物\n\n大家同意每月清一次。"
    minutes.save_draft(venue, text, ["每月第一个周六清楼道"], actor=organiser, now=now)
    minutes.publish(venue, actor=organiser, now=now)
    first = minutes.propose_amendment(venue, proposer=attendee, body_md=text + "\n\n楼组长负责通知。", reason="漏了一句",
                                      now=now)
    minutes.accept_amendment(first, actor=organiser, now=now)
    minutes.propose_amendment(venue, proposer=attendee, body_md=text + "\n\n楼组长负责通知各户。", reason="说清楚一点",
                              now=now)
    db.session.commit()
    return venue


def _designs(community, *, designer, resident):  # noqa: ANN001, ANN202
    """A project in 设计: 方案A with v1 and v2 (a resident's pin on v2) and 方案B, both published."""
    now = utcnow()
    project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                      title="垃圾厢房改造", description_md="", description_html="", category=Category.GARBAGE_ROOM,
                      stage=Stage.DESIGNING, created_by_id=designer.id)
    db.session.add(project)
    db.session.flush()
    options = []
    for title, costs in (("东侧绿地，封闭式厢房", ("150000", "120000")), ("北侧车棚旁，半开放", ("98000",))):
        option = design_services.create_option(project, actor=designer, title=title, summary="带**洗手池**。", now=now)
        for n, cost in enumerate(costs, start=1):
            design_services.add_version(option, project, actor=designer, uploads=[upload(plan_png(f"v{n}"))],
                                        change_note=f"第{n}版：调整桶位", spec=SPEC | {"cost_yuan": Decimal(cost)}, now=now)
        design_services.publish(option, project, actor=designer, now=now)
        options.append(option)
    v1, v2 = db.session.execute(db.select(DesignVersion).where(DesignVersion.option_id == options[0].id)
                                .order_by(DesignVersion.number)).scalars()
    comment = _comment(options[0], community, resident, "门口太窄，轮椅过不去。")
    db.session.add(CommentVersion(comment_id=comment.id, version_id=v2.id))
    db.session.add(Pin(version_id=v2.id, file_id=v2.files[0].id, number=1, x=Decimal("0.3"), y=Decimal("0.4"),
                       comment_id=comment.id, created_by_id=resident.id))
    db.session.commit()
    return project, options[0], v1, v2


def _upload_an_empty_file(page) -> None:
    """The new-version form refuses an empty file (422, swapped in place by htmx or a full page)."""
    page.locator("form#version-form input[type=file][name=files]").set_input_files(
        [{"name": "empty.png", "mimeType": "image/png", "buffer": b""}])
    page.locator("form#version-form [type=submit]").first.click()
    page.locator("#version-form-errors").wait_for()


def _submit_empty_form(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _publish_empty_proposal(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="发布", exact=True).click()


def _answer_without_text(page) -> None:
    page.get_by_text("发布正式答复", exact=True).click()  # opens the committee's answer form
    with page.expect_navigation():
        page.get_by_role("button", name="发布答复", exact=True).click()


def _move_stage_without_reason(page) -> None:
    """htmx swaps the refused stage form in place (422): no navigation."""
    page.get_by_text("调整项目阶段", exact=True).click()
    page.get_by_role("button", name="转到该阶段", exact=True).click()
    page.locator("#project_status [role=alert]").wait_for()


def _wrong_code(page) -> None:
    page.locator("form.checkin-form [name=code]").fill("ZZZZZZ")
    with page.expect_navigation():
        page.locator("form.checkin-form button[type=submit]").click()


def _offer_empty_slot(page) -> None:
    """htmx swaps the refused poll panel in place (422): no navigation."""
    page.locator("#poll_panel details.poll-add > summary").click()
    page.locator("form[action$='/slots'] button[type=submit]").click()
    page.locator("#poll_panel [role=alert]").first.wait_for()


def _wrong_password(page) -> None:
    page.get_by_label("登录名", exact=True).fill("nobody")
    page.get_by_label("密码", exact=True).fill("wrong password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@dataclass(frozen=True)
class Case:
    who: str  # anonymous, resident, neighbour or admin
    name: str
    path: str  # may use {slug}, {building}, {proposal}, {answered}, {project}, {meeting}, {polling}, {venue}, {code}
    status: int = 200
    then: Callable | None = None  # what to do on the page before checking it


CASES = [
    Case("anonymous", "start", "/"),
    Case("anonymous", "login", "/login"),
    Case("anonymous", "login-error", "/login", 422, _wrong_password),
    Case("anonymous", "register", "/register"),
    Case("anonymous", "register-errors", "/register", 422, _submit_empty_form),
    Case("anonymous", "not-found", "/no-such-page", 404),
    Case("resident", "start", "/"),
    Case("resident", "account", "/account"),
    Case("resident", "account-errors", "/account", 422, _submit_empty_form),
    Case("resident", "community", "/c/{slug}/"),
    Case("resident", "forbidden", "/c/{slug}/households", 403),
    Case("admin", "community", "/c/{slug}/"),
    Case("admin", "households", "/c/{slug}/households"),
    Case("admin", "households-building", "/c/{slug}/households?building={building}"),
    Case("admin", "roster", "/c/{slug}/roster"),
    Case("admin", "roster-errors", "/c/{slug}/roster", 422, _submit_empty_form),
    Case("admin", "roles", "/c/{slug}/roles"),
    Case("admin", "audit", "/c/{slug}/audit"),
    Case("admin", "slips-choose", "/c/{slug}/invites/slips"),
    Case("admin", "slips", "/c/{slug}/invites/slips?building={building}"),
    Case("resident", "proposals", "/c/{slug}/proposals"),
    Case("resident", "proposal", "/c/{slug}/proposals/{proposal}"),
    Case("resident", "proposal-answered", "/c/{slug}/proposals/{answered}"),
    Case("resident", "proposal-new", "/c/{slug}/proposals/new"),
    Case("resident", "proposal-new-errors", "/c/{slug}/proposals/new", 422, _publish_empty_proposal),
    Case("resident", "projects", "/c/{slug}/projects"),
    Case("resident", "project", "/c/{slug}/projects/{project}"),
    Case("resident", "search", "/c/{slug}/search?q=电梯"),
    Case("resident", "notifications", "/c/{slug}/notifications"),
    Case("admin", "proposal", "/c/{slug}/proposals/{proposal}"),
    Case("admin", "proposal-answer-errors", "/c/{slug}/proposals/{proposal}", 422, _answer_without_text),
    Case("admin", "project", "/c/{slug}/projects/{project}"),
    Case("admin", "project-stage-errors", "/c/{slug}/projects/{project}", 422, _move_stage_without_reason),
    Case("resident", "meetings", "/c/{slug}/meetings"),
    Case("resident", "meetings-month", "/c/{slug}/meetings/month"),
    Case("resident", "meeting", "/c/{slug}/meetings/{meeting}"),
    Case("resident", "meeting-polling", "/c/{slug}/meetings/{polling}"),
    Case("resident", "meeting-venue", "/c/{slug}/meetings/{venue}"),
    Case("resident", "meeting-new", "/c/{slug}/meetings/new"),
    Case("resident", "meeting-new-errors", "/c/{slug}/meetings/new", 422, _submit_empty_form),
    Case("resident", "meeting-print", "/c/{slug}/meetings/{meeting}/print"),
    Case("resident", "meeting-minutes-history", "/c/{slug}/meetings/{venue}/minutes/history"),
    Case("resident", "meeting-amendment-new", "/c/{slug}/meetings/{venue}/minutes/amendments/new"),
    Case("neighbour", "meeting-checkin", "/c/{slug}/meetings/{venue}/check-in?code={code}"),
    Case("neighbour", "meeting-checkin-errors", "/c/{slug}/meetings/{venue}/check-in", 422, _wrong_code),
    Case("admin", "meeting", "/c/{slug}/meetings/{meeting}"),
    Case("admin", "meeting-polling", "/c/{slug}/meetings/{polling}"),
    Case("admin", "meeting-poll-slot-errors", "/c/{slug}/meetings/{polling}", 422, _offer_empty_slot),
    Case("admin", "meeting-venue", "/c/{slug}/meetings/{venue}"),
    Case("admin", "meeting-new", "/c/{slug}/meetings/new"),
    Case("admin", "meeting-minutes-edit", "/c/{slug}/meetings/{venue}/minutes/edit"),
    Case("admin", "meeting-signin-code", "/c/{slug}/meetings/{venue}/sign-in-code"),
    Case("admin", "meeting-attendance", "/c/{slug}/meetings/{venue}/attendance"),
    Case("resident", "design-option", "/c/{slug}/designs/{option}"),
    Case("resident", "design-version", "/c/{slug}/designs/{option}/v2"),
    Case("resident", "design-compare", "/c/{slug}/projects/{design_project}/designs/compare?a={va}&b={vb}"),
    Case("resident", "design-compare-slider",
         "/c/{slug}/projects/{design_project}/designs/compare?a={va}&b={vb}&mode=slider"),
    Case("resident", "design-matrix", "/c/{slug}/projects/{design_project}/designs/matrix"),
    Case("admin", "design-version-new", "/c/{slug}/designs/{option}/versions/new"),
    Case("admin", "design-version-new-errors", "/c/{slug}/designs/{option}/versions/new", 422, _upload_an_empty_file),
]


def _confirm_first_choice(page) -> None:
    """The ballot's confirmation step (htmx swaps it in place, or a full page without JavaScript)."""
    page.locator("form#ballot-form input[name=choice]").first.check()
    page.locator("form#ballot-form [type=submit]").first.click()
    page.locator("#confirm").wait_for()


# Votes come from their own fixture (vote_scene), so that the other pages do not depend on the voting services.
VOTE_CASES = [
    Case("resident", "vote", "/c/{slug}/votes/{open_vote}"),
    Case("resident", "vote-confirm", "/c/{slug}/votes/{open_vote}", 200, _confirm_first_choice),
    Case("resident", "vote-published", "/c/{slug}/votes/{published_vote}"),
    Case("resident", "vote-results", "/c/{slug}/votes/{published_vote}/results"),
    Case("resident", "vote-turnout", "/c/{slug}/votes/{open_vote}/turnout"),
    Case("neighbour", "vote-paper", "/c/{slug}/votes/{open_vote}/paper"),
    Case("neighbour", "vote-reconcile", "/c/{slug}/votes/{open_vote}/paper/{building}"),
    Case("neighbour", "vote-doorknock", "/c/{slug}/votes/{open_vote}/doorknock/{building}"),
    Case("neighbour", "vote-slips", "/c/{slug}/votes/{open_vote}/slips?building={building}"),
    Case("committee", "vote-manage", "/c/{slug}/votes/{open_vote}/manage"),
    Case("committee", "vote-manage-published", "/c/{slug}/votes/{published_vote}/manage"),
]
MODES = ("normal", "elder")


def _prepare(page, base_url: str, scene: Scene, who: str, mode: str) -> None:
    if who == "anonymous":
        if mode == "elder":
            page.context.add_cookies([{"name": "civic_elder", "value": "1", "url": base_url}])
        return
    names = {"admin": scene.admin, "neighbour": scene.neighbour, "committee": scene.committee}
    sign_in(page, base_url, names.get(who, scene.resident), PASSWORD)
    if mode == "elder":
        turn_on_elder_mode(page)  # signed in, the footer switch stores it on the account


_OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && !el.parentElement.closest(".table-wrap, pre")) {
      const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      found.push(`${el.tagName.toLowerCase()}${cls} (right edge at ${Math.round(box.right)}px)`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 4)};
}"""


def _reflow_problems(page) -> list[str]:
    """WCAG 1.4.10 Reflow (AA), which axe cannot check: nothing may widen the page beyond the phone's screen."""
    result = page.evaluate(_OVERFLOWING_JS)
    if result["scroll"] <= result["width"]:
        return []
    return [f"- reflow (serious, WCAG 1.4.10; not an axe rule): the page is {result['scroll']}px wide on a "
            f"{result['width']}px phone screen, so it scrolls sideways [{'; '.join(result['found'])}]"]


_DUPLICATE_IDS_JS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) { seen.set(el.id, (seen.get(el.id) || 0) + 1); }
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`);
}"""


def _duplicate_id_problems(page) -> list[str]:
    """A repeated id breaks label[for] and aria-* references in the browser; axe 4 no longer reports it."""
    duplicated = page.evaluate(_DUPLICATE_IDS_JS)
    return [f"- duplicate ids (serious: labels and aria references resolve to the first one) [{'; '.join(duplicated)}]"
            ] if duplicated else []


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = "; ".join(targets[:SHOWN_TARGETS]) + (f"; … {len(targets) - SHOWN_TARGETS} more"
                                                    if len(targets) > SHOWN_TARGETS else "")
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} [{shown}] {violation['helpUrl']}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.who}-{c.name}" for c in CASES])
def test_page_has_no_serious_accessibility_problems(live_server, page, scene, case, mode):
    _check_page(page, live_server, scene, case, mode, {})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", VOTE_CASES, ids=[f"{c.who}-{c.name}" for c in VOTE_CASES])
def test_vote_page_has_no_serious_accessibility_problems(live_server, page, scene, vote_scene, case, mode):
    _check_page(page, live_server, scene, case, mode, {"open_vote": vote_scene.open_id,
                                                       "published_vote": vote_scene.published_id})


def _check_page(page, live_server: str, scene: Scene, case: Case, mode: str, extra: dict) -> None:
    _prepare(page, live_server, scene, case.who, mode)
    response = page.goto(live_server + case.path.format(slug=scene.slug, building=scene.building_id,
                                                        proposal=scene.proposal_id, answered=scene.answered_id,
                                                        project=scene.project_id, meeting=scene.meeting_id,
                                                        polling=scene.polling_id, venue=scene.venue_id,
                                                        code=scene.code, design_project=scene.design_project_id,
                                                        option=scene.option_id, va=scene.va_id, vb=scene.vb_id,
                                                        **extra))
    if case.then is None:
        assert response.status == case.status, f"{case.path} answered {response.status}"
    else:
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            case.then(page)
        assert posted.value.status == case.status, f"{case.path} POST answered {posted.value.status}"
    is_elder = "elder" in (page.locator("html").get_attribute("class") or "").split()
    assert is_elder == (mode == "elder"), f"elder mode should be {mode == 'elder'} on {page.url}"

    name = f"a11y-{case.who}-{case.name}-{mode}"
    screenshot(page, name)
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    (SCREENSHOT_DIR / f"{name}.axe.json").write_text(json.dumps(
        [{k: v[k] for k in ("id", "impact", "help", "helpUrl")} | {"targets": [n["target"] for n in v["nodes"]]}
         for v in violations], ensure_ascii=False, indent=2))
    problems = [_describe(v) for v in violations if v["impact"] in FAILING_IMPACTS]
    problems += _reflow_problems(page) + _duplicate_id_problems(page)
    if problems:
        pytest.fail(f"{len(problems)} serious accessibility problems on {page.url} ({mode}):\n"
                    + "\n".join(problems), pytrace=False)
