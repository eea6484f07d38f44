"""Routes of round-table notes: add a note (maybe with a whiteboard photo) and promote one into a proposal."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import bp, notes, pages, photos, queries, rules
from civic.meetings.forms_minutes import NoteForm, PromoteForm
from civic.meetings.models import MeetingKind
from civic.meetings.views_minutes import answer_panel, done, refused
from civic.projects.models import Category
from civic.proposals.rules import can_read_text
from civic.web.access import community_member, require
from civic.web.uploads import UploadRejected

ADDED = "note-added"


def panel_context(community, meeting, now, *, attended: bool) -> dict:  # noqa: ANN001
    """Keys of `_notes.html` (prefix notes_); nothing is loaded for meetings that are not round tables."""
    if meeting.kind is not MeetingKind.ROUND_TABLE:
        return {"notes_enabled": False}
    st = g.standing
    rows, produced = notes.notes_of(meeting), notes.produced(meeting)
    authors = [n.author for n in rows if n.author is not None]
    return {
        "notes_enabled": True, "notes_list": rows,
        "notes_can_add": rules.can_add_note(st, meeting, now, has_attended=attended),
        "notes_promotable": {n.id for n in rows if n.proposal_id is None and n.promoted_at is None
                             and rules.can_promote_note(st, meeting, n.author_id)},
        "notes_labels": public_labels(authors, community) if authors else {},
        "notes_form": NoteForm(formdata=None, prefix="note"), "notes_photo_error": None,
        "notes_categories": list(Category), "notes_default_category": notes.default_category(meeting),
        "notes_produced": produced,
        # A proposal the committee hid keeps its link, but not its title, for those who may not read it.
        "notes_readable": {p.id for p in produced if can_read_text(st, p)},
    }


def _store(meeting, form: NoteForm):  # noqa: ANN001, ANN202
    """The note and its photo, committed together; a failed commit leaves no file behind."""
    note = notes.add(meeting, text=form.text.data, upload=form.photo.data or None, actor=current_user, now=utcnow())
    try:
        db.session.commit()
    except Exception:
        if note.photo is not None:
            photos.discard(note.photo)
        raise
    return note


@bp.post("/<slug>/meetings/<int:meeting_id>/notes")
@community_member
def add_note(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    attended = queries.has_attended(meeting, g.standing.user_id)
    require(rules.can_add_note(g.standing, meeting, utcnow(), has_attended=attended))
    form = NoteForm(prefix="note")
    photo_error = None
    if form.validate_on_submit():
        try:
            _store(meeting, form)
            return done(community, meeting, pages.NOTES, _("Note added."), event=ADDED)
        except RuleViolation as error:
            refused(form, error, "text")
        except UploadRejected as error:
            db.session.rollback()
            photo_error = _("The note was not saved: %(why)s Your text is kept; choose another photo or send "
                            "the note without one.", why=error.message)
    return answer_panel(community, meeting, pages.NOTES, status=422, notes_form=form, notes_photo_error=photo_error)


@bp.post("/<slug>/meetings/<int:meeting_id>/notes/<int:note_id>/promote")
@community_member
def promote_note(community, meeting_id: int, note_id: int):
    meeting = pages.load(community, meeting_id)
    note = notes.note_in(meeting, note_id)
    if note is None:
        abort(404)
    require(rules.can_promote_note(g.standing, meeting, note.author_id))
    form = PromoteForm()
    category = Category(form.category.data) if form.validate_on_submit() else notes.default_category(meeting)
    try:
        proposal = notes.promote(note, actor=current_user, household_id=pages.first_household_id(),
                                 category=category, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.NOTES),
                        code=303)
    flash(_("The note is now a published proposal. Neighbours can second and discuss it here."))
    return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)
