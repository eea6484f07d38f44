"""Creating, editing and cancelling meetings: the services, who may do it, the forms, and bad input."""
from __future__ import annotations

from datetime import timedelta

import re

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import editing
from civic.meetings.localtime import local_date
from civic.meetings.models import (Meeting, MeetingKind, MeetingStatus, PollAnswer, PollAnswerKind, PollSlot, Rsvp,
                                   RsvpStatus)
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import Category, Project, ProjectEvent, Stage
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from tests.meetings.editing_support import at, counted_queries, form, local_day, make_proposal, meeting_count, url

HOSTILE = ('<script>alert(1)</script> [点我](javascript:alert(1)) <img src=x onerror=alert(1)> '
           '<a href="#" hx-post="/logout">x</a> **粗体**')


def data(**overrides) -> editing.MeetingData:
    values = {"kind": MeetingKind.ROUND_TABLE, "title": "垃圾点怎么改", "place": "7号楼架空层",
              "starts_at": at(2, 14), "ends_at": at(2, 16)}
    values.update(overrides)
    return editing.MeetingData(**values)


def events(project: Project) -> list[ProjectEvent]:
    return list(db.session.execute(db.select(ProjectEvent).where(ProjectEvent.project_id == project.id)
                                   .order_by(ProjectEvent.id)).scalars())


def notices(kind: NoticeKind, meeting: Meeting) -> set[int]:
    return set(db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == kind, Notification.meeting_id == meeting.id)).scalars())


def actions(meeting: Meeting) -> list[str]:
    return list(db.session.execute(db.select(AuditEvent.action).where(AuditEvent.target == f"meeting:{meeting.id}")
                                   .order_by(AuditEvent.id)).scalars())


def answer(meeting: Meeting, user, status: RsvpStatus, minutes_ago: int = 10) -> Rsvp:  # noqa: ANN001
    now = utcnow() - timedelta(minutes=minutes_ago)
    row = Rsvp(meeting_id=meeting.id, user_id=user.id, status=status, responded_at=now,
               waitlisted_at=now if status is RsvpStatus.WAITLIST else None, reminded_day_at=now)
    db.session.add(row)
    if status is RsvpStatus.GOING:
        meeting.going_count += 1
    db.session.commit()
    return row


def poll_answer(meeting: Meeting, user) -> None:  # noqa: ANN001
    slot = PollSlot(meeting_id=meeting.id, starts_at=at(3, 9 + len(meeting.slots)), ends_at=at(3, 10 + len(meeting.slots)))
    db.session.add(slot)
    db.session.flush()
    db.session.add(PollAnswer(meeting_id=meeting.id, slot_id=slot.id, user_id=user.id, answer=PollAnswerKind.YES))
    db.session.commit()


def other_project(world) -> Project:  # noqa: ANN001
    project = Project(community_id=world.other_community.id, thread=new_thread(world.other_community.id, ThreadKind.PROJECT),
                      title="别人的项目", description_md="", description_html="", category=Category.GARBAGE_ROOM,
                      stage=Stage.DELIBERATING)
    db.session.add(project)
    db.session.commit()
    return project


# ---- services ----

def test_create_with_a_fixed_time_schedules_it_on_the_project_timeline(world):
    now = utcnow()
    meeting = editing.create_meeting(world.community, data(projects=(world.project.id,), capacity=12),
                                     actor=world.organiser, now=now)
    db.session.commit()
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.organiser_id == world.organiser.id
    assert len(meeting.signin_code) == 6 and meeting.capacity == 12
    assert [e.kind for e in events(world.project)] == ["meeting_scheduled"]
    assert events(world.project)[0].detail["meeting_id"] == meeting.id
    assert actions(meeting) == ["meeting.scheduled", "meeting.created"]


def test_create_without_a_time_opens_a_poll(world):
    meeting = editing.create_meeting(world.community, data(starts_at=None, ends_at=None, projects=(world.project,)),
                                     actor=world.organiser, now=utcnow())
    db.session.commit()
    assert meeting.status is MeetingStatus.POLLING and meeting.starts_at is None and meeting.signin_code
    assert [e.kind for e in events(world.project)] == ["meeting_polling"]


def test_every_meeting_gets_its_own_signin_code(world):
    codes = {editing.create_meeting(world.community, data(title=f"会{i}"), actor=world.organiser, now=utcnow()).signin_code
             for i in range(5)}
    assert len(codes) == 5


