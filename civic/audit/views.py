"""The community's audit log page."""
from __future__ import annotations

from flask import g, render_template
from sqlalchemy.orm import selectinload

from civic.audit import bp
from civic.audit.models import AuditEvent
from civic.community import rules
from civic.extensions import db
from civic.web.query_args import page_arg
from civic.web.access import community_member, require

PAGE_SIZE = 50


@bp.get("/<slug>/audit")
@community_member
def show(community):
    require(rules.can_read_audit(g.standing))
    page = page_arg()
    events = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.community_id == community.id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    return render_template("audit/show.html", community=community, events=events[:PAGE_SIZE],
                           has_more=len(events) > PAGE_SIZE, page=page)
