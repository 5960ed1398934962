"""A force's logo: checked when it is uploaded (bytes, pixels, format), scaled once to the size
it is printed at, and read back for printing within the same bounds.

The pixel count is read from the image's header before anything is decoded, so a small file
that would decode to gigabytes (12,000 × 12,000 pixels in 41 KB) is refused for what it would
cost, not after.
"""

import io
import warnings

from django.core.files.base import ContentFile
from PIL import Image

MAX_BYTES = 2 * 2**20
MAX_PIXELS = 25_000_000
# The PDF prints a logo at most 45 mm wide and 16 mm high (templates/pdf/base.html): about
# 340 dots an inch at this size.
PRINT_BOX = (600, 220)
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


class LogoRefused(ValueError):
    pass


def _megabytes(size):
    return f"{size / 2**20:.1f} MB"


def open_checked(data):
    """The image in `data`, header read and checked, not yet decoded; or LogoRefused."""
    if len(data) > MAX_BYTES:
        raise LogoRefused(
            f"The logo is {_megabytes(len(data))}; at most {_megabytes(MAX_BYTES)}. Save it "
            f"smaller: it is printed at about {PRINT_BOX[0]} × {PRINT_BOX[1]} pixels."
        )
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower than Pillow's warning threshold.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, Image.DecompressionBombError):
            raise LogoRefused(
                f"The logo has too many pixels; at most {MAX_PIXELS:,}. Save it at about "
                f"{PRINT_BOX[0]} × {PRINT_BOX[1]} pixels."
            ) from None
        raise LogoRefused(
            "The logo is not an image this site can read: use a PNG or a JPEG."
        ) from None
    if image.format not in FORMATS:
        raise LogoRefused(
            f"The logo is a {image.format} image; use a PNG, JPEG, GIF or WebP (no SVG)."
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise LogoRefused(
            f"The logo is {width:,} × {height:,} pixels; at most {MAX_PIXELS:,} pixels in all. "
            f"Save it at about {PRINT_BOX[0]} × {PRINT_BOX[1]} pixels, the size it is printed at."
        )
    return image


DAMAGED = "The logo is a damaged image: save it again and upload it."


def scaled(data, strict=True):
    """(bytes, content type) of the logo scaled down to fit PRINT_BOX, or LogoRefused.

    `strict` (an upload) also refuses a damaged file: a checksum that does not match, a file
    cut short. WeasyPrint makes Pillow decode truncated images without a word, so only
    verify() finds them; a logo stored already (strict=False) is printed as it decodes.
    """
    image = open_checked(data)
    if strict:
        try:
            image.verify()
        except Exception:  # Pillow raises many kinds for a damaged file
            raise LogoRefused(DAMAGED) from None
        image = open_checked(data)
    content_type = FORMATS[image.format]
    if image.width <= PRINT_BOX[0] and image.height <= PRINT_BOX[1]:
        try:
            image.load()  # small, within PRINT_BOX: decoding it costs little
        except (OSError, SyntaxError, ValueError):
            raise LogoRefused(DAMAGED) from None
        return data, content_type
    try:
        image.draft("RGB", PRINT_BOX)  # JPEG: decode at a fraction of the size
        image.thumbnail(PRINT_BOX)
    except (OSError, SyntaxError, ValueError):
        raise LogoRefused(DAMAGED) from None
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, "JPEG", quality=90)
        return out.getvalue(), "image/jpeg"
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"


def prepare_upload(uploaded):
    """The uploaded logo as the file to store: checked, and scaled to the printed size."""
    data = uploaded.read(MAX_BYTES + 1)
    content, content_type = scaled(data)
    stem = uploaded.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "logo"
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}.get(
        content_type, "webp"
    )
    return ContentFile(content, name=f"{stem}.{extension}")
