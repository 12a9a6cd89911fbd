"""Checks for uploaded files: by content, not by name, and by size."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Formats a browser shows safely as <img>; SVG is left out because it can carry scripts.
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_IMAGE_PIXELS = 25_000_000


def validate_image_upload(upload, *, max_bytes: int) -> str:
    """Raise ValidationError unless ``upload`` is a PNG, JPEG or WebP within ``max_bytes``.

    Returns the content type read from the file's content.
    """
    from PIL import Image, UnidentifiedImageError

    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(max)s).") % {"max": filesizeformat(max_bytes)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not a valid image. PNG, JPEG and WebP are allowed.")
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Only images in PNG, JPEG or WebP format are allowed."))
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("The image has too many pixels."))
    return IMAGE_FORMATS[image_format]
