"""API keys: ``syda_<id>_<secret>``, stored as the SHA-256 of the secret, shown once.

The secret is 32 random bytes, so a plain SHA-256 is the right hash (a password hash would only
slow every request down); the id lets a lookup find the row without scanning. Roles are ordered:
``read`` < ``generate`` < ``admin``. A key with no project is a server administrator's::

    >>> token, row = new_key(project_id=1, role="generate")
    >>> parse_token(token)[0] == row.id
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from .models import ApiKey, utcnow

__all__ = ["ROLES", "bootstrap_key_id", "hash_secret", "new_key", "parse_token", "role_allows", "verify"]

ROLES = ("read", "generate", "admin")
_TOKEN = re.compile(r"syda_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key(*, project_id: int | None, role: str, name: str | None = None, expires_at: dt.datetime | None = None,
            created_by: str | None = None) -> tuple[str, ApiKey]:
    """A new key: the token to show once, and the row to store (without the secret)."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    row = ApiKey(id=key_id, project_id=project_id, role=role, name=name, secret_sha256=hash_secret(secret),
                 created_at=utcnow(), expires_at=expires_at, created_by=created_by)
    return f"syda_{key_id}_{secret}", row


def parse_token(token: str) -> tuple[str, str] | None:
    """``(key id, secret)`` of a well-formed token, else None."""
    m = _TOKEN.fullmatch(token.strip())
    return (m.group(1), m.group(2)) if m else None


def bootstrap_key_id(token: str) -> str:
    """The fixed id of the administrator key given by ``SYDA_SERVICE_ADMIN_KEY`` (any string)."""
    parsed = parse_token(token)
    return parsed[0] if parsed else hashlib.sha256(b"syda-admin:" + token.encode()).hexdigest()[:16]


def verify(row: ApiKey | None, secret: str, now: dt.datetime | None = None) -> str | None:
    """None when the key is usable, else why not (unknown, wrong secret, revoked, expired)."""
    if row is None or not hmac.compare_digest(row.secret_sha256, hash_secret(secret)):
        return "unknown API key"
    if row.revoked_at is not None:
        return f"API key {row.id} was revoked"
    if row.expires_at is not None and row.expires_at <= (now or utcnow()):
        return f"API key {row.id} expired at {row.expires_at.isoformat()}Z"
    return None


def role_allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)