def test_hostile_markdown_is_rendered_inert_on_write(world):
    meeting = editing.create_meeting(world.community, data(description_md=HOSTILE), actor=world.organiser, now=utcnow())
    html = meeting.description_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert not re.search(r"<[^>]*\b(onerror|hx-post)=", html)
    assert "&lt;script&gt;" in html and "<strong>粗体</strong>" in html
    assert meeting.description_md == HOSTILE


@pytest.mark.parametrize("overrides, field", [
    ({"starts_at": at(-1, 14), "ends_at": at(-1, 16)}, "starts_at"),
    ({"starts_at": at(2, 16), "ends_at": at(2, 14)}, "ends_at"),
    ({"starts_at": at(2, 14), "ends_at": None}, "ends_at"),
    ({"title": "  "}, "title"),
    ({"title": "长" * 81}, "title"),
    ({"place": "地" * 81}, "place"),
    ({"capacity": 0}, "capacity"),
])
def test_create_refuses_bad_input_and_writes_nothing(world, overrides, field):
    with pytest.raises(RuleViolation) as refused:
        editing.create_meeting(world.community, data(**overrides), actor=world.organiser, now=utcnow())
    assert refused.value.field == field
    db.session.rollback()
    assert meeting_count() == 0


def test_links_must_be_this_communitys_projects_and_published_proposals(world):
    draft = make_proposal(world, title="草稿", publish=False)
    elsewhere = make_proposal(world, title="别处", author=world.outsider, community=world.other_community)
    for overrides, field in (({"projects": (other_project(world).id,)}, "projects"),
                             ({"proposals": (draft.id,)}, "proposals"), ({"proposals": (elsewhere.id,)}, "proposals"),
                             ({"projects": (999_999,)}, "projects")):
        with pytest.raises(RuleViolation) as refused:
            editing.create_meeting(world.community, data(**overrides), actor=world.organiser, now=utcnow())
        assert refused.value.field == field
    db.session.rollback()
    assert meeting_count() == 0
    published = make_proposal(world)
    meeting = editing.create_meeting(world.community, data(proposals=(published.id,)), actor=world.organiser,
                                     now=utcnow())
    assert [p.id for p in meeting.proposals] == [published.id]


def test_a_hidden_proposal_cannot_be_linked_but_stays_linked_once_it_was(world, make_meeting):
    proposal = make_proposal(world)
    meeting = make_meeting(proposals=[proposal])
    proposal.hidden_at = utcnow()
    db.session.commit()
    assert editing.edit_meeting(meeting, data(starts_at=meeting.starts_at, ends_at=meeting.ends_at, title="改个名",
                                              proposals=(proposal.id,)), actor=world.organiser, now=utcnow())
    other = make_meeting(title="另一个")
    with pytest.raises(RuleViolation):
        editing.edit_meeting(other, data(starts_at=other.starts_at, ends_at=other.ends_at, title="另一个",
                                         proposals=(proposal.id,)), actor=world.organiser, now=utcnow())


def test_moving_a_meeting_tells_those_going_and_waiting_and_resets_reminders(world, make_meeting):
    meeting = make_meeting(projects=[world.project], capacity=1)
    going, waiting = answer(meeting, world.neighbour, RsvpStatus.GOING), answer(meeting, world.far_neighbour, RsvpStatus.WAITLIST)
    answer(meeting, world.spouse, RsvpStatus.NOT_GOING)
    assert editing.edit_meeting(meeting, data(title=meeting.title, capacity=1, starts_at=at(5, 9), ends_at=at(5, 11)),
                                actor=world.organiser, now=utcnow())
    db.session.commit()
    assert meeting.starts_at == at(5, 9) and meeting.status is MeetingStatus.SCHEDULED
    assert notices(NoticeKind.MEETING_CHANGED, meeting) == {world.neighbour.id, world.far_neighbour.id}
    assert [e.kind for e in events(world.project)] == ["meeting_moved"]
    db.session.refresh(going)
    assert going.reminded_day_at is None
    assert actions(meeting) == ["meeting.scheduled", "meeting.edited"]
    assert waiting.status is RsvpStatus.WAITLIST


