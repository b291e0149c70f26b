"""The sample images bundled in viewer/resources/samples/, so that the app is never empty."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.resources import resource_path

if TYPE_CHECKING:
    from viewer.core.images import DecodedImage

SAMPLES_DIR = resource_path("samples")


@dataclass(frozen=True)
class Sample:
    """One bundled image: its file stem, a title and what it is good for."""

    stem: str
    filename: str
    title: str
    """English title and purpose, translated where they are shown (context "samples")."""
    purpose: str
    photo: bool

    @property
    def path(self) -> Path:
        return SAMPLES_DIR / self.filename


SAMPLES: tuple[Sample, ...] = (
    Sample("astronaut", "astronaut.jpg", QT_TRANSLATE_NOOP("samples", "Astronaut"), QT_TRANSLATE_NOOP("samples", "A portrait with faces, flags and fine texture."), True),
    Sample("cat", "cat.jpg", QT_TRANSLATE_NOOP("samples", "Cat"), QT_TRANSLATE_NOOP("samples", "Fur texture and whiskers: many orientations of edges."), True),
    Sample("coffee", "coffee.jpg", QT_TRANSLATE_NOOP("samples", "Coffee"), QT_TRANSLATE_NOOP("samples", "Smooth gradients and round shapes."), True),
    Sample("camera", "camera.jpg", QT_TRANSLATE_NOOP("samples", "Camera"), QT_TRANSLATE_NOOP("samples", "A grayscale photograph with strong contrast."), True),
    Sample("vertical_edge", "vertical_edge.png", QT_TRANSLATE_NOOP("samples", "Vertical edge"), QT_TRANSLATE_NOOP("samples", "One vertical edge: Sobel x fires, Sobel y does not."), False),
    Sample("checkerboard", "checkerboard.png", QT_TRANSLATE_NOOP("samples", "Checkerboard"), QT_TRANSLATE_NOOP("samples", "Edges in both directions and corners."), False),
    Sample("stripes", "stripes.png", QT_TRANSLATE_NOOP("samples", "Stripes"), QT_TRANSLATE_NOOP("samples", "Stripes of four frequencies: watch pooling alias the finest."), False),
    Sample("texture_patch", "texture_patch.png", QT_TRANSLATE_NOOP("samples", "Texture patch"), QT_TRANSLATE_NOOP("samples", "Texture on a smooth background: max pooling keeps the texture, average the background."), False),
    Sample("grid_5x5", "grid_5x5.png", QT_TRANSLATE_NOOP("samples", "5x5 grid"), QT_TRANSLATE_NOOP("samples", "The course's 5x5 numeric input."), False),
)

DEFAULT_SAMPLE = "astronaut"


def sample(stem: str) -> Sample:
    """The bundled sample with this stem; ``KeyError`` names the valid ones."""
    for entry in SAMPLES:
        if entry.stem == stem:
            return entry
    raise KeyError(f"no sample {stem!r}; choose one of {', '.join(s.stem for s in SAMPLES)}")


def load_sample(stem: str = DEFAULT_SAMPLE) -> DecodedImage:
    """Decode a bundled sample; its name is the sample's title."""
    from viewer.core.images import DecodedImage, decode_image

    entry = sample(stem)
    image = decode_image(entry.path)
    return DecodedImage(image.pixels, entry.title, image.source_format, entry.path, image.note)


def load_image_or_sample(text: str) -> DecodedImage:
    """An image file, or a bundled sample by stem (``astronaut``) when no such file exists.

    The headless commands take either in ``--image``; a file of that name wins.
    """
    from viewer.core.images import decode_image

    if text in {s.stem for s in SAMPLES} and not Path(text).exists():
        return load_sample(text)
    return decode_image(text)
