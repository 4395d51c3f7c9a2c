"""Images: size, format, mode, EXIF, and text by OCR when ``tesseract`` is installed.

The pixel count comes from the header (Pillow opens lazily) and is checked against
``FileLimits.max_pixels`` before the image is decoded; Pillow's own ``DecompressionBombWarning``
is turned into an error as well::

    >>> import io
    >>> from PIL import Image
    >>> from sqlalchemy_syda.files.limits import DEFAULT_LIMITS, FileLimits
    >>> png = io.BytesIO()
    >>> Image.new("RGB", (640, 480), "white").save(png, "PNG")
    >>> read(png.getvalue(), "scan.png", DEFAULT_LIMITS)["metadata"]
    {'width': 640, 'height': 480, 'format': 'PNG', 'mode': 'RGB', 'frames': 1, 'exif': {}}
    >>> read(png.getvalue(), "scan.png", FileLimits(max_pixels=100_000))
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.FileLimitError: 'scan.png' has 307,200 pixels; the limit is 100,000
    (FileLimits.max_pixels). Split the file, or pass a larger FileLimits(max_pixels=...) if it is trusted.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from ...exceptions import FileError, FileLimitError
from ..limits import FileLimits
from ..ocr import ocr_image


def read(data: bytes, name: str, limits: FileLimits) -> dict[str, Any]:
    from PIL import ExifTags, Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise FileLimitError(f"{name!r} is refused as a decompression bomb: {exc}") from None
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise FileError(f"{name!r} is not a readable image: {exc}.") from None
        width, height = image.size
        limits.check(name, "pixels", width * height, "max_pixels")
        try:
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise FileLimitError(f"{name!r} is refused as a decompression bomb: {exc}") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise FileError(f"{name!r} is a damaged image: {exc}.") from None
    exif = {ExifTags.TAGS.get(tag, str(tag)): value for tag, value in image.getexif().items()
            if not isinstance(value, bytes) or len(value) <= 64}
    info = {"width": width, "height": height, "format": image.format, "mode": image.mode,
            "frames": getattr(image, "n_frames", 1)}
    dpi = image.info.get("dpi")
    if dpi:
        info["dpi"] = [float(d) for d in dpi]
    ocr = ocr_image(image if image.mode in ("1", "L", "RGB") else image.convert("RGB"), limits.ocr_seconds)
    warns = []
    if ocr.get("status") == "timeout":
        warns.append(f"OCR stopped after {limits.ocr_seconds} s (FileLimits.ocr_seconds)")
    return {"text": ocr.get("text", ""), "metadata": {**info, "exif": exif}, "details": {"image": info},
            "ocr": ocr, "warnings": warns}