def test_a_new_place_is_told_too_but_a_new_title_alone_is_not(world, make_meeting):
    meeting = make_meeting()
    answer(meeting, world.neighbour, RsvpStatus.GOING)
    same = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    editing.edit_meeting(meeting, data(title="新名字", **same), actor=world.organiser, now=utcnow())
    assert notices(NoticeKind.MEETING_CHANGED, meeting) == set()
    editing.edit_meeting(meeting, data(title="新名字", place="一米会客厅", **same), actor=world.organiser, now=utcnow())
    assert notices(NoticeKind.MEETING_CHANGED, meeting) == {world.neighbour.id}


def test_nothing_changed_is_not_audited(world, make_meeting):
    meeting = make_meeting()
    same = data(title=meeting.title, place=meeting.place, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    assert editing.edit_meeting(meeting, same, actor=world.organiser, now=utcnow()) is False
    assert actions(meeting) == []


def test_capacity_may_not_drop_below_those_going(world, make_meeting):
    meeting = make_meeting(capacity=5)
    for user in (world.neighbour, world.far_neighbour, world.spouse):
        answer(meeting, user, RsvpStatus.GOING)
    same = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    with pytest.raises(RuleViolation) as refused:
        editing.edit_meeting(meeting, data(title="改名", capacity=2, **same), actor=world.organiser, now=utcnow())
    assert refused.value.field == "capacity" and "3" in refused.value.message
    db.session.rollback()
    assert db.session.get(Meeting, meeting.id).capacity == 5 and meeting.title != "改名"
    assert editing.edit_meeting(meeting, data(title=meeting.title, capacity=3, **same), actor=world.organiser, now=utcnow())
    assert meeting.capacity == 3


def test_more_places_move_the_waiting_list_up(world, make_meeting):
    meeting = make_meeting(capacity=1)
    answer(meeting, world.neighbour, RsvpStatus.GOING)
    first = answer(meeting, world.far_neighbour, RsvpStatus.WAITLIST, minutes_ago=9)
    second = answer(meeting, world.spouse, RsvpStatus.WAITLIST, minutes_ago=8)
    same = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "title": meeting.title}
    editing.edit_meeting(meeting, data(capacity=2, **same), actor=world.organiser, now=utcnow())
    db.session.commit()
    db.session.refresh(first), db.session.refresh(second), db.session.refresh(meeting)
    assert (first.status, second.status, meeting.going_count) == (RsvpStatus.GOING, RsvpStatus.WAITLIST, 2)
    assert notices(NoticeKind.WAITLIST_PROMOTED, meeting) == {world.far_neighbour.id}
    editing.edit_meeting(meeting, data(capacity=None, **same), actor=world.organiser, now=utcnow())
    db.session.refresh(second)
    assert second.status is RsvpStatus.GOING


def test_a_scheduled_meeting_cannot_go_back_to_a_poll(world, make_meeting):
    meeting = make_meeting()
    with pytest.raises(RuleViolation) as refused:
        editing.edit_meeting(meeting, data(starts_at=None, ends_at=None), actor=world.organiser, now=utcnow())
    assert refused.value.field == "time_mode"


def test_fixing_the_time_of_a_polling_meeting_ends_the_poll_and_tells_who_answered(world, make_meeting):
    meeting = make_meeting(status=MeetingStatus.POLLING, projects=[world.project])
    poll_answer(meeting, world.neighbour)
    editing.edit_meeting(meeting, data(title=meeting.title, starts_at=at(4, 19), ends_at=at(4, 20)),
                         actor=world.organiser, now=utcnow())
    db.session.commit()
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.poll_closed_at is not None
    assert notices(NoticeKind.MEETING_SCHEDULED, meeting) == {world.neighbour.id}
    assert [e.kind for e in events(world.project)] == ["meeting_scheduled"]


def test_a_meeting_under_way_may_run_longer_but_not_start_in_the_past(world, make_meeting):
    meeting = make_meeting(starts_at=utcnow() - timedelta(minutes=30), hours=1)
    editing.edit_meeting(meeting, data(title=meeting.title, starts_at=meeting.starts_at,
                                       ends_at=meeting.ends_at + timedelta(minutes=30)), actor=world.organiser, now=utcnow())
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
    with pytest.raises(RuleViolation):
        editing.edit_meeting(meeting, data(title=meeting.title, starts_at=meeting.starts_at - timedelta(hours=1),
                                           ends_at=meeting.ends_at), actor=world.organiser, now=utcnow())


