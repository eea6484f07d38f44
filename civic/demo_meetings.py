"""Demo meetings for 安丘: the reception-day series, round tables (one still finding a time) and a deliberation with minutes."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from civic.accounts.models import User, find_by_username
from civic.community.models import Community, Membership, Role
from civic.demo_content import PROPOSALS
from civic.extensions import db
from civic.meetings.localtime import combine, local_date
from civic.meetings.models import (ActionItem, ActionStatus, AgendaItem, Attendance, Meeting, MeetingKind,
                                   MeetingSeries, MeetingStatus, MinutesVersion, PollAnswer, PollAnswerKind, PollSlot,
                                   RoundTableNote, Rsvp, RsvpStatus, SignInMethod)
from civic.meetings.services import new_signin_code, on_timelines, schedule
from civic.proposals.models import Proposal
from civic.web.markdown import render

TUESDAY, SATURDAY, SUNDAY, WEDNESDAY = 1, 5, 6, 2
LOUNGE = "一米会客厅"
RECEPTION_TEXT = ("每月第一个星期二下午，陈书记在一米会客厅等大家：**有事说事**，小事当场办，大事带回议事会。"
                  "不方便上楼的老人，可以请楼组长代为反映。")
MINUTES = """## 会议概况

出席：居委会陈书记、业委会周主任、物业沈经理，二期1—3号楼楼组长王阿姨，居民代表若干。

## 讨论情况

1. 王阿姨汇报：1—3号楼共统计电瓶车 **112 辆**，其中约三成在楼道或家中充电。
2. 车棚选址：多数代表同意放在1—3号楼之间空地的东侧，占用的绿地在北门花坛补种。
3. 收费：按小时计费、充满自动断电；标准由物业测算后公示七天，再提交表决。

## 下一步

