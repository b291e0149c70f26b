"""The sample images bundled in viewer/resources/samples/, so that the app is never empty."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
    purpose: str
    photo: bool

    @property
    def path(self) -> Path:
        return SAMPLES_DIR / self.filename


SAMPLES: tuple[Sample, ...] = (
    Sample("astronaut", "astronaut.jpg", "Astronaut", "A portrait with faces, flags and fine texture.", True),
    Sample("cat", "cat.jpg", "Cat", "Fur texture and whiskers: many orientations of edges.", True),
    Sample("coffee", "coffee.jpg", "Coffee", "Smooth gradients and round shapes.", True),
    Sample("camera", "camera.jpg", "Camera", "A grayscale photograph with strong contrast.", True),
    Sample("vertical_edge", "vertical_edge.png", "Vertical edge", "One vertical edge: Sobel x fires, Sobel y does not.", False),
    Sample("checkerboard", "checkerboard.png", "Checkerboard", "Edges in both directions and corners.", False),
    Sample("stripes", "stripes.png", "Stripes", "Stripes of four frequencies: watch pooling alias the finest.", False),
    Sample("texture_patch", "texture_patch.png", "Texture patch", "Texture on a smooth background: max pooling keeps the texture, average the background.", False),
    Sample("grid_5x5", "grid_5x5.png", "5x5 grid", "The course's 5x5 numeric input.", False),
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
