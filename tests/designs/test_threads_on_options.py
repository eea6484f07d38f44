"""Comments on a design option use the thread machinery: the designer hears of them, search never sees them."""
from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.extensions import db
from civic.notices.links import item_url, thread_owners
from civic.notices.models import NoticeKind, Notification
from civic.search.models import SearchDocument
from civic.threads import owners, services
from civic.threads.models import ThreadKind


def _post(dworld, option, user, body="门口离7号楼窗户太近了"):
    owner = owners.owner_of(option.thread)
    comment = services.post_comment(option.thread, owner, author=user, standing=standing_of(user, dworld.community),
                                    body=body, opinion=None, now=utcnow())
    db.session.commit()
    return owner, comment


def test_a_comment_on_an_option_notifies_its_designer_with_a_link_to_the_option(app, dworld, make_option):
    option = make_option(versions=1)
    owner, comment = _post(dworld, option, dworld.resident)
    assert owner.kind is ThreadKind.DESIGN and owner.option_id == option.id and owner.author_id == dworld.designer.id
    notice = db.session.execute(db.select(Notification).where(Notification.user_id == dworld.designer.id)).scalar_one()
    assert notice.kind is NoticeKind.COMMENT and notice.option_id == option.id
    with app.test_request_context():
        assert item_url(dworld.community.slug, option_id=option.id, comment_id=comment.id).endswith(
            f"/designs/{option.id}#comment-{comment.id}")
    assert thread_owners([option.thread_id])[option.thread_id].option_id == option.id


def test_comments_on_options_stay_out_of_search(dworld, make_option):
    option = make_option(versions=1)
    _, comment = _post(dworld, option, dworld.resident)
    assert db.session.execute(db.select(SearchDocument).where(SearchDocument.kind == "comment",
                                                              SearchDocument.object_id == comment.id)).first() is None


def test_a_private_option_cannot_be_discussed_and_is_invisible_to_residents(dworld, make_option):
    option = make_option(versions=1, published=False)
    owner = owners.owner_of(option.thread)
    assert not owners.is_discussable(owner)
    assert not owners.can_view_owner(standing_of(dworld.resident, dworld.community), owner)
    assert owners.can_view_owner(standing_of(dworld.designer, dworld.community), owner)
    assert not owners.can_view_owner(standing_of(dworld.outsider, dworld.community), owner)
