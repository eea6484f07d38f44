"""How roles and membership kinds are named on pages and in forms: one table each."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from civic.community.models import MemberKind, Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.RESIDENTS_COMMITTEE: _l("Residents' committee (居委会)"),
    Role.OWNERS_COMMITTEE: _l("Owners' committee (业委会)"),
    Role.PROPERTY_MANAGEMENT: _l("Property management (物业)"),
    Role.DESIGNER: _l("Resident designer"),
    Role.BUILDING_LEADER: _l("Building-group leader"),
    Role.EXPERT: _l("Expert reviewer"),
}

KIND_LABELS = {
    MemberKind.OWNER: _l("Owner"),
    MemberKind.FAMILY: _l("Family member"),
    MemberKind.TENANT: _l("Tenant"),
}


def role_label(role: Role | str) -> str:
    """Accepts the enum or its stored value (the audit log keeps values)."""
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return str(role)


def kind_label(kind: MemberKind) -> str:
    return str(KIND_LABELS[kind])
