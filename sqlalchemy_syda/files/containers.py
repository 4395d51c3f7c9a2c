"""Zip containers (.xlsx, .docx) checked before any library parses them.

Two checks run on the central directory and the XML prologs only, so a hostile file costs almost
nothing to refuse:

* **Bombs**: the entry count, the declared uncompressed size of all entries together, and the
  compression ratio of each large entry. Python's zip reader never inflates an entry past its
  declared size (and fails on a CRC mismatch), so checking the declared sizes bounds the real ones.
* **XML entities**: every ``.xml`` / ``.rels`` part is parsed with defusedxml up to its root element;
  a DTD (where entity declarations and external references live) is refused. Office files never
  carry one.

::

    >>> import io, zipfile
    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> check_container(shop_xlsx, "shop.xlsx", DEFAULT_LIMITS)        # an ordinary workbook: nothing to say
    >>> def container(member, content):
    ...     out = io.BytesIO()
    ...     with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    ...         archive.writestr(member, content)
    ...     return out.getvalue()
    >>> check_container(container("xl/sharedStrings.xml", bytes(4 << 20)), "bomb.xlsx", DEFAULT_LIMITS)
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.UnsafeFileError: 'bomb.xlsx' looks like a zip bomb: its entry
    'xl/sharedStrings.xml' inflates ... times (... -> 4,194,304 bytes); the limit is 200
    (FileLimits.max_compression_ratio).
    >>> xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    >>> check_container(container("word/document.xml", xxe), "letter.docx", DEFAULT_LIMITS)
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.UnsafeFileError: 'letter.docx' is refused: its part 'word/document.xml'
    declares a DTD or entities (an XML external entity attack; Office files never contain one).
"""

from __future__ import annotations

import io
import zipfile

from ..exceptions import FileError, UnsafeFileError
from .limits import FileLimits

__all__ = ["check_container"]

_LARGE_ENTRY = 1 << 20


def check_container(data: bytes, filename: str, limits: FileLimits) -> None:
    """Refuse a zip container that is a bomb or whose XML parts declare a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileError(f"{filename!r} is not a valid zip container; it may be truncated.") from None
    entries = archive.infolist()
    limits.check(filename, "zip entries", len(entries), "max_zip_entries")
    total = sum(e.file_size for e in entries)
    limits.check(filename, "bytes uncompressed", total, "max_uncompressed_bytes")
    for entry in entries:
        if entry.file_size > _LARGE_ENTRY:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise UnsafeFileError(
                    f"{filename!r} looks like a zip bomb: its entry {entry.filename!r} inflates "
                    f"{ratio:,.0f} times ({entry.compress_size:,} -> {entry.file_size:,} bytes); the limit is "
                    f"{limits.max_compression_ratio} (FileLimits.max_compression_ratio).")
        if entry.flag_bits & 0x1:
            raise FileError(f"{filename!r} is encrypted (entry {entry.filename!r}); save it without a password.")
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(entry) as part:
                _refuse_dtd(part, filename, entry.filename)


def _refuse_dtd(part, filename: str, member: str) -> None:
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _ in iterparse(part, events=("start",), forbid_dtd=True):
            return  # the root element started: no DTD can follow
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise UnsafeFileError(f"{filename!r} is refused: its part {member!r} declares a DTD or entities "
                              "(an XML external entity attack; Office files never contain one).") from None
    except ParseError as exc:
        raise FileError(f"{filename!r} is damaged: its part {member!r} is not well-formed XML ({exc}).") from None
