"""Design options (方案) of a project, their immutable numbered versions with files and spec sheets, and pins."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import _enum
from civic.extensions import db
from civic.threads.models import Comment, Thread


class FileKind(enum.Enum):
    IMAGE = "image"
    PDF = "pdf"


class DesignOption(db.Model):
    """方案A, 方案B … of one project. Private (designers and committee) until published; never unpublished."""

    __tablename__ = "design_options"
    __table_args__ = (UniqueConstraint("project_id", "label", name="uq_design_options_project_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), unique=True)
    label: Mapped[str] = mapped_column(String(4))  # "A", "B", … shown as 方案A
    title: Mapped[str] = mapped_column(String(80))  # a short description: "东侧绿地，封闭式厢房"
    summary_md: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on write by civic.web.markdown
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    version_count: Mapped[int] = mapped_column(default=0)  # the current version's number (0: no version yet)
    last_version_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)  # comments touch it (threads.owners)

    thread: Mapped[Thread] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[DesignVersion]] = relationship(back_populates="option", order_by="DesignVersion.number",
                                                         cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def name(self) -> str:
        return f"方案{self.label}"


class DesignVersion(db.Model):
    """v1, v2 … of an option: files, a change note and the spec sheet as it was. Never edited once created."""

    __tablename__ = "design_versions"
    __table_args__ = (
        UniqueConstraint("option_id", "number", name="uq_design_versions_option_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("design_options.id", ondelete="CASCADE"))
    number: Mapped[int]
    change_note_md: Mapped[str] = mapped_column(Text, default="")
    change_note_html: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The spec sheet as it was at this version (None: not given). Money and areas are exact decimals.
    cost_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    capacity: Mapped[int | None]
    capacity_unit: Mapped[str] = mapped_column(String(20), default="")  # 充电位, 个桶位, 个座位
    build_days: Mapped[int | None]
    yearly_fee_yuan: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # per household per year
    spec_notes: Mapped[str] = mapped_column(String(500), default="")  # plain text, escaped on output

    option: Mapped[DesignOption] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    files: Mapped[list[DesignFile]] = relationship(back_populates="version", order_by="DesignFile.position",
                                                   cascade="all, delete-orphan")

    @property
    def tag(self) -> str:
        return f"v{self.number}"

    @property
    def cover(self) -> DesignFile | None:
        """The first file that has a picture (an image, or a PDF with a first-page preview)."""
        return next((f for f in self.files if f.picture_name), None)


class DesignFile(db.Model):
    """One uploaded file of a version, stored by civic.web.uploads under random names."""

    __tablename__ = "design_files"
    __table_args__ = (UniqueConstraint("version_id", "position", name="uq_design_files_version_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[FileKind] = mapped_column(_enum(FileKind))
    name: Mapped[str] = mapped_column(String(64), unique=True)  # the stored file (the image, or the PDF)
    # The picture shown for this file: the image itself, or a PDF's first-page preview ("" when none).
    picture_name: Mapped[str] = mapped_column(String(64), default="")
    phone_name: Mapped[str] = mapped_column(String(64), default="")  # thumbnails of the picture
    desktop_name: Mapped[str] = mapped_column(String(64), default="")
    width: Mapped[int] = mapped_column(default=0)  # of the picture
    height: Mapped[int] = mapped_column(default=0)
    page_count: Mapped[int] = mapped_column(default=0)  # PDFs only
    byte_size: Mapped[int] = mapped_column(default=0)
    original_filename: Mapped[str] = mapped_column(String(200), default="")  # cleaned, for display only

    version: Mapped[DesignVersion] = relationship(back_populates="files")


class Pin(db.Model):
    """A numbered point on a version's picture with a comment; x and y are fractions so any display size works."""

    __tablename__ = "design_pins"
    __table_args__ = (
        UniqueConstraint("version_id", "number", name="uq_design_pins_version_number"),
        CheckConstraint("x >= 0 AND x <= 1 AND y >= 0 AND y <= 1", name="inside_picture"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("design_files.id", ondelete="CASCADE"))
    number: Mapped[int]
    x: Mapped[Decimal] = mapped_column(Numeric(6, 5))
    y: Mapped[Decimal] = mapped_column(Numeric(6, 5))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship()
    file: Mapped[DesignFile] = relationship()


class CommentVersion(db.Model):
    """A comment in an option's thread that is about one version (pinned or not)."""

    __tablename__ = "design_comment_versions"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id", ondelete="CASCADE"), index=True)


class AddressedComment(db.Model):
    """"Addressed in v5": a later version answers a comment (or a pin's comment). Once per comment."""

    __tablename__ = "design_addressed_comments"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id", ondelete="CASCADE"), index=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[DesignVersion] = relationship()


class OptionVisit(db.Model):
    """The newest version a member had seen of an option: what is new since they last looked."""

    __tablename__ = "design_option_visits"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("design_options.id", ondelete="CASCADE"), primary_key=True)
    seen_version: Mapped[int] = mapped_column(default=0)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

