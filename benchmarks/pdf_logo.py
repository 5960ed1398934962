"""What a force's logo adds to a print: CPU ms of `pdf.html_to_pdf` with and without one.

Run as `.venv/bin/python benchmarks/pdf_logo.py`. None of the seed forces has a logo, so
benchmarks/pdf.py does not show it; here one seed profile (County Constabulary's first, or
BENCHMARK_FORCE's) is printed without a logo, with a 600 × 220 PNG with transparency (the
largest a stored logo is, logos.PRINT_BOX) and with the same logo as a JPEG on white, each
logo as printed (its image kept from print to print, `pdf.kept_images`) and as WeasyPrint
alone prints it (made again on every print). The prints take turns, RUNS rounds, each after
a collection so that none pays for another's garbage; the table gives each one's median CPU
time (this thread's) and the median of what the logo adds within a round.
"""

import gc
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="pdf-logo-benchmark-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK}/benchmark.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["MEDIA_ROOT"] = f"{WORK}/media"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from profiles import logos  # noqa: E402
from profiles.models import RoleProfile  # noqa: E402
from profiles.printing import pdf  # noqa: E402

RUNS = int(os.environ.get("BENCHMARK_RUNS", "15"))
FORCE = os.environ.get("BENCHMARK_FORCE", "county-constabulary")


def logo_image():
    """A 600 × 220 crest shaded in gradients and a name, on a transparent ground."""
    width, height = logos.PRINT_BOX
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    shading = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((width, height)),
            Image.radial_gradient("L").resize((width, height)),
            Image.new("L", (width, height), 110),
        ),
    )
    crest = Image.new("L", (width, height), 0)
    ImageDraw.Draw(crest).ellipse((10, 10, 200, 210), fill=255)
    ImageDraw.Draw(crest).rounded_rectangle((150, 40, 590, 180), radius=30, fill=150)
    image.paste(shading, mask=crest)
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 200, 210), outline=(200, 160, 40, 255), width=8)
    draw.polygon([(105, 40), (160, 110), (105, 180), (50, 110)], fill=(255, 255, 255, 230))
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", 44)
    draw.text((220, 60), "County", font=font, fill=(255, 255, 255, 255))
    draw.text((220, 120), "Constabulary", font=font, fill=(255, 255, 255, 220))
    return image


def png_logo():
    out = io.BytesIO()
    logo_image().save(out, "PNG", optimize=True)  # as logos.scaled stores a scaled PNG
    return out.getvalue()


def jpeg_logo():
    image = logo_image()
    ground = Image.new("RGB", image.size, (255, 255, 255))
    ground.paste(image, mask=image.getchannel("A"))
    out = io.BytesIO()
    ground.save(out, "JPEG", quality=90)  # as logos.scaled stores a scaled JPEG
    return out.getvalue()


def load_seed_force():
    settings.PDF_RENDER_AFTER_SAVE = False
    call_command("migrate", verbosity=0, interactive=False)
    national = sorted(str(path) for path in (ROOT / "fixtures/national").glob("*.json"))
    if national:
        call_command("loaddata", *national, verbosity=0)
    call_command("load_force", str(ROOT / f"fixtures/forces/{FORCE}.json"), verbosity=0)


def html_with_logo(profile, name, data):
    force = profile.force
    if data is None:
        force.logo = ""
    else:
        force.logo.save(name, ContentFile(data), save=False)
    force.save()
    profile.force = force
    return pdf.render_html(profile)


def cpu_ms(html, keep):
    pdf.kept_images = pdf_kept_images if keep else lambda html: (html, {})
    gc.collect()
    start = time.thread_time()
    pdf.html_to_pdf(html)
    return (time.thread_time() - start) * 1000


pdf_kept_images = pdf.kept_images


def main():
    load_seed_force()
    profile = RoleProfile.objects.select_related("force").filter(force__slug=FORCE).first()
    png = html_with_logo(profile, "logo.png", png_logo())
    jpeg = html_with_logo(profile, "logo.jpg", jpeg_logo())
    prints = {
        "no logo": (html_with_logo(profile, None, None), True),
        "PNG, kept": (png, True),
        "PNG, not kept": (png, False),
        "JPEG, kept": (jpeg, True),
        "JPEG, not kept": (jpeg, False),
    }
    for html, keep in prints.values():
        cpu_ms(html, keep)  # warm fonts, the layout's CSS and the logo's image
    times = {name: [] for name in prints}
    for _ in range(RUNS):
        for name, (html, keep) in prints.items():
            times[name].append(cpu_ms(html, keep))
    print(f"{FORCE}/{profile.slug}, CPU ms of pdf.html_to_pdf, median of {RUNS}")
    for name, runs in times.items():
        adds = statistics.median(a - b for a, b in zip(runs, times["no logo"], strict=True))
        print(f"{name:16} {statistics.median(runs):7.1f} ms   the logo adds {adds:5.1f} ms")


if __name__ == "__main__":
    main()