def test_a_project_linked_later_hears_of_the_meeting(world, make_meeting):
    meeting = make_meeting()
    editing.edit_meeting(meeting, data(title=meeting.title, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                       projects=(world.project.id,)), actor=world.organiser, now=utcnow())
    assert [e.kind for e in events(world.project)] == ["meeting_scheduled"]
    editing.edit_meeting(meeting, data(title=meeting.title, starts_at=meeting.starts_at, ends_at=meeting.ends_at),
                         actor=world.organiser, now=utcnow())
    assert meeting.projects == [] and len(events(world.project)) == 1


def test_cancel_tells_everyone_connected_and_keeps_the_reason(world, make_meeting):
    meeting = make_meeting(projects=[world.project])
    answer(meeting, world.neighbour, RsvpStatus.GOING)
    answer(meeting, world.far_neighbour, RsvpStatus.WAITLIST)
    answer(meeting, world.spouse, RsvpStatus.NOT_GOING)
    poll_answer(meeting, world.committee)
    editing.cancel_meeting(meeting, "  下雨，  改期再议 ", actor=world.organiser, now=utcnow())
    db.session.commit()
    assert meeting.status is MeetingStatus.CANCELLED and meeting.cancelled_at is not None
    assert meeting.cancel_reason == "下雨， 改期再议"
    assert notices(NoticeKind.MEETING_CHANGED, meeting) == {world.neighbour.id, world.far_neighbour.id,
                                                            world.committee.id}
    assert events(world.project)[-1].kind == "meeting_cancelled"
    assert events(world.project)[-1].detail["reason"] == "下雨， 改期再议"
    assert actions(meeting) == ["meeting.cancelled"]
    with pytest.raises(RuleViolation):
        editing.cancel_meeting(meeting, "再取消一次", actor=world.organiser, now=utcnow())
    with pytest.raises(RuleViolation):
        editing.edit_meeting(meeting, data(), actor=world.organiser, now=utcnow())


@pytest.mark.parametrize("reason", ["", " 雨 ", "长" * 201])
def test_cancel_needs_a_reason_of_two_to_two_hundred_characters(world, make_meeting, reason):
    meeting = make_meeting()
    with pytest.raises(RuleViolation) as refused:
        editing.cancel_meeting(meeting, reason, actor=world.organiser, now=utcnow())
    assert refused.value.field == "reason" and meeting.status is MeetingStatus.SCHEDULED


# ---- who may: new / edit / cancel ----

def test_a_resident_may_only_create_round_tables(world, en, login_as):
    login_as(world.neighbour)
    page = en.get(url(world, "/new")).get_data(as_text=True)
    assert 'name="kind" value="round_table"' in page and 'value="deliberation"' not in page
    assert 'value="reception"' not in page and "Schedule the whole series" not in page
    response = en.post(url(world, "/new"), data=form(kind="deliberation"))
    assert response.status_code == 422 and meeting_count() == 0
    assert en.post(url(world, "/new"), data=form()).status_code == 303
    assert db.session.execute(db.select(Meeting)).scalar_one().organiser_id == world.neighbour.id


def test_the_committee_may_create_every_kind(world, en, login_as):
    login_as(world.committee)
    page = en.get(url(world, "/new")).get_data(as_text=True)
    for kind in MeetingKind:
        assert f'value="{kind.value}"' in page
    assert "Schedule the whole series" in page
    for i, kind in enumerate(MeetingKind):
        assert en.post(url(world, "/new"), data=form(kind=kind.value, title=f"会议{i}")).status_code == 303
    assert meeting_count() == 3


def test_an_outsider_gets_404_everywhere(world, make_meeting, client, login_as):
    meeting = make_meeting()
    login_as(world.outsider)
    assert client.get(url(world, "/new")).status_code == 404
    assert client.post(url(world, "/new"), data=form()).status_code == 404
    assert client.get(url(world, f"/{meeting.id}/edit")).status_code == 404
    assert client.post(url(world, f"/{meeting.id}/cancel"), data={"cancel-reason": "不开了"}).status_code == 404
    assert meeting_count() == 1


@pytest.mark.parametrize("who, can", [("organiser", True), ("committee", True), ("neighbour", False),
                                      ("spouse", False)])
