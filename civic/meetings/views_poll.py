"""Routes of the time poll (约时间): offer and remove slots, answer one, the deadline, pick the time, who answered."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, g, redirect, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import bp, pages, poll, rules
from civic.meetings.forms_poll import AnswerForm, DeadlineForm, SlotForm
from civic.meetings.labels import ANSWER_LABELS, span_text
from civic.meetings.localtime import to_local
from civic.meetings.models import Meeting, MeetingStatus, PollSlot
from civic.web.access import community_member, require
from civic.web.query_args import page_arg
from civic.web.rendering import page_or_block, wants_fragment

SLOT_TEMPLATE, SLOT_BLOCK = "meetings/_poll_slot.html", "poll_slot"
ANSWERS_TEMPLATE, ANSWERS_BLOCK = "meetings/poll_answers.html", "poll_answers"
POLL_CHANGED = "poll-changed"  # HX-Trigger after a slot or the deadline changed
POLL_ANSWERED = "poll-answered"
RETARGET_PANEL = {"HX-Retarget": f"#{pages.POLL}", "HX-Reswap": "outerHTML"}


def moment_text(at: datetime) -> str:
    """"2026年12月1日星期二 20:00" in Asia/Shanghai (the deadline)."""
    local = to_local(at)
    return f"{format_date(local.date(), 'full')} {local:%H:%M}"


def _display(community, meeting: Meeting) -> dict:  # noqa: ANN001
    """What both the panel and one slot's row need to write slots, resolved once per request, not once per row."""
    return {"poll_answer_order": poll.ANSWER_ORDER,
            "poll_answer_labels": {kind: str(label) for kind, label in ANSWER_LABELS.items()},
            "poll_who_text": _("Who answered"), "poll_yours_text": _("Your answer"),
            # Each row's URLs are this prefix + "/<slot id>/answer(s)": url_for 40 times costs more than the counts.
            "poll_slots_url": url_for("meetings.add_slot", slug=community.slug, meeting_id=meeting.id)}


def panel_context(community, meeting: Meeting, now: datetime) -> dict:  # noqa: ANN001
    """The poll panel: every slot's counts in one query, the member's own answers, the organiser's ranking."""
    if not meeting.is_polling:
        chosen = None
        if meeting.poll_closed_at is not None and meeting.status is MeetingStatus.SCHEDULED:
            chosen = db.session.execute(db.select(PollSlot).where(PollSlot.meeting_id == meeting.id,
                                                                  PollSlot.is_chosen)).scalars().first()
        return {"poll_chosen": chosen, "poll_error": None, **_display(community, meeting)}
    st, slot_tallies = g.standing, poll.tallies(meeting)
    can_pick = rules.can_pick_slot(st, meeting)
    ranked = poll.ranked(slot_tallies) if can_pick else []
    best = poll.best(ranked)
    return {
        "poll_tallies": slot_tallies, "poll_spans": _spans(slot_tallies),
        "poll_mine": poll.my_answers(meeting, st.user_id),
        "poll_answerers": poll.answerer_count(meeting), "poll_is_open": rules.is_poll_open(meeting, now),
        "poll_can_answer": rules.can_answer_poll(st, meeting, now), "poll_can_pick": can_pick,
        "poll_can_manage_slots": rules.can_manage_slots(st, meeting, now),
        "poll_can_set_deadline": rules.can_set_poll_deadline(st, meeting),
        "poll_ranked": ranked, "poll_best_id": best.slot.id if best else None, "poll_max_slots": poll.MAX_SLOTS,
        "poll_deadline_text": moment_text(meeting.poll_deadline_at) if meeting.poll_deadline_at else "",
        "poll_slot_form": SlotForm(formdata=None), "poll_deadline_form": _deadline_form(meeting),
        "poll_error": None, "poll_slot_errors": {}, "poll_adding": False, **_display(community, meeting),
    }


