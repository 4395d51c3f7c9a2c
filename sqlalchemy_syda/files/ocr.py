"""Text in images through the ``tesseract`` binary (Debian's ``tesseract-ocr``), with a time cap.

With tesseract installed, an image of the words "INVOICE 4711" (PIL's default font at size 48)::

    ocr_image(image, seconds=30)   # {'available': True, 'status': 'ok', 'text': 'INVOICE 4711', 'seconds_cap': 30}

OCR is optional: without the binary (or without pytesseract) the result says so instead of failing::

    >>> import pytesseract
    >>> from PIL import Image
    >>> installed, pytesseract.pytesseract.tesseract_cmd = pytesseract.pytesseract.tesseract_cmd, "no-such-tesseract"
    >>> ocr_image(Image.new("L", (600, 120), 255), seconds=30)
    {'available': False, 'reason': "the 'tesseract' program is not installed (apt-get install tesseract-ocr
    tesseract-ocr-eng)"}
    >>> pytesseract.pytesseract.tesseract_cmd = installed
"""

from __future__ import annotations

import shutil
from typing import Any

__all__ = ["ocr_image", "ocr_status"]


def ocr_status() -> dict[str, Any]:
    """``{"available": True}``, or ``{"available": False, "reason": ...}``."""
    try:
        import pytesseract
    except ImportError:
        return {"available": False, "reason": "pytesseract is not installed (pip install 'sqlalchemy-syda[files]')"}
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return {"available": False,
                "reason": "the 'tesseract' program is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"}
    return {"available": True}


def ocr_image(image: Any, seconds: float, lang: str = "eng") -> dict[str, Any]:
    """OCR one PIL image; a run longer than ``seconds`` is stopped and reported as ``status: timeout``."""
    status = ocr_status()
    if not status["available"]:
        return status
    import pytesseract

    try:
        text = pytesseract.image_to_string(image, lang=lang, timeout=seconds)
    except RuntimeError as exc:  # pytesseract's way of saying the process was killed at the timeout
        if "timeout" in str(exc).lower():
            return {"available": True, "status": "timeout", "text": "", "seconds_cap": seconds}
        raise
    except pytesseract.TesseractError as exc:
        return {"available": True, "status": "error", "text": "", "error": str(exc.message or exc).strip()}
    return {"available": True, "status": "ok", "text": text.strip(), "seconds_cap": seconds}
