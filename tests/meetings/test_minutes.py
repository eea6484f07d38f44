"""Minutes: drafts are kept, publishing makes numbered versions, notifies attendees, reaches project timelines."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import diffs, minutes
from civic.meetings.models import MinutesDraft, MinutesVersion
from civic.notices.models import NoticeKind
from civic.projects.models import ProjectEvent
from tests.meetings.minutes_support import held_meeting, notices, publish, sign_in


def test_draft_is_kept_and_overwritten(world, make_meeting):
    meeting = held_meeting(make_meeting)
    minutes.save_draft(meeting, "第一稿", ["  同意  改造 ", "", "下月再议"], actor=world.organiser, now=utcnow())
    db.session.commit()
    minutes.save_draft(meeting, "第二稿", ["同意改造"], actor=world.organiser, now=utcnow())
    db.session.commit()
    drafts = db.session.execute(db.select(MinutesDraft)).scalars().all()
    assert len(drafts) == 1 and drafts[0].body_md == "第二稿" and drafts[0].decisions == ["同意改造"]
    assert minutes.current_version(meeting) is None  # a draft is not published


def test_decisions_are_cleaned_and_bounded(world, make_meeting):
    assert minutes.clean_decisions(["  同意  改造 ", "", "  ", "下月再议"]) == ["同意 改造", "下月再议"]
    with pytest.raises(RuleViolation) as too_many:
        minutes.clean_decisions([f"决定{i}" for i in range(31)])
    assert too_many.value.field == "decisions"
    with pytest.raises(RuleViolation):
        minutes.clean_decisions(["长" * 201])
    assert minutes.clean_decisions(["长" * 200]) == ["长" * 200]


def test_publish_notifies_attendees_and_reaches_the_timeline(world, make_meeting):
    meeting = held_meeting(make_meeting, projects=[world.project])
    sign_in(meeting, world.organiser, world.neighbour, world.far_neighbour)
    version = publish(meeting, world.organiser)
    assert version.number == 1 and version.decisions == ["同意改造"]
    assert "<h4>会议记录</h4>" in version.body_html  # "##" demoted below the page's headings
    assert meeting.minutes_published_at is not None
    assert db.session.get(MinutesDraft, meeting.id) is None  # the editor starts from the published text
    assert len(notices(world.neighbour, NoticeKind.MINUTES_PUBLISHED)) == 1
    assert len(notices(world.far_neighbour, NoticeKind.MINUTES_PUBLISHED)) == 1
    assert notices(world.spouse, NoticeKind.MINUTES_PUBLISHED) == []  # did not sign in
    assert notices(world.organiser, NoticeKind.MINUTES_PUBLISHED) == []  # the actor
    note = notices(world.neighbour, NoticeKind.MINUTES_PUBLISHED)[0]
    assert note.meeting_id == meeting.id and note.summary == meeting.title
    events = db.session.execute(db.select(ProjectEvent).where(ProjectEvent.kind == "minutes_published")).scalars().all()
    assert len(events) == 1 and events[0].detail["meeting_id"] == meeting.id
    audit = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "minutes.published")).scalars().all()
    assert len(audit) == 1 and audit[0].target == f"meeting:{meeting.id}"


def test_publishing_an_empty_draft_is_refused(world, make_meeting):
    meeting = held_meeting(make_meeting)
    with pytest.raises(RuleViolation) as error:
        minutes.publish(meeting, actor=world.organiser, now=utcnow())
    assert error.value.field == "body"
    minutes.save_draft(meeting, "   \n ", [], actor=world.organiser, now=utcnow())
    with pytest.raises(RuleViolation):
        minutes.publish(meeting, actor=world.organiser, now=utcnow())
    assert meeting.minutes_published_at is None


def test_a_later_publication_needs_a_note_and_keeps_the_window(world, make_meeting):
    meeting = held_meeting(make_meeting, projects=[world.project])
    first = publish(meeting, world.organiser)
    opened = meeting.minutes_published_at
    minutes.save_draft(meeting, "补充：物业负责清运。", ["同意改造", "物业负责清运"], actor=world.organiser,
                       now=utcnow())
    with pytest.raises(RuleViolation) as error:
        minutes.publish(meeting, actor=world.organiser, now=utcnow())
    assert error.value.field == "note"
    db.session.rollback()
    second = publish(meeting, world.organiser, "补充：物业负责清运。", ["同意改造", "物业负责清运"],
                     now=utcnow() + timedelta(hours=1), note="补充清运安排")
    assert second.number == 2 and second.note == "补充清运安排"
    assert [v.number for v in minutes.versions(meeting)] == [2, 1]
    assert minutes.current_version(meeting).id == second.id
    assert db.session.get(MinutesVersion, first.id).body_md.startswith("## 会议记录")  # history kept
    assert meeting.minutes_published_at == opened  # the window runs from the first publication
    events = db.session.execute(db.select(ProjectEvent).where(ProjectEvent.kind == "minutes_published")).scalars().all()
    assert len(events) == 1


def test_hostile_markdown_is_inert(world, make_meeting):
    meeting = held_meeting(make_meeting)
    body = ('<script>alert(1)</script>\n\n[点我](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n'
            '![图](https://evil.example/x.png)\n\n<div hx-get="/logout">x</div>')
    version = publish(meeting, world.organiser, body, ["<b>粗</b> & <script>"])
    html = version.body_html
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    assert "<div" not in html and 'hx-get="' not in html  # raw HTML is shown as text, never parsed
    assert version.decisions == ["<b>粗</b> & <script>"]  # stored plain, escaped on output


def test_version_numbers_are_unique_per_meeting(world, make_meeting):
    meeting = held_meeting(make_meeting)
    publish(meeting, world.organiser)
    db.session.add(MinutesVersion(meeting_id=meeting.id, number=1, body_md="x", body_html="<p>x</p>",
                                  decisions=[], author_id=world.organiser.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_line_diff_between_versions():
    rows = diffs.lines("标题\n- 第一条\n-- 旧的\n结尾", "标题\n- 第一条\n-- 新的\n结尾")
    assert [(r.kind, r.text) for r in rows] == [("same", "- 第一条"), ("del", "-- 旧的"), ("add", "-- 新的"),
                                                ("same", "结尾")]
    far = diffs.lines("\n".join("abcdefgh"), "\n".join("Abcdefgh")[:-1] + "H")
    assert [r.kind for r in far].count("gap") == 1  # only between the two changes, never before the first
    assert diffs.lines("同样", "同样") == []
