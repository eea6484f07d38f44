"""Forms of the notifications page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class NoticeSettingsForm(FlaskForm):
    new_in_building = BooleanField(_l("Tell me about new proposals in my building"))
