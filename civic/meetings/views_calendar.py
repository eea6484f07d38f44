"""Routes of the meeting calendar: the upcoming/past list, the month view, the .ics file and the printable notice."""
from __future__ import annotations

from flask import g, make_response, render_template, request, url_for
from flask_babel import gettext as _

from civic.clock import utcnow
from civic.meetings import bp, calendar, ics, notice, pages, rules
from civic.meetings.localtime import local_date
from civic.meetings.models import MeetingKind
from civic.web.access import community_member, require
from civic.web.query_args import choice_arg, enum_arg, page_arg
from civic.web.rendering import page_or_block

LIST_BLOCK = "meeting_list"
YEARS = range(2000, 2101)  # a hand-edited link outside these shows the current month


def _can_create() -> bool:
    """The "new meeting" button: any member may propose a small round table (the form offers what they may)."""
    return rules.can_create(g.standing, MeetingKind.ROUND_TABLE)


@bp.get("/<slug>/meetings")
@community_member
def index(community):
    require(rules.can_list_meetings(g.standing))
    now, page = utcnow(), page_arg()
    flt = calendar.ListFilter(when=choice_arg("when", calendar.TABS, calendar.UPCOMING),
                              kind=enum_arg(MeetingKind, "kind"))
    meetings, total = calendar.meetings_page(community, flt, page, now)
    polls = calendar.polling(community, flt.kind) if flt.when == calendar.UPCOMING and page == 1 else []
    rows = calendar.rows_of(community, meetings + polls, g.standing.user_id)
    return page_or_block(
        "meetings/index.html", LIST_BLOCK, community=community, flt=flt, page=page, total=total,
        page_size=calendar.PAGE_SIZE, rows=rows[:len(meetings)], poll_rows=rows[len(meetings):],
        kinds=list(MeetingKind), can_create=_can_create())


def _month_arg() -> tuple[int, int]:
    """?year=&month=, or the current local month for a missing or impossible value."""
    year, month = request.args.get("year", type=int), request.args.get("month", type=int)
    if year in YEARS and month is not None and 1 <= month <= 12:
        return year, month
    today = local_date(utcnow())
    return today.year, today.month


@bp.get("/<slug>/meetings/month")
@community_member
def month(community):
    require(rules.can_list_meetings(g.standing))
    year, month_number = _month_arg()
    kind = enum_arg(MeetingKind, "kind")
    today = local_date(utcnow())
    weeks = calendar.month(community, year, month_number, kind=kind, today=today, user_id=g.standing.user_id)
    return render_template(
        "meetings/month.html", community=community, weeks=weeks, year=year, month=month_number, kind=kind,
        title=calendar.month_title(year, month_number), weekdays=calendar.weekday_names(),
        previous=calendar.shift_month(year, month_number, -1), following=calendar.shift_month(year, month_number, 1),
        is_this_month=(today.year, today.month) == (year, month_number), kinds=list(MeetingKind),
        has_meetings=any(day.rows for week in weeks for day in week), can_create=_can_create())


@bp.get("/<slug>/meetings/<int:meeting_id>/calendar.ics", endpoint="ics")
@community_member
def ics_file(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    if meeting.starts_at is None:
        return render_template("errors/page.html", title=_("No calendar file yet"), message=_(
            "The time of this meeting is not fixed yet. Answer the time poll on the meeting page; "
            "the calendar file is ready once the organiser picks a time.")), 404
    response = make_response(ics.meeting_ics(meeting, notice.meeting_url(meeting)))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    return response


@bp.get("/<slug>/meetings/<int:meeting_id>/print")
@community_member
def print_notice(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    url = notice.meeting_url(meeting)
    return render_template(
        "meetings/print.html", community=community, meeting=meeting, url=url, short_url=notice.short_url(url),
        qr=notice.qr_svg(url, meeting.title), date_words=notice.date_words(meeting),
        time_words=notice.time_words(meeting), slot_words=notice.slot_words(meeting),
        is_past=rules.has_ended(meeting, utcnow()))


def is_wechat() -> bool:
    """WeChat's in-app browser often will not download files: it says so in its User-Agent."""
    return "MicroMessenger" in (request.headers.get("User-Agent") or "")


def panel_context(community, meeting, now) -> dict:  # noqa: ANN001
    """Keys this part's partial template needs on the meeting page."""
    has_time = meeting.starts_at is not None and meeting.ends_at is not None
    return {
        "cal_has_time": has_time,
        "cal_ics_url": url_for("meetings.ics", slug=community.slug, meeting_id=meeting.id) if has_time else None,
        "cal_print_url": url_for("meetings.print_notice", slug=community.slug, meeting_id=meeting.id),
        "cal_is_wechat": is_wechat(),
        "cal_is_past": rules.has_ended(meeting, now),
    }
