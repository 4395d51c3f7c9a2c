"""One reader per kind of file; each returns the kind-specific parts of a :class:`~..content.FileContent`.

A reader is ``read(data: bytes, name: str, limits: FileLimits) -> dict`` with the keys ``text``,
``metadata``, ``tables``, ``details``, ``ocr`` and ``warnings`` (any of them may be missing). The
caps that apply to the kind are checked inside the reader, before the step they protect::

    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS
    >>> from sqlalchemy_syda.files.readers import text
    >>> text.read_text(b"Dear customer, thank you.", "letter.txt", DEFAULT_LIMITS)
    {'text': 'Dear customer, thank you.', 'metadata': {'lines': 1, 'characters': 25, 'words': 4}}
"""