def test_edit_and_cancel_are_for_the_organiser_and_the_committee(world, make_meeting, client, login_as, who, can):
    meeting = make_meeting()
    login_as(getattr(world, who))
    assert client.get(url(world, f"/{meeting.id}/edit")).status_code == (200 if can else 403)
    response = client.post(url(world, f"/{meeting.id}/cancel"), data={"cancel-reason": "场地没了"})
    assert response.status_code == (303 if can else 403)
    assert db.session.get(Meeting, meeting.id).is_cancelled is can


def test_a_past_or_cancelled_meeting_can_no_longer_be_edited(world, make_meeting, client, login_as):
    past = make_meeting(starts_at=utcnow() - timedelta(days=2))
    cancelled = make_meeting(status=MeetingStatus.CANCELLED, cancelled_at=utcnow())
    login_as(world.committee)
    for meeting in (past, cancelled):
        assert client.get(url(world, f"/{meeting.id}/edit")).status_code == 403
        assert client.post(url(world, f"/{meeting.id}/cancel"), data={"cancel-reason": "不开了"}).status_code == 403


# ---- the forms ----

def test_new_fixed_meeting_goes_to_its_page_with_its_local_time(world, en, login_as):
    login_as(world.organiser)
    response = en.post(url(world, "/new"), data=form(description="**议题**：垃圾点", capacity="20",
                                                      projects=[world.project.id]))
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.starts_at, meeting.ends_at, meeting.capacity) == (at(2, 14), at(2, 16), 20)
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert "The meeting is scheduled." in page and "<strong>议题</strong>" in page and "垃圾厢房改造" in page
    assert "王阿姨 · 7号楼" in page


def test_a_meeting_at_half_past_midnight_is_on_its_local_day(world, en, login_as):
    login_as(world.organiser)
    day = local_day(3)
    en.post(url(world, "/new"), data=form(day=day.isoformat(), starts="00:30", ends="01:30"))
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert meeting.starts_at.date() == day - timedelta(days=1) and meeting.starts_at.hour == 16
    assert local_date(meeting.starts_at) == day
    edit_page = en.get(url(world, f"/{meeting.id}/edit")).get_data(as_text=True)
    assert f'value="{day.isoformat()}"' in edit_page and 'value="00:30"' in edit_page


def test_new_poll_meeting_goes_to_the_poll_panel(world, en, login_as):
    login_as(world.organiser)
    response = en.post(url(world, "/new"), data=form(time_mode="poll", day="", starts="", ends=""))
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{meeting.id}#poll_panel")
    assert meeting.status is MeetingStatus.POLLING


