"""Pictures uploaded to Wagtail's image library lose their metadata before they are stored.

A photo from a phone carries EXIF: the camera, the time and often where it was taken (GPS).
The original file is re-encoded without any of it (turned upright first, as the EXIF asked),
so neither the original nor any rendition made from it can leak a location. Pages only ever
show renditions (resized copies in AVIF, WebP and JPEG).
"""

import io
import logging

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

logger = logging.getLogger(__name__)

_SAVE_AS = {"JPEG": ("JPEG", {"quality": 90, "optimize": True}), "PNG": ("PNG", {}),
            "WEBP": ("WEBP", {"quality": 90}), "AVIF": ("AVIF", {"quality": 80})}  # fmt: skip


def image_strip_metadata(data: bytes) -> bytes:
    """``data`` re-encoded in its own format with no EXIF, XMP or comments."""
    with PILImage.open(io.BytesIO(data)) as original:
        fmt, options = _SAVE_AS.get(original.format, ("PNG", {}))
        image = ImageOps.exif_transpose(original)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        icc_profile = image.info.get("icc_profile")
        image.info = {}  # nothing read from the upload is written back, but the colour profile
        out = io.BytesIO()
        image.save(out, fmt, **options, **({"icc_profile": icc_profile} if icc_profile else {}))
    return out.getvalue()


def strip_uploaded_image_metadata(sender, instance, **kwargs) -> None:
    """``pre_save`` of Wagtail's image model: clean a newly uploaded file before it is stored."""
    file = instance.file
    if not file or getattr(file, "_committed", True):
        return
    file.seek(0)
    data = file.read()
    try:
        cleaned = image_strip_metadata(data)
    except (OSError, ValueError):
        logger.warning("Could not re-encode an uploaded picture", exc_info=True)
        raise
    instance.file = ContentFile(cleaned, name=file.name.rsplit("/", 1)[-1])
    instance.file_size = len(cleaned)
