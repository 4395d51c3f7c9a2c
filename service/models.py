"""The service's own state, as SQLAlchemy models (the schema itself comes from ``service/migrations``).

Project → API key (hashed) → upload / profile → job (+ per-table progress) → artifact, and the
append-only event log (the seed document's "transactions", the audit trail)::

    >>> with Session(engine) as s:
    ...     s.scalars(select(Event).where(Event.project_id == 1).order_by(Event.id)).all()

Times are naive UTC. Events hold hashes, counts and outcomes, never row data; the database refuses
UPDATE and DELETE on them (triggers created by the first migration).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["ApiKey", "Artifact", "Base", "Event", "Job", "JobProgress", "Profile", "Project", "Upload", "utcnow"]

TERMINAL = ("succeeded", "failed", "canceled", "lost")
STATUSES = ("queued", "running", *TERMINAL)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: sa.JSON, list[Any]: sa.JSON}


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(63), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    default_seed: Mapped[int | None] = mapped_column(sa.BigInteger)
    default_format: Mapped[str] = mapped_column(sa.String(16), default="json")
    retention_days: Mapped[int | None]
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    request_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id"))
    """None: a server administrator's key (every project)."""
    role: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str | None] = mapped_column(sa.String(100))
    secret_sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(sa.String(32))
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    project: Mapped[Project | None] = relationship()


class Upload(Base):
    """An uploaded file (a *source*): stored under the data directory, known by its hash."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Profile(Base):
    """A learned profile (the JSON the learning feature writes), kept per project."""

    __tablename__ = "profiles"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[dict[str, Any]]
    job_id: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(16), default="queued", index=True)
    params: Mapped[dict[str, Any]]
    input_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_by: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    worker_pid: Mapped[int | None]
    worker_host: Mapped[str | None] = mapped_column(sa.String(255))
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(sa.Text)
    error_type: Mapped[str | None] = mapped_column(sa.String(100))
    result: Mapped[dict[str, Any] | None]

    project: Mapped[Project] = relationship()
    progress: Mapped[list[JobProgress]] = relationship(order_by="JobProgress.position", lazy="selectin")
    artifacts: Mapped[list[Artifact]] = relationship(order_by="Artifact.created_at", lazy="selectin",
                                                     viewonly=True)


class JobProgress(Base):
    __tablename__ = "job_progress"

    job_id: Mapped[str] = mapped_column(sa.ForeignKey("jobs.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    rows_total: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Artifact(Base):
    __tablename__ = "artifacts"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.ForeignKey("jobs.id"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"))
    name: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    recipe: Mapped[dict[str, Any]]
    """What made it: the job kind, its parameters (seed included) and which output: enough to make it again."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    deleted_at: Mapped[dt.datetime | None]
    """Set when the file was removed (expired); the artifact can be regenerated."""


class Event(Base):
    """One operation and its outcome: who, what (route, resource, input hash, row counts), when."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    key_id: Mapped[str | None] = mapped_column(sa.String(32))
    operation: Mapped[str] = mapped_column(sa.String(64))
    route: Mapped[str | None] = mapped_column(sa.String(200))
    resource: Mapped[str | None] = mapped_column(sa.String(200))
    input_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    rows: Mapped[int | None] = mapped_column(sa.BigInteger)
    counts: Mapped[dict[str, Any] | None]
    outcome: Mapped[str] = mapped_column(sa.String(16))
    status_code: Mapped[int | None]
    error_type: Mapped[str | None] = mapped_column(sa.String(100))