物业先出两套车棚布置草图，贴在各楼大堂公告栏，并在项目讨论区征求意见。
"""
DECISIONS = ["车棚建在1—3号楼之间空地的东侧，占用的绿地在北门花坛补种。",
             "设置80个充电位，充满自动断电，按小时计费，收费标准公示七天后执行。",
             "车棚方案和费用测算报业委会，下月议事会上交居民表决。"]
ACTIONS = [  # what, carriage role or building-leader login, days until due (from now), status, blocked reason
    ("在各楼大堂和项目讨论区张贴本次议事结果", Role.RESIDENTS_COMMITTEE, -1, ActionStatus.DONE, ""),
    ("勘测空地、出两套车棚布置草图", Role.PROPERTY_MANAGEMENT, 7, ActionStatus.IN_PROGRESS, ""),
    ("向供电公司申请小区用电增容", Role.PROPERTY_MANAGEMENT, 14, ActionStatus.BLOCKED,
     "供电公司要求先提交近一年的小区用电负荷资料"),
    ("准备表决方案：维修资金使用说明和费用测算", Role.OWNERS_COMMITTEE, 21, ActionStatus.PLANNED, ""),
]


def _proposal(community: Community, key: str) -> Proposal | None:
    title = next(spec["title"] for spec in PROPOSALS if spec["key"] == key)
    return db.session.execute(db.select(Proposal).where(Proposal.community_id == community.id,
                                                        Proposal.title == title)).scalar_one_or_none()


def _household_id(user: User, community: Community) -> int | None:  # noqa: ARG001  (demo people live in one community)
    return db.session.execute(db.select(Membership.household_id).where(Membership.user_id == user.id)
                              .order_by(Membership.id).limit(1)).scalar()


def _meeting(community: Community, kind: MeetingKind, title: str, place: str, organiser: User, created: datetime,
             **fields) -> Meeting:
    """A row made directly (the demo predates the editing services); the time is set by `schedule` or the caller."""
    description = fields.pop("description_md", "")
    meeting = Meeting(community_id=community.id, kind=kind, status=fields.pop("status", MeetingStatus.POLLING),
                      title=title, place=place, organiser_id=organiser.id, signin_code=new_signin_code(),
                      description_md=description, description_html=render(description), created_at=created,
                      updated_at=created, **fields)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _agenda(meeting: Meeting, items) -> None:  # noqa: ANN001
    for position, (title, minutes, proposal) in enumerate(items):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, minutes=minutes,
                                  proposal_id=proposal.id if proposal else None))


def _rsvps(meeting: Meeting, community: Community, people: list[User], at: datetime, not_going: int = 0) -> None:
    """The first len(people) - not_going go; going_count is kept equal to the GOING rows, as rsvp.py does."""
    for index, person in enumerate(people):
        going = index < len(people) - not_going
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=person.id, household_id=_household_id(person, community),
                            status=RsvpStatus.GOING if going else RsvpStatus.NOT_GOING,
                            responded_at=at + timedelta(minutes=17 * index)))
    meeting.going_count = len(people) - not_going


def _sign_in(meeting: Meeting, community: Community, people: list[User], by_hand: User,
             names: tuple[str, ...] = ()) -> None:
    """Most scanned the code; the last one was signed in by the organiser; `names` came without a phone."""
    at = meeting.starts_at
    for index, person in enumerate(people):
        manual = index == len(people) - 1
        db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id,
                                  household_id=_household_id(person, community),
                                  method=SignInMethod.MANUAL if manual else SignInMethod.CODE,
                                  signed_in_at=at + timedelta(minutes=index - 10),
                                  signed_in_by_id=by_hand.id if manual else None))
    for name in names:
        db.session.add(Attendance(meeting_id=meeting.id, name=name, method=SignInMethod.MANUAL, signed_in_at=at,
                                  signed_in_by_id=by_hand.id))


def _first_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(TUESDAY - first.weekday()) % 7)


def _reception_days(now: datetime) -> list[date]:
    """The last first-Tuesday already over, then the next six."""
    today, days = local_date(now), []
    for offset in range(-2, 8):
        index = today.year * 12 + today.month - 1 + offset
        days.append(_first_tuesday(index // 12, index % 12 + 1))
    is_over = {d: combine(d, time(16, 0)) <= now for d in days}
    return [d for d in days if is_over[d]][-1:] + [d for d in days if not is_over[d]][:6]


def _reception(community: Community, chen: User, people: list[User], now: datetime) -> None:
    days = _reception_days(now)
    months = (days[-1].year - days[0].year) * 12 + days[-1].month - days[0].month + 1
    series = MeetingSeries(community_id=community.id, kind=MeetingKind.RECEPTION, title="书记会客日", place=LOUNGE,
                           nth=1, weekday=TUESDAY, starts_local=time(14, 0), ends_local=time(16, 0),
                           first_month=days[0].replace(day=1), months=months, organiser_id=chen.id,
                           created_at=now - timedelta(days=45))
    db.session.add(series)
    db.session.flush()
    for day in days:
        meeting = _meeting(community, MeetingKind.RECEPTION, "书记会客日", LOUNGE, chen, series.created_at,
                           series_id=series.id, status=MeetingStatus.SCHEDULED, description_md=RECEPTION_TEXT,
                           starts_at=combine(day, time(14, 0)), ends_at=combine(day, time(16, 0)))
        if meeting.ends_at <= now:
            _sign_in(meeting, community, people[:5], chen, names=("张阿婆（12号楼，代填）",))


def _last_saturday(now: datetime) -> date:
    today = local_date(now)
    back = (today.weekday() - SATURDAY) % 7 or 7
    return today - timedelta(days=back)


def _garbage_table(community: Community, people: list[User], now: datetime) -> None:
    proposal = _proposal(community, "garbage")
    host, day = people[6], _last_saturday(now)
    meeting = _meeting(community, MeetingKind.ROUND_TABLE, "垃圾厢房放哪里：7号楼下小圆桌", "7号楼架空层", host,
                       combine(day, time(9, 30)) - timedelta(days=6), capacity=15,
                       description_md="一起商量新垃圾厢房的**选址**、开放时间和改建期间的临时投放点。带把小凳子来。")
    meeting.projects = [proposal.project] if proposal and proposal.project else []
    meeting.proposals = [proposal] if proposal else []
    schedule(meeting, combine(day, time(9, 30)), combine(day, time(11, 0)), actor=host, now=meeting.created_at,
             check_future=False)
    _agenda(meeting, [("厢房选址：7号楼临时点位，还是8号楼北侧空地", 30, proposal),
                      ("开放时间和破袋装置", 20, None), ("改建期间垃圾扔哪里", 15, None)])
    _rsvps(meeting, community, people[6:16], meeting.created_at + timedelta(hours=2), not_going=2)
    _sign_in(meeting, community, people[6:12], host)
    db.session.add(RoundTableNote(
        meeting_id=meeting.id, author_id=host.id, created_at=meeting.ends_at - timedelta(minutes=10),
        text="多数人倾向把厢房放在8号楼北侧空地，离住户窗户远一些；物业说要先确认地下管线。"
             "开放时间建议早6—9点、晚6—9点，前两周请志愿者值守。"))


def _ebike_deliberation(community: Community, staff: dict[str, User], people: list[User], now: datetime) -> None:
    proposal, chen = _proposal(community, "ebike"), staff["juwei"]
    day = local_date(now) - timedelta(days=3)
    meeting = _meeting(community, MeetingKind.DELIBERATION, "电瓶车集中停车棚和充电桩议事会", "居委会二楼议事厅", chen,
                       combine(day, time(19, 0)) - timedelta(days=10), capacity=30,
                       description_md="议题：1—3号楼之间空地建集中停车棚和智能充电桩。请各楼居民代表准时参加。")
    meeting.proposals = [proposal] if proposal else []
    schedule(meeting, combine(day, time(19, 0)), combine(day, time(20, 30)), actor=chen, now=meeting.created_at,
             check_future=False)
    _agenda(meeting, [("楼组长汇报：1—3号楼电瓶车数量", 15, None), ("车棚选址和绿地占用", 30, proposal),
                      ("充电收费标准", 20, None), ("分工和下一步", 15, None)])
    attendees = [staff[login] for login in ("yewei", "wuye", "louzu1")] + people[2:9]
    _rsvps(meeting, community, attendees, meeting.created_at + timedelta(hours=3))
    _sign_in(meeting, community, attendees, chen, names=("刘老师（3号楼居民代表）",))
    _minutes(meeting, chen, staff["louzu1"], now)


def _minutes(meeting: Meeting, author: User, leader: User, now: datetime) -> None:
    """Version 1, published yesterday: the three-day amendment window is still open for the demo."""
    published = now - timedelta(days=1)
    db.session.add(MinutesVersion(meeting_id=meeting.id, number=1, body_md=MINUTES, body_html=render(MINUTES),
                                  decisions=DECISIONS, author_id=author.id, created_at=published))
    meeting.minutes_published_at = published
    on_timelines(meeting, "minutes_published", author, published)
    for position, (what, role, due, status, reason) in enumerate(ACTIONS):
        db.session.add(ActionItem(meeting_id=meeting.id, position=position, what=what, owner_role=role.value,
                                  due_on=local_date(now) + timedelta(days=due), status=status, blocked_reason=reason,
                                  updated_at=published))
    db.session.add(ActionItem(meeting_id=meeting.id, position=len(ACTIONS), what="把收费标准讲给不上网的老人听",
                              owner_user_id=leader.id, due_on=local_date(now) + timedelta(days=10),
                              status=ActionStatus.PLANNED, updated_at=published))


def _poll_days(now: datetime) -> list[tuple[date, time]]:
    """Four candidate times in the coming week and a half, none sooner than two days ahead."""
    today = local_date(now)
    saturday = today + timedelta(days=(SATURDAY - today.weekday()) % 7 or 7)
    if saturday - today < timedelta(days=2):
        saturday += timedelta(days=7)
    return [(saturday, time(9, 30)), (saturday, time(14, 0)), (saturday + timedelta(days=1), time(9, 30)),
            (saturday + timedelta(days=4), time(19, 0))]


ANSWER_GRID = ["YYMN", "YMNY", "MYYN", "YNYM", "NYMY", "YYNN", "MYYY"]  # one row per resident, one letter per slot


def _lounge_poll(community: Community, people: list[User], now: datetime) -> None:
    proposal = _proposal(community, "lounge")
    host = people[11]
    meeting = _meeting(community, MeetingKind.ROUND_TABLE, "一米会客厅怎么布置：约个时间聊聊", "四期5号楼大堂", host,
                       now - timedelta(days=2),
                       description_md="会客厅的座椅、书架和灯光怎么摆？设计师出方案前，先听听大家的想法。请选你方便的时间。")
    meeting.projects = [proposal.project] if proposal and proposal.project else []
    meeting.proposals = [proposal] if proposal else []
    slots = [PollSlot(meeting_id=meeting.id, starts_at=combine(day, at),
                      ends_at=combine(day, at) + timedelta(minutes=90)) for day, at in _poll_days(now)]
    db.session.add_all(slots)
    db.session.flush()
    meeting.poll_deadline_at = min(s.starts_at for s in slots) - timedelta(days=1)
    kinds = {"Y": PollAnswerKind.YES, "M": PollAnswerKind.MAYBE, "N": PollAnswerKind.NO}
    for row, person in zip(ANSWER_GRID, people[11:18]):
        for letter, slot in zip(row, slots):
            db.session.add(PollAnswer(meeting_id=meeting.id, slot_id=slot.id, user_id=person.id,
                                      answer=kinds[letter], answered_at=now - timedelta(hours=30)))
    on_timelines(meeting, "meeting_polling", host, meeting.created_at)


def seed(community: Community, resident_logins: list[str], now: datetime) -> int:
    """Add the demo meetings once (skipped when the community already has meetings); returns how many were made."""
    if db.session.execute(db.select(Meeting.id).where(Meeting.community_id == community.id).limit(1)).first():
        return 0
    staff = {login: find_by_username(login) for login in ("juwei", "yewei", "wuye", "louzu1")}
    people = [find_by_username(login) for login in resident_logins]
    _reception(community, staff["juwei"], people[20:30], now)
    _garbage_table(community, people, now)
    _ebike_deliberation(community, staff, people, now)
    _lounge_poll(community, people, now)
    db.session.flush()
    return db.session.scalar(db.select(db.func.count()).select_from(Meeting)
                             .where(Meeting.community_id == community.id))