def _spans(slot_tallies: list[poll.SlotTally]) -> dict[int, str]:
    """Each slot's time in words, once (the grid and the organiser's ranking both show it)."""
    return {t.slot.id: span_text(t.slot.starts_at, t.slot.ends_at) for t in slot_tallies}


def _deadline_form(meeting: Meeting) -> DeadlineForm:
    form = DeadlineForm(formdata=None)
    if meeting.poll_deadline_at:
        local = to_local(meeting.poll_deadline_at)
        form.deadline_day.data, form.deadline_time.data = local.date(), local.time()
    return form


def _slot_in(meeting: Meeting, slot_id: int) -> PollSlot:
    """A slot of this meeting; another meeting's slot id is simply not found."""
    slot = db.session.execute(db.select(PollSlot).where(PollSlot.id == slot_id, PollSlot.meeting_id == meeting.id)
                              ).scalar_one_or_none()
    return slot if slot is not None else abort(404)


def _meeting_url(community, meeting: Meeting, anchor: str | None = pages.POLL) -> str:  # noqa: ANN001
    return url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=anchor)


def _panel(community, meeting: Meeting, *, status: int = 200, headers: dict | None = None,  # noqa: ANN001, ANN202
           **overrides):
    """htmx: the poll panel; plain: the whole meeting page (a refused form comes back as typed, with 422)."""
    template = "meetings/_poll.html" if wants_fragment() else "meetings/show.html"
    context = pages.show_context(community, meeting)
    context.update(overrides)
    return page_or_block(template, pages.POLL, status=status, headers=headers, **context)


def _changed(community, meeting: Meeting, message: str, **overrides):  # noqa: ANN001, ANN202
    if wants_fragment():
        return _panel(community, meeting, headers={"HX-Trigger": POLL_CHANGED}, **overrides)
    flash(message)
    return redirect(_meeting_url(community, meeting), code=303)


@bp.post("/<slug>/meetings/<int:meeting_id>/slots")
@community_member
def add_slot(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_manage(g.standing, meeting))  # the poll's state is the service's: refused with a message
    form = SlotForm()
    if form.validate_on_submit():
        try:
            poll.add_slot(meeting, *form.span(), actor=current_user, now=utcnow())
            db.session.commit()
            # The form stays open: an organiser usually offers several times in a row.
            return _changed(community, meeting, _("The time was added to the poll."), poll_adding=True)
        except RuleViolation as error:
            db.session.rollback()
            form.refuse(error)
    return _panel(community, meeting, status=422, poll_slot_form=form)


