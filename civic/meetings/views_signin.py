"""Routes of sign-in: the code (QR or typed), the organiser's QR page, by hand, the paper sheet, the attendance list."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db, limiter
from civic.meetings import bp, pages, photos, rules, signin
from civic.meetings.attend_panels import ATTENDANCE_CHANGED, checkin_url, hand_sign_in_form, panel_response, qr_svg
from civic.meetings.forms_attend import CheckInForm, SheetForm, UndoSignInForm
from civic.web.access import community_member, require
from civic.web.query_args import page_arg
from civic.web.rendering import wants_fragment
from civic.web.uploads import UploadRejected

CHECKIN_RATE_LIMIT = "10 per minute"  # wrong codes per person: guessing one of 887 million codes is hopeless


def _checkin_limit() -> str:
    return current_app.config.get("CHECKIN_RATE_LIMIT", CHECKIN_RATE_LIMIT)


def _checkin_key() -> str:
    """Per signed-in person (neighbours share the venue's Wi-Fi, so not per address); else per address."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _is_refused(response) -> bool:  # noqa: ANN001
    """Only refused codes count towards the limit: pressing the button twice is not guessing."""
    return response.status_code == 422


@bp.route("/<slug>/meetings/<int:meeting_id>/check-in", methods=["GET", "POST"], endpoint="check_in")
@limiter.limit(_checkin_limit, methods=["POST"], key_func=_checkin_key, deduct_when=_is_refused)
@community_member
def check_in_page(community, meeting_id: int):
    """What the QR code opens: a big "sign me in" button with the code filled in (a GET changes nothing)."""
    meeting = pages.load(community, meeting_id)
    now = utcnow()
    form = CheckInForm(code=request.args.get("code", ""))
    if request.method == "POST" and form.validate_on_submit():
        try:
            is_new = signin.check_in(meeting, current_user, form.code.data, now=now)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            flash(_("You are signed in. Welcome!") if is_new else _("You were already signed in."))
            return redirect(url_for("meetings.check_in", slug=community.slug, meeting_id=meeting.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/checkin.html", community=community, meeting=meeting, form=form,
                           mine=signin.mine(meeting, current_user.id), refusal=signin.refusal(meeting, now)), status


@bp.get("/<slug>/meetings/<int:meeting_id>/sign-in-code", endpoint="signin_code")
@community_member
def signin_code_page(community, meeting_id: int):
    """For the organiser at the venue: a big QR code to scan and the code in large letters to type."""
    meeting = pages.load(community, meeting_id)
    require(rules.can_show_signin_code(g.standing, meeting))
    url = checkin_url(community, meeting)
    return render_template("meetings/signin_code.html", community=community, meeting=meeting, checkin_url=url,
                           qr=qr_svg(url), refusal=signin.refusal(meeting, utcnow()))


def _signed_in(community, meeting, message: str, *, to_list: bool = False):  # noqa: ANN001, ANN202
    if wants_fragment():
        return panel_response(community, meeting, pages.SIGNIN,
                              headers={"HX-Trigger": ATTENDANCE_CHANGED}, signin_message=message)
    flash(message)
    if to_list:
        return redirect(url_for("meetings.attendance", slug=community.slug, meeting_id=meeting.id), code=303)
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.SIGNIN),
                    code=303)


@bp.post("/<slug>/meetings/<int:meeting_id>/attendance", endpoint="add_attendance")
@community_member
def sign_in_by_hand(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    now = utcnow()
    require(rules.can_sign_in_others(g.standing, meeting, now))
    form = hand_sign_in_form(community, meeting)
    if form.validate_on_submit():
        try:
            row = signin.sign_in_by_hand(meeting, user_id=form.user_id.data or None, name=form.name.data or "",
                                         actor=current_user, now=now)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            getattr(form, error.field if error.field in ("user_id", "name") else "name").errors = [error.message]
        else:
            message = _("Signed in.") if row is not None else _("This person was already signed in.")
            return _signed_in(community, meeting, message)
    return panel_response(community, meeting, pages.SIGNIN, status=422, signin_hand_form=form,
                          signin_error=_("Please correct the marked fields; what you typed is kept."))


@bp.post("/<slug>/meetings/<int:meeting_id>/attendance/<int:attendance_id>/delete", endpoint="remove_attendance")
@community_member
def undo_sign_in(community, meeting_id: int, attendance_id: int):
    meeting = pages.load(community, meeting_id)
    now = utcnow()
    require(rules.can_sign_in_others(g.standing, meeting, now))
    form = UndoSignInForm()
    if not form.validate_on_submit() or not signin.undo_sign_in(meeting, attendance_id, actor=current_user, now=now):
        abort(404)
    db.session.commit()
    return _signed_in(community, meeting, _("The sign-in was taken back."), to_list=form.back.data == "list")


@bp.post("/<slug>/meetings/<int:meeting_id>/attendance/sheet", endpoint="upload_sheet")
@community_member
def upload_sheet(community, meeting_id: int):
    """A photo of the paper sign-in sheet (neighbours without phones): stored whole or not at all."""
    meeting = pages.load(community, meeting_id)
    now = utcnow()
    require(rules.can_sign_in_others(g.standing, meeting, now))
    form = SheetForm()
    if form.validate_on_submit():
        try:
            photo = photos.store(meeting, form.photo.data, purpose=photos.SIGNIN_SHEET, actor=current_user, now=now)
        except UploadRejected as error:
            db.session.rollback()
            form.photo.errors = [error.message]
        else:
            _commit_or_discard(photo)
            flash(_("The photo of the sign-in sheet was kept."))
            return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id,
                                    _anchor=pages.SIGNIN), code=303)
    return panel_response(community, meeting, pages.SIGNIN, status=422, signin_sheet_form=form,
                          signin_error=" ".join(form.photo.errors))


def _commit_or_discard(photo) -> None:  # noqa: ANN001
    """If the row cannot be saved, its files go too: nothing half-written."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        photos.discard(photo)
        raise


@bp.get("/<slug>/meetings/<int:meeting_id>/attendance", endpoint="attendance")
@community_member
def attendance_list(community, meeting_id: int):
    """For the organiser and the committee: who signed in, with counts; printable."""
    meeting = pages.load(community, meeting_id)
    require(rules.can_see_attendees(g.standing, meeting))
    people, households = signin.counts(meeting)
    page = page_arg(last=max(1, -(-people // signin.PAGE_SIZE)))
    return render_template("meetings/attendance.html", community=community, meeting=meeting,
                           attendees=signin.attendees(meeting, page=page), people=people, households=households,
                           page=page, page_size=signin.PAGE_SIZE, sheets=photos.sheets_of(meeting),
                           can_undo=rules.can_sign_in_others(g.standing, meeting, utcnow()),
                           undo_form=UndoSignInForm(formdata=None, back="list"))
