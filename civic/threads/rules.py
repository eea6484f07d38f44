"""Who may do what with a comment, and when: pure predicates over a Standing, the comment and the clock."""
from __future__ import annotations

from datetime import datetime, timedelta

from civic.community.rules import Standing
from civic.threads.models import Comment, Thread

EDIT_WINDOW = timedelta(minutes=15)
BODY_MAX = 5_000
QUOTE_MAX = 120


def is_comment_author(st: Standing, comment: Comment) -> bool:
    return st.user_id is not None and comment.author_id == st.user_id


def is_within_edit_window(comment: Comment, now: datetime) -> bool:
    return now - comment.created_at <= EDIT_WINDOW


def can_edit_comment(st: Standing, comment: Comment, now: datetime) -> bool:
    """The author, for 15 minutes after posting, while the comment is neither withdrawn nor hidden."""
    return (is_comment_author(st, comment) and not comment.is_withdrawn and not comment.is_hidden
            and is_within_edit_window(comment, now))


def can_withdraw_comment(st: Standing, comment: Comment) -> bool:
    """The author, at any time (a hidden comment too: it is theirs to take back)."""
    return is_comment_author(st, comment) and not comment.is_withdrawn


def can_read_comment_text(st: Standing, comment: Comment) -> bool:
    """Withdrawn text is gone for everyone; hidden text stays readable by its author and the committee."""
    if comment.is_withdrawn:
        return False
    return not comment.is_hidden or is_comment_author(st, comment) or st.is_committee


def is_quotable(comment: Comment) -> bool:
    """Only text everyone may read can be quoted (a quote is a copy others will see)."""
    return not comment.is_withdrawn and not comment.is_hidden


def is_open_for_comments(thread: Thread, is_discussable: bool) -> bool:
    return is_discussable and not thread.is_locked


def can_post_comment(st: Standing, thread: Thread, is_discussable: bool) -> bool:
    return (st.user_id is not None and st.is_member and thread.community_id == st.community_id
            and is_open_for_comments(thread, is_discussable))
