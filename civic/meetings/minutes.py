"""Minutes (会议纪要): the organiser's draft, numbered published versions, and attendees' amendments within 3 days."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from civic.audit.models import record
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import queries, rules, services
from civic.meetings.models import (REASON_MAX, AmendmentStatus, Meeting, MinutesAmendment, MinutesDraft,
                                   MinutesVersion)
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.web.markdown import MAX_SOURCE_CHARS, render
from civic.web.templating import datetime_24h

DECISION_MAX = 200
DECISIONS_MAX = 30
REASON_MIN = 2


def check_text(value: str | None, *, low: int, high: int, field: str, message: str) -> str:
    """Stripped text between low and high characters, or a RuleViolation on `field` with `message`."""
    text = (value or "").strip()
    if not low <= len(text) <= high:
        raise RuleViolation(message, field)
    return text


def clean_decisions(lines) -> list[str]:  # noqa: ANN001
    """Decisions are plain one-line strings: blanks dropped, each ≤ 200 characters, at most 30."""
    decisions = [" ".join(line.split()) for line in (lines or []) if line and line.strip()]
    if len(decisions) > DECISIONS_MAX:
        raise RuleViolation(_("At most %(n)d decisions; combine some of them.", n=DECISIONS_MAX), "decisions")
    too_long = [d for d in decisions if len(d) > DECISION_MAX]
    if too_long:
        raise RuleViolation(_("Each decision may have at most %(n)d characters; shorten: %(text)s",
                              n=DECISION_MAX, text=too_long[0][:20] + "…"), "decisions")
    return decisions


def _check_body(body_md: str | None, *, required: bool) -> str:
    body = body_md or ""
    if len(body) > MAX_SOURCE_CHARS:
        raise RuleViolation(_("The minutes may have at most %(n)d characters.", n=MAX_SOURCE_CHARS), "body")
    if required and not body.strip():
        raise RuleViolation(_("Write the minutes before publishing; a draft may stay empty."), "body")
    return body


def draft_of(meeting: Meeting) -> MinutesDraft | None:
    return db.session.get(MinutesDraft, meeting.id)


def save_draft(meeting: Meeting, body_md: str, decisions: list[str], *, actor, now: datetime) -> MinutesDraft:  # noqa: ANN001
    """Keep what the organiser has written so far (one draft per meeting, overwritten on every save)."""
    body, cleaned = _check_body(body_md, required=False), clean_decisions(decisions)
    draft = draft_of(meeting)
    if draft is None:
        draft = MinutesDraft(meeting_id=meeting.id)
        db.session.add(draft)
    draft.body_md, draft.decisions, draft.saved_at, draft.saved_by_id = body, cleaned, now, actor.id
    db.session.flush()
    return draft


def current_version(meeting: Meeting) -> MinutesVersion | None:
    return db.session.execute(db.select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
                              .order_by(MinutesVersion.number.desc()).limit(1)).scalar_one_or_none()


def versions(meeting: Meeting) -> list[MinutesVersion]:
    """Every version, newest first, with its author loaded."""
    return list(db.session.execute(
        db.select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
        .options(selectinload(MinutesVersion.author)).order_by(MinutesVersion.number.desc())).scalars())


def _add_version(meeting: Meeting, *, body_md: str, body_html: str, decisions: list[str], note: str, actor,  # noqa: ANN001
                 now: datetime, amendment_id: int | None = None) -> MinutesVersion:
    """Version N+1. UNIQUE(meeting, number) turns two simultaneous publications into one clear refusal."""
    latest = current_version(meeting)
    version = MinutesVersion(meeting_id=meeting.id, number=(latest.number + 1) if latest else 1, body_md=body_md,
                             body_html=body_html, decisions=list(decisions), note=note[:REASON_MAX],
                             author_id=actor.id, amendment_id=amendment_id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        raise RuleViolation(_("Someone else changed the minutes at the same moment; reload the page and try "
                              "again.")) from None
    return version


def publish(meeting: Meeting, *, actor, now: datetime, note: str = "") -> MinutesVersion:  # noqa: ANN001
    """Publish the draft: version 1 opens the 3-day amendment window; a later one needs a note saying why."""
    draft = draft_of(meeting)
    body = _check_body(draft.body_md if draft else "", required=True)
    is_first = meeting.minutes_published_at is None
    if not is_first:
        note = check_text(note, low=REASON_MIN, high=REASON_MAX, field="note",
                          message=_("Say in a few words what changed (2 to 200 characters)."))
    version = _add_version(meeting, body_md=body, body_html=render(body), decisions=clean_decisions(draft.decisions),
                           note="" if is_first else note, actor=actor, now=now)
    if is_first:
        meeting.minutes_published_at = now
        services.on_timelines(meeting, "minutes_published", actor, now, number=version.number)
    db.session.delete(draft)  # the editor starts from the published text next time
    notify(queries.attendee_user_ids(meeting), community_id=meeting.community_id, kind=NoticeKind.MINUTES_PUBLISHED,
           now=now, actor=actor, meeting_id=meeting.id, summary=meeting.title)
    record(meeting.community_id, actor, "minutes.published", f"meeting:{meeting.id}", now, number=version.number)
    db.session.flush()
    return version


def window_closes_at(meeting: Meeting) -> datetime | None:
    published = meeting.minutes_published_at
    return published + rules.AMENDMENT_WINDOW if published else None


def propose_amendment(meeting: Meeting, *, proposer, body_md: str, reason: str, now: datetime) -> MinutesAmendment:  # noqa: ANN001
    """An attendee proposes a changed text of the current minutes; the organiser hears of it."""
    current = current_version(meeting)
    if current is None:
        raise RuleViolation(_("The minutes are not published yet."))
    if not rules.is_amendment_window_open(meeting, now):
        raise RuleViolation(_("The 3-day window for amendments closed on %(when)s.",
                              when=datetime_24h(window_closes_at(meeting))))
    if not queries.has_attended(meeting, proposer.id):
        raise RuleViolation(_("Only people who signed in at the meeting may propose an amendment."))
    reason = check_text(reason, low=REASON_MIN, high=REASON_MAX, field="reason",
                        message=_("Say why in a few words (2 to 200 characters)."))
    body = _check_body(body_md, required=True)
    if body.strip() == current.body_md.strip():
        raise RuleViolation(_("The text is the same as the current minutes; change it where it is wrong."), "body")
    amendment = MinutesAmendment(meeting_id=meeting.id, proposer_id=proposer.id, base_number=current.number,
                                 body_md=body, body_html=render(body), reason=reason, created_at=now)
    db.session.add(amendment)
    db.session.flush()
    if meeting.organiser_id is not None:
        notify([meeting.organiser_id], community_id=meeting.community_id, kind=NoticeKind.AMENDMENT, now=now,
               actor=proposer, meeting_id=meeting.id, summary=meeting.title)
    return amendment


def pending_amendments(meeting: Meeting) -> list[MinutesAmendment]:
    return list(db.session.execute(
        db.select(MinutesAmendment).where(MinutesAmendment.meeting_id == meeting.id,
                                          MinutesAmendment.status == AmendmentStatus.PENDING)
        .options(selectinload(MinutesAmendment.proposer)).order_by(MinutesAmendment.id)).scalars())


def amendments_of(meeting: Meeting) -> list[MinutesAmendment]:
    """All amendments, newest first (the history page shows the declined ones with their reasons)."""
    return list(db.session.execute(
        db.select(MinutesAmendment).where(MinutesAmendment.meeting_id == meeting.id)
        .options(selectinload(MinutesAmendment.proposer)).order_by(MinutesAmendment.id.desc())).scalars())


def amendment_in(meeting: Meeting, amendment_id: int) -> MinutesAmendment | None:
    return db.session.execute(db.select(MinutesAmendment).where(
        MinutesAmendment.id == amendment_id, MinutesAmendment.meeting_id == meeting.id)).scalar_one_or_none()


def _decide(amendment: MinutesAmendment, status: AmendmentStatus, *, actor, now: datetime, reason: str = "") -> None:  # noqa: ANN001
    """A conditional UPDATE on PENDING: of two clicks (or two organisers) only the first decides."""
    done = db.session.execute(
        db.update(MinutesAmendment)
        .where(MinutesAmendment.id == amendment.id, MinutesAmendment.status == AmendmentStatus.PENDING)
        .values(status=status, decided_at=now, decided_by_id=actor.id, decline_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise RuleViolation(_("This amendment was already decided."))
    db.session.expire(amendment)


def _tell_proposer(meeting: Meeting, amendment: MinutesAmendment, *, actor, now: datetime) -> None:  # noqa: ANN001
    if amendment.proposer_id is not None:
        notify([amendment.proposer_id], community_id=meeting.community_id, kind=NoticeKind.AMENDMENT, now=now,
               actor=actor, meeting_id=meeting.id, summary=meeting.title)


def accept_amendment(amendment: MinutesAmendment, *, actor, now: datetime) -> MinutesVersion:  # noqa: ANN001
    """The proposed text becomes the next version (decisions carried over); older versions stay readable."""
    meeting = db.session.get(Meeting, amendment.meeting_id)
    _decide(amendment, AmendmentStatus.ACCEPTED, actor=actor, now=now)
    current = current_version(meeting)
    proposer = amendment.proposer
    who = public_labels([proposer], meeting.community)[proposer.id] if proposer else _("a former member")
    version = _add_version(meeting, body_md=amendment.body_md, body_html=amendment.body_html,
                           decisions=current.decisions if current else [],
                           note=_("amendment by %(who)s", who=who), actor=actor, now=now, amendment_id=amendment.id)
    _tell_proposer(meeting, amendment, actor=actor, now=now)
    others = set(queries.attendee_user_ids(meeting)) - {amendment.proposer_id}  # the proposer heard already
    notify(others, community_id=meeting.community_id, kind=NoticeKind.MINUTES_PUBLISHED,
           now=now, actor=actor, meeting_id=meeting.id, summary=meeting.title)
    record(meeting.community_id, actor, "minutes.amendment_accepted", f"meeting:{meeting.id}", now,
           amendment_id=amendment.id, number=version.number)
    db.session.flush()
    return version


def decline_amendment(amendment: MinutesAmendment, reason: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Declining needs a reason: the proposer (and the history page) can read it."""
    reason = check_text(reason, low=REASON_MIN, high=REASON_MAX, field="reason",
                        message=_("Give the reason for declining (2 to 200 characters)."))
    meeting = db.session.get(Meeting, amendment.meeting_id)
    _decide(amendment, AmendmentStatus.DECLINED, actor=actor, now=now, reason=reason)
    _tell_proposer(meeting, amendment, actor=actor, now=now)
    record(meeting.community_id, actor, "minutes.amendment_declined", f"meeting:{meeting.id}", now,
           amendment_id=amendment.id, reason=reason)
