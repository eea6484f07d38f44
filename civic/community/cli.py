"""`flask community …` commands: create a community, import its roster, make its first administrator."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from civic.accounts.models import User, find_by_username
from civic.clock import utcnow
from civic.community import roster
from civic.community.models import Community, Role, RoleGrant
from civic.extensions import db

community_cli = AppGroup("community", help="Manage communities.")


def _community(slug: str) -> Community:
    community = db.session.execute(db.select(Community).where(Community.slug == slug)).scalar_one_or_none()
    if community is None:
        raise click.ClickException(f"No community with slug {slug!r}.")
    return community


@community_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--street", default="")
@click.option("--district", default="")
def create(slug: str, name: str, street: str, district: str) -> None:
    """Create a community (居民区)."""
    if db.session.execute(db.select(Community).where(Community.slug == slug)).first():
        raise click.ClickException(f"A community with slug {slug!r} exists already.")
    db.session.add(Community(slug=slug, name=name, street=street, district=district))
    db.session.commit()
    click.echo(f"Created {name} at /c/{slug}/")


@community_cli.command("import-roster")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_roster(slug: str, csv_file: Path) -> None:
    """Import households from CSV (building, room, area_m2[, grid]); all or nothing."""
    community = _community(slug)
    try:
        rows = roster.parse(csv_file.read_bytes())
        result = roster.import_rows(community, rows, None, utcnow())
        db.session.commit()
    except roster.RosterError as error:
        db.session.rollback()
        for line, problem in error.problems:
            click.echo(f"第 {line} 行：{problem}" if line else problem, err=True)
        raise click.ClickException(f"{len(error.problems)} 处错误，未导入任何内容。") from None
    click.echo(f"新楼栋 {result.buildings_added}，新住户 {result.households_added}，"
               f"面积更新 {result.areas_updated}，未变 {result.unchanged}。")


@community_cli.command("add-admin")
@click.argument("slug")
@click.argument("username")
@click.option("--display-name", default=None, help="For a new account.")
@click.password_option(help="For a new account.", prompt_required=False)
def add_admin(slug: str, username: str, display_name: str | None, password: str | None) -> None:
    """Make USERNAME an administrator of the community, creating the account if needed."""
    community = _community(slug)
    user = find_by_username(username)
    if user is None:
        if not password:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        user = User(username=username, display_name=display_name or username)
        user.set_password(password)
        db.session.add(user)
    if not any(g.role is Role.ADMIN and g.community_id == community.id for g in user.role_grants):
        db.session.add(RoleGrant(community=community, user=user, role=Role.ADMIN))
    db.session.commit()
    click.echo(f"{username} is an administrator of {community.name}.")
