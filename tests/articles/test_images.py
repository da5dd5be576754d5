"""Pictures: no EXIF (GPS included) in anything served; renditions sized for a phone."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def jpeg_with_gps(width=2400, height=1350) -> bytes:
    image = PILImage.new("RGB", (width, height))
    # Some texture, so the sizes are those of a photo rather than of a flat colour.
    for x in range(0, width, 40):
        for y in range(0, height, 40):
            image.paste(((x * 7) % 255, (y * 3) % 255, (x + y) % 255), (x, y, x + 40, y + 40))
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (53.0, 47.0, 59.0), "W", (1.0, 32.0, 51.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=92)
    return out.getvalue()


@pytest.fixture
def photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = jpeg_with_gps()
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return get_image_model().objects.create(
        title="Hamstring stretch on a mat",
        file=SimpleUploadedFile("stretch.jpg", data, content_type="image/jpeg"),
    )


def _no_metadata(path) -> None:
    with PILImage.open(path) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825), path
        assert 0x010F not in exif, path
        assert "exif" not in image.info, path


def test_the_stored_original_and_every_rendition_have_no_exif(photo):
    _no_metadata(photo.file.path)
    for spec in (
        "fill-390x219|format-jpeg",
        "fill-390x219|format-webp",
        "max-780x1560|format-avif",
    ):
        _no_metadata(photo.get_rendition(spec).file.path)


def test_the_hero_is_a_responsive_picture_under_60_kb_on_a_phone(client, photo):
    article = ArticleFactory(hero_image=photo, hero_image_alt="A person stretching on a mat")
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
    assert 'sizes="' in picture and "srcset=" in picture
    img = re.search(r"<img[^>]+>", picture).group(0)
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'alt="A person stretching on a mat"' in picture
    smallest = photo.get_rendition("fill-390x219|format-webp")
    assert smallest.file.size < 60 * 1024
    assert "/original_images/" not in html