@pytest.mark.parametrize("overrides, message", [
    ({"day": local_day(-1).isoformat()}, "This time is in the past"),
    ({"starts": "16:00", "ends": "15:00"}, "The end must be after the start."),
    ({"day": ""}, "Choose the date."),
    ({"ends": ""}, "Choose the end time."),
    ({"day": "明天"}, "Enter the date like 2026-12-01."),
    ({"capacity": "0"}, "Enter a number of places from 1 to"),
    ({"place": ""}, "Say where the meeting takes place."),
])
def test_bad_input_comes_back_422_with_the_text_kept(world, en, login_as, overrides, message):
    login_as(world.organiser)
    response = en.post(url(world, "/new"), data=form(title="我打的标题", description="我写的说明", **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'value="我打的标题"' in html and "我写的说明" in html and meeting_count() == 0


def test_another_communitys_project_is_neither_offered_nor_accepted(world, en, login_as):
    elsewhere = other_project(world)
    login_as(world.committee)
    page = en.get(url(world, f"/new?project={elsewhere.id}")).get_data(as_text=True)
    assert "别人的项目" not in page
    response = en.post(url(world, "/new"), data=form(projects=[elsewhere.id]))
    assert response.status_code == 422 and meeting_count() == 0


def test_schedule_from_a_project_preselects_it(world, en, login_as):
    login_as(world.neighbour)
    page = en.get(url(world, f"/new?project={world.project.id}&kind=round_table")).get_data(as_text=True)
    assert _is_checked(page, world.project.id)


def _is_checked(page: str, project_id: int) -> bool:
    tag = re.search(rf'<input[^>]*name="projects"[^>]*value="{project_id}"[^>]*>', page)
    return bool(tag) and "checked" in tag.group(0)


def test_edit_form_moves_the_meeting_and_says_so(world, make_meeting, en, login_as):
    meeting = make_meeting()
    answer(meeting, world.neighbour, RsvpStatus.GOING)
    login_as(world.organiser)
    page = en.get(url(world, f"/{meeting.id}/edit")).get_data(as_text=True)
    assert 'value="poll"' not in page and "垃圾点怎么改" in page
    response = en.post(url(world, f"/{meeting.id}/edit"), data=form(day=local_day(6).isoformat(), starts="09:00",
                                                                      ends="10:30", title=meeting.title))
    assert response.status_code == 303
    db.session.refresh(meeting)
    assert (meeting.starts_at, meeting.ends_at) == (at(6, 9), at(6, 10, 30))
    assert notices(NoticeKind.MEETING_CHANGED, meeting) == {world.neighbour.id}
    assert "Changes saved." in en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)


def test_edit_form_refuses_capacity_below_those_going(world, make_meeting, en, login_as):
    meeting = make_meeting(capacity=4)
    answer(meeting, world.neighbour, RsvpStatus.GOING)
    answer(meeting, world.spouse, RsvpStatus.GOING)
    login_as(world.organiser)
    day = local_date(meeting.starts_at).isoformat()
    response = en.post(url(world, f"/{meeting.id}/edit"), data=form(day=day, capacity="1", title="新标题"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "2 people are already going" in html and 'value="新标题"' in html
    db.session.refresh(meeting)
    assert meeting.capacity == 4 and meeting.title == "垃圾点怎么改：小圆桌"


def test_cancel_form_needs_a_reason_and_the_page_says_cancelled(world, make_meeting, en, login_as):
    meeting = make_meeting()
    login_as(world.organiser)
    refused = en.post(url(world, f"/{meeting.id}/cancel"), data={"cancel-reason": "x"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "characters why the meeting is cancelled" in html
    assert '<details class="meeting-cancel" id="meeting-cancel" open>' in html
    assert not db.session.get(Meeting, meeting.id).is_cancelled
    done = en.post(url(world, f"/{meeting.id}/cancel"), data={"cancel-reason": "场地要维修"})
    assert done.status_code == 303
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert "This meeting was cancelled." in page and "场地要维修" in page and "Edit the meeting" not in page


def test_the_details_panel_shows_links_and_controls_only_to_managers(world, make_meeting, en, login_as):
    proposal = make_proposal(world, title="垃圾房夏天很臭")
    meeting = make_meeting(projects=[world.project], proposals=[proposal], description_md="x",
                           description_html="<p>要谈的事</p>")
    login_as(world.neighbour)
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert f'/projects/{world.project.id}"' in page and f'/proposals/{proposal.id}"' in page and "要谈的事" in page
    assert "Edit the meeting" not in page and "Cancel this meeting" not in page
    en.post("/logout")
    login_as(world.committee)
    page = en.get(url(world, f"/{meeting.id}")).get_data(as_text=True)
    assert "Edit the meeting" in page and "Cancel this meeting" in page


# ---- the project page ----

def test_project_page_lists_its_meetings_and_offers_to_schedule_one(world, make_meeting, en, login_as):
    make_meeting(title="下周的小圆桌", projects=[world.project])
    make_meeting(title="上周的议事会", starts_at=utcnow() - timedelta(days=7), projects=[world.project])
    make_meeting(title="无关的会")
    login_as(world.neighbour)
    page = en.get(f"/c/{world.community.slug}/projects/{world.project.id}").get_data(as_text=True)
    assert "下周的小圆桌" in page and "上周的议事会" in page and "无关的会" not in page
    assert page.index("下周的小圆桌") < page.index("上周的议事会")
    assert f"/meetings/new?project={world.project.id}" in page


def test_project_page_query_count_does_not_grow_with_meetings(world, make_meeting, client, login_as):
    login_as(world.neighbour)
    project_url = f"/c/{world.community.slug}/projects/{world.project.id}"
    make_meeting(projects=[world.project])
    with counted_queries() as few:
        assert client.get(project_url).status_code == 200
    for i in range(8):
        make_meeting(title=f"会{i}", projects=[world.project], starts_at=utcnow() + timedelta(days=i + 2))
        make_meeting(title=f"旧会{i}", projects=[world.project], starts_at=utcnow() - timedelta(days=i + 2))
    with counted_queries() as many:
        assert client.get(project_url).status_code == 200
    assert len(many) == len(few)
