"""How categories, stages and timeline events of projects are named on pages: one table each."""
from __future__ import annotations

from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from civic.projects.models import Category, Stage

CATEGORY_LABELS = {
    Category.GARBAGE_ROOM: _l("Garbage room"),
    Category.COMMON_SPACE: _l("Lounge / common space"),
    Category.PARKING_CHARGING: _l("Parking / charging"),
    Category.ELEVATOR: _l("Elevator"),
    Category.GREENERY: _l("Greenery"),
    Category.LIGHTING: _l("Lighting"),
    Category.OTHER: _l("Other"),
}

STAGE_LABELS = {
    Stage.RAISED: _l("Raised"),
    Stage.DELIBERATING: _l("Deliberating"),
    Stage.DESIGNING: _l("Designing"),
    Stage.VOTING: _l("Voting"),
    Stage.PUBLICITY: _l("Publicity"),
    Stage.IMPLEMENTING: _l("Implementing"),
    Stage.DONE: _l("Done"),
    Stage.SHELVED: _l("Shelved"),
}


def category_label(category: Category | str) -> str:
    """Accepts the enum or its stored value (event details and search documents keep values)."""
    try:
        return str(CATEGORY_LABELS[Category(category)])
    except ValueError:
        return str(category)


def stage_label(stage: Stage | str) -> str:
    try:
        return str(STAGE_LABELS[Stage(stage)])
    except ValueError:
        return str(stage)


# Timeline event kind → sentence(detail, actor label). Later modules add their kinds here
# (`EVENT_SENTENCES["meeting_scheduled"] = …`); a kind nobody described is still shown, generically.
EventSentence = Callable[[dict, str], str]

EVENT_SENTENCES: dict[str, EventSentence] = {
    "created": lambda d, actor: _("%(actor)s created the project.", actor=actor),
    "edited": lambda d, actor: _("%(actor)s edited the project's title, description or buildings.", actor=actor),
    "stage_moved": lambda d, actor: _("%(actor)s moved the project from %(old)s to %(new)s.", actor=actor,
                                      old=stage_label(d.get("from", "")), new=stage_label(d.get("to", ""))),
    "proposal_accepted": lambda d, actor: _("%(actor)s accepted the proposal “%(title)s” into this project.",
                                            actor=actor, title=d.get("title", "")),
    "proposal_merged": lambda d, actor: _("%(actor)s merged the proposal “%(title)s” into this project as a "
                                          "duplicate.", actor=actor, title=d.get("title", "")),
    "design_published": lambda d, actor: _("%(actor)s published design option %(label)s “%(title)s” (v%(number)s).",
                                           actor=actor, label=d.get("label", ""), title=d.get("title", ""),
                                           number=d.get("number", "")),
    "design_version": lambda d, actor: _("%(actor)s uploaded v%(number)s of design option %(label)s.", actor=actor,
                                         label=d.get("label", ""), number=d.get("number", "")),
}


def event_sentence(kind: str, detail: dict | None, actor: str | None) -> str:
    """Plain text (the template escapes it); user text such as a reason is shown apart from the sentence."""
    actor = actor or _("Someone")
    describe = EVENT_SENTENCES.get(kind)
    if describe is None:
        return _("%(actor)s: %(what)s", actor=actor, what=kind.replace("_", " "))
    return describe(detail or {}, actor)
