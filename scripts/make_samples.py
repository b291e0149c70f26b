"""Regenerate the bundled sample images in viewer/resources/samples/.

The synthetic images are drawn here, deterministically, for teaching: each isolates one thing a
convolution or pooling layer reacts to. The photographs come from scikit-image's data folder
(public domain / CC0, see viewer/resources/samples/LICENSES.md); pass ``--photos DIR`` pointing at a
``skimage/data`` folder to re-import them, downsized to at most 512 px.

    python scripts/make_samples.py [--photos path/to/skimage/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "viewer" / "resources" / "samples"
SIZE = 128
PHOTOS = {"astronaut.png": "astronaut.jpg", "chelsea.png": "cat.jpg", "coffee.png": "coffee.jpg", "camera.png": "camera.jpg"}
#: photographs that are grayscale at the source, stored as such (the status bar reports it)
GRAYSCALE_PHOTOS = {"camera.png"}


def vertical_edge() -> np.ndarray:
    """Dark left half, bright right half: Sobel-x lights up one column, Sobel-y nothing."""
    image = np.full((SIZE, SIZE), 40, np.uint8)
    image[:, SIZE // 2 :] = 215
    return image


def checkerboard(square: int = 16) -> np.ndarray:
    """Squares of 16 px: edges in both directions and corners."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    return np.where(((yy // square) + (xx // square)) % 2 == 0, 230, 25).astype(np.uint8)


def stripes() -> np.ndarray:
    """Four bands of vertical stripes, periods 32, 16, 8 and 4 px: pooling aliases the finest."""
    image = np.zeros((SIZE, SIZE), np.uint8)
    xx = np.arange(SIZE)
    for band, period in enumerate((32, 16, 8, 4)):
        rows = slice(band * SIZE // 4, (band + 1) * SIZE // 4)
        image[rows, :] = np.where((xx // (period // 2)) % 2 == 0, 220, 35)[None, :]
    return image


def texture_patch() -> np.ndarray:
    """A high-contrast random texture in the centre of a smooth gradient.

    Max pooling keeps the texture's peaks; average pooling keeps the smooth background and
    washes the texture to grey: the course's contrast between the two.
    """
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / (SIZE - 1)
    background = 60 + 90 * (0.6 * xx + 0.4 * yy)
    texture = rng.choice([10.0, 245.0], size=(SIZE, SIZE), p=[0.7, 0.3])
    mask = (np.abs(yy - 0.5) < 0.25) & (np.abs(xx - 0.5) < 0.25)
    return np.where(mask, texture, background).round().astype(np.uint8)


def grid_5x5() -> np.ndarray:
    """The course's 5x5 numeric input: small integers (pixel value / 255 in the app)."""
    values = np.array(
        [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], np.uint8
    )
    return values * 255


SYNTHETIC = {
    "vertical_edge.png": vertical_edge,
    "checkerboard.png": checkerboard,
    "stripes.png": stripes,
    "texture_patch.png": texture_patch,
    "grid_5x5.png": grid_5x5,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=Path, help="a skimage/data folder to import the photographs from")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in SYNTHETIC.items():
        Image.fromarray(draw(), mode="L").save(OUT / name, optimize=True)
        print("wrote", OUT / name)
    if args.photos:
        for source, target in PHOTOS.items():
            image = Image.open(args.photos / source).convert("L" if source in GRAYSCALE_PHOTOS else "RGB")
            image.thumbnail((512, 512), Image.Resampling.LANCZOS)
            image.save(OUT / target, quality=90, optimize=True)
            print("wrote", OUT / target, image.size)


if __name__ == "__main__":
    main()