@bp.post("/<slug>/meetings/<int:meeting_id>/slots/<int:slot_id>/delete")
@community_member
def remove_slot(community, meeting_id: int, slot_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_manage(g.standing, meeting))
    slot = _slot_in(meeting, slot_id)
    try:
        poll.remove_slot(meeting, slot, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _panel(community, meeting, status=422, poll_error=error.message)
    return _changed(community, meeting, _("The time was removed from the poll."))


@bp.post("/<slug>/meetings/<int:meeting_id>/poll/deadline")
@community_member
def set_deadline(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_manage(g.standing, meeting))
    form = DeadlineForm()
    if form.validate_on_submit():
        try:
            poll.set_deadline(meeting, form.deadline(), actor=current_user, now=utcnow())
            db.session.commit()
            message = _("The deadline was removed.") if form.clear.data else _("The deadline was saved.")
            return _changed(community, meeting, message)
        except RuleViolation as error:
            db.session.rollback()
            form.refuse(error)
    return _panel(community, meeting, status=422, poll_deadline_form=form)


def _slot_context(community, meeting: Meeting, slot: PollSlot, **overrides) -> dict:  # noqa: ANN001
    """One slot's row alone (answering it with htmx): its counts, the member's answer, the answerer count."""
    tally = poll.tallies(meeting, slot_id=slot.id)[0]
    return {"community": community, "meeting": meeting, "t": tally, "poll_spans": _spans([tally]),
            "poll_mine": poll.my_answers(meeting, g.standing.user_id),
            "poll_can_answer": rules.can_answer_poll(g.standing, meeting, utcnow()),
            "poll_answerers": poll.answerer_count(meeting), "poll_oob": True, "poll_slot_errors": {},
            **_display(community, meeting), **overrides}


def _answered(community, meeting: Meeting, slot: PollSlot, form: AnswerForm):  # noqa: ANN001, ANN202
    if not wants_fragment():
        flash(_("Saved: “%(answer)s” for %(when)s.", answer=ANSWER_LABELS[form.kind],
                when=span_text(slot.starts_at, slot.ends_at)))
        return redirect(_meeting_url(community, meeting, f"slot-{slot.id}"), code=303)
    headers = {"HX-Trigger": POLL_ANSWERED}
    if rules.can_pick_slot(g.standing, meeting):
        # The organiser's ranking moves with every answer: the whole panel, not just this row.
        headers.update(RETARGET_PANEL)
        return _panel(community, meeting, headers=headers)
    return page_or_block(SLOT_TEMPLATE, SLOT_BLOCK, headers=headers, **_slot_context(community, meeting, slot))


@bp.post("/<slug>/meetings/<int:meeting_id>/slots/<int:slot_id>/answer")
@community_member
def answer_slot(community, meeting_id: int, slot_id: int):
    """Any member may answer (pages.load checks that); whether the poll is still open is poll.answer's check."""
    meeting = pages.load(community, meeting_id)
    slot = _slot_in(meeting, slot_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        errors = {slot.id: _("Choose yes, if need be, or no.")}
        if wants_fragment():
            return page_or_block(SLOT_TEMPLATE, SLOT_BLOCK, status=422,
                                 **_slot_context(community, meeting, slot, poll_slot_errors=errors))
        return _panel(community, meeting, status=422, poll_slot_errors=errors)
    try:
        poll.answer(meeting, slot, g.standing.user_id, form.kind, utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()  # closed meanwhile: the whole panel, so every row shows it is closed
        return _panel(community, meeting, status=422, headers=RETARGET_PANEL if wants_fragment() else None,
                      poll_error=error.message)
    return _answered(community, meeting, slot, form)


@bp.post("/<slug>/meetings/<int:meeting_id>/slots/<int:slot_id>/pick")
@community_member
def pick_slot(community, meeting_id: int, slot_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_manage(g.standing, meeting))
    slot = _slot_in(meeting, slot_id)
    try:
        told = poll.pick(meeting, slot, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _panel(community, meeting, status=422, poll_error=error.message)
    flash(ngettext("The meeting is now fixed for %(when)s. %(num)d person who answered was told.",
                   "The meeting is now fixed for %(when)s. %(num)d people who answered were told.", told,
                   when=span_text(slot.starts_at, slot.ends_at)))
    url = _meeting_url(community, meeting, anchor=None)
    if wants_fragment():
        return "", 200, {"HX-Redirect": url, "Vary": "HX-Request"}  # the whole page changes: time, RSVP
    return redirect(url, code=303)


@bp.get("/<slug>/meetings/<int:meeting_id>/slots/<int:slot_id>/answers")
@community_member
def slot_answers(community, meeting_id: int, slot_id: int):
    """Who answered one slot (display name · building), 50 a page; htmx opens it inside the slot's row."""
    meeting = pages.load(community, meeting_id)
    slot = _slot_in(meeting, slot_id)
    return page_or_block(ANSWERS_TEMPLATE, ANSWERS_BLOCK, community=community, meeting=meeting, slot=slot,
                         slot_when=span_text(slot.starts_at, slot.ends_at),
                         tally=poll.tallies(meeting, slot_id=slot.id)[0],
                         who=poll.who_answered(meeting, slot, page=page_arg()), **_display(community, meeting))
