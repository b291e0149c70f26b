"""Decoding image files into the one pixel format the app works with.

Every page works on RGB float32 in [0, 1], shape (H, W, 3), C-contiguous. Whatever the file
holds (grayscale, palette, RGBA, CMYK, 16-bit...) is converted here, once, and the original
format is kept as text for the status bar. Anything that cannot be read raises
:class:`~viewer.core.errors.ImageLoadError` with a message for the user.
"""

from __future__ import annotations

import os
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from zlib import error as zlib_error

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from viewer.core.errors import ImageLoadError
from viewer.core.i18n import QT_TRANSLATE_NOOP

#: Files claiming more pixels than this are refused before any pixel memory is allocated.
MAX_PIXELS = 64_000_000
#: Accepted images larger than this (longest side) are downscaled on load: no page needs more,
#: and it keeps every computation interactive.
MAX_SIDE = 2048
#: Formats the decoder is allowed to try; others are refused rather than guessed.
SUPPORTED_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP", "PPM")
#: How messages name them (Pillow's PPM plugin reads PGM and PBM too).
SUPPORTED_FORMAT_NAMES = "PNG, JPEG, BMP, GIF, TIFF, WebP or PPM/PGM"
FILE_DIALOG_FILTER = QT_TRANSLATE_NOOP("MainWindow", "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm)")
#: The channels of an image a page can take as its input: one plane, or "rgb" for all three.
CHANNELS = ("luminance", "red", "green", "blue", "rgb")
#: The single planes (pooling works on one map at a time).
PLANES = CHANNELS[:4]
#: Other names the command line accepts for them.
CHANNEL_ALIASES = {"gray": "luminance", "grey": "luminance", "all": "rgb"}

# Our own check runs first and gives a clearer message; Pillow's stays as a backstop.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class DecodedImage:
    """An image ready for the pages: RGB float32 pixels plus where they came from."""

    pixels: np.ndarray = field(repr=False)
    """(H, W, 3) float32 in [0, 1], C-contiguous."""
    name: str
    """Short name to show (file name or sample name)."""
    source_format: str
    """What the file held, e.g. ``"PNG, 16-bit grayscale"``."""
    path: Path | None = None
    note: str = ""
    """Anything the user should know about the conversion (e.g. that it was downscaled)."""

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    def plane(self, channel: str) -> np.ndarray:
        """One of :data:`PLANES` as (H, W) float32: the luminance (ITU-R 601 weights, as
        Pillow's ``convert("L")``) or one colour."""
        if channel == "luminance":
            return np.ascontiguousarray(self.pixels @ np.array([0.299, 0.587, 0.114], np.float32))
        return np.ascontiguousarray(self.pixels[:, :, PLANES.index(channel) - 1])

    def planes(self, channel: str) -> np.ndarray:
        """One of :data:`CHANNELS` as (C, H, W) float32: one plane, or the three colours for "rgb"."""
        if channel == "rgb":
            return np.ascontiguousarray(np.transpose(self.pixels, (2, 0, 1)))
        return self.plane(channel)[None]

    def planes_shape(self, channel: str) -> tuple[int, int, int]:
        """The shape :meth:`planes` gives, without computing it."""
        return (3 if channel == "rgb" else 1, self.height, self.width)

    def to_uint8(self) -> np.ndarray:
        """(H, W, 3) uint8, for display and export."""
        return to_uint8(self.pixels)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Float pixels in [0, 1] to uint8 with rounding (values outside are clipped)."""
    return np.clip(np.rint(np.asarray(pixels, np.float32) * 255.0), 0, 255).astype(np.uint8)


_MODE_NAMES = {
    "1": "1-bit black and white",
    "L": "8-bit grayscale",
    "LA": "8-bit grayscale with alpha",
    "P": "palette",
    "PA": "palette with alpha",
    "RGB": "8-bit RGB",
    "RGBA": "8-bit RGBA",
    "RGBX": "8-bit RGB",
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "LAB": "Lab",
    "HSV": "HSV",
    "I": "32-bit integer grayscale",
    "F": "32-bit float grayscale",
    "I;16": "16-bit grayscale",
    "I;16B": "16-bit grayscale",
    "I;16L": "16-bit grayscale",
    "I;16N": "16-bit grayscale",
}


def describe_mode(image: Image.Image) -> str:
    """Human-readable pixel format, e.g. ``"PNG, 16-bit grayscale"``."""
    fmt = image.format or "image"
    mode = _MODE_NAMES.get(image.mode, image.mode)
    if image.mode == "I" and fmt == "PNG":
        mode = "16-bit grayscale"  # Pillow opens 16-bit grayscale PNGs as mode "I"
    elif _sixteen_bit_colour(image):
        mode = _sixteen_bit_colour(image)
    return f"{fmt}, {mode}"


def decode_image(path: str | os.PathLike[str], *, max_side: int = MAX_SIDE) -> DecodedImage:
    """Read an image file into a :class:`DecodedImage`.

    The header is checked before any pixel is decoded, so a file claiming an absurd size is
    refused without allocating memory. EXIF orientation is applied; the first frame of an
    animation is used.

    Raises
    ------
    ImageLoadError
        Missing path, directory, empty or truncated file, not an image, unsupported format,
        or more than :data:`MAX_PIXELS` pixels.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': the file does not exist.").format(name))
    if path.is_dir():
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': it is a folder, not an image file.").format(name))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': {1}.").format(name, exc.strerror or exc)) from None
    if size == 0:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': the file is empty (0 bytes).").format(name))
    try:
        with open(path, "rb") as handle:
            return _decode_handle(handle, name, path, max_side)
    except ImageLoadError:
        raise
    except PermissionError:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': permission denied.").format(name)) from None
    except OSError as exc:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot read '{0}': {1}.").format(name, exc)) from None


def _decode_handle(handle, name: str, path: Path, max_side: int) -> DecodedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle, formats=SUPPORTED_FORMATS)
    except UnidentifiedImageError:
        raise ImageLoadError(QT_TRANSLATE_NOOP(
            "UserError", "Cannot open '{0}': it is not an image in a supported format ({1})."
        ).format(name, SUPPORTED_FORMAT_NAMES)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageLoadError(_too_large_message(name, None)) from None
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, struct.error, IndexError, KeyError) as exc:
        # a damaged header: Pillow's plugins fail in all these ways (a truncated tRNS chunk, a PPM
        # header that ends early...), each a sentence of its own below
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot read '{0}': the file is damaged or truncated ({1}).").format(name, _short(exc))) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot open '{0}': the image has no pixels ({1}x{2}).").format(name, width, height))
    if width * height > MAX_PIXELS:
        raise ImageLoadError(_too_large_message(name, (width, height)))
    source_format = describe_mode(image)
    sixteen_bit = image.mode.startswith("I;16") or (image.mode == "I" and image.format == "PNG")
    if _sixteen_bit_colour(image):
        return _decode_16_bit_colour_png(handle, image, source_format, path, max_side)
    note = ""
    try:
        image.seek(0)
        if max(width, height) > max_side and image.format == "JPEG":
            # Let the JPEG decoder skip detail we will throw away anyway: much less memory.
            image.draft("RGB", (max_side, max_side))
        image.load()
        image = ImageOps.exif_transpose(image)
        if max(image.size) > max_side:
            # Downscale in Pillow, before the float conversion multiplies the memory by 4.
            image, note = _downscale(image, max_side, (width, height))
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, struct.error, IndexError, KeyError) as exc:
        raise ImageLoadError(QT_TRANSLATE_NOOP(
            "UserError", "Cannot read '{0}': the file is damaged or truncated ({1})."
        ).format(name, _short(exc))) from None
    pixels = _to_rgb_float(image, sixteen_bit)
    return DecodedImage(np.ascontiguousarray(pixels), name, source_format, path, note)


#: What Pillow reads 16-bit colour PNGs as (its raw mode), and how the status bar names them.
_SIXTEEN_BIT_COLOUR = {"RGB;16B": "16-bit RGB", "RGBA;16B": "16-bit RGBA", "LA;16B": "16-bit grayscale with alpha"}


def _sixteen_bit_colour(image: Image.Image) -> str | None:
    """The name of a PNG's 16-bit colour or alpha format, which Pillow would cut to 8 bits; None
    for any other image (its pixels not read yet)."""
    if image.format != "PNG" or len(image.tile) != 1:
        return None
    return _SIXTEEN_BIT_COLOUR.get(str(image.tile[0].args))


def _decode_16_bit_colour_png(handle, image: Image.Image, source_format: str, path: Path, max_side: int) -> DecodedImage:
    """Every 16 bits of an RGB, RGBA or grayscale-with-alpha PNG, read with pypng.

    Pillow has no 16-bit colour mode and keeps only the high byte (1000/65535 would come back
    as 3/255). The planes then go through Pillow as 32-bit float images for EXIF orientation
    and downscaling, like any other image.
    """
    import png

    name = path.name
    try:
        handle.seek(0)
        width, height, rows, info = png.Reader(file=handle).asDirect()
        values = np.vstack([np.asarray(row, np.uint16) for row in rows]).astype(np.float32) / 65535.0
        values = values.reshape(height, width, info["planes"])
        if info["bitdepth"] != 16 or values.shape[2] not in (2, 3, 4):  # a header edited since Pillow read it
            raise ValueError(f"{info['bitdepth']}-bit, {values.shape[2]} planes")
    except (png.Error, ValueError, EOFError, OSError, zlib_error, struct.error, MemoryError) as exc:
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot read '{0}': the file is damaged or truncated ({1}).").format(name, _short(exc))) from None
    if info["alpha"]:  # composited on white, as 8-bit images are
        alpha = values[:, :, -1:]
        values = values[:, :, :-1] * alpha + (1.0 - alpha)
    if values.shape[2] == 1:
        values = np.repeat(values, 3, axis=2)
    planes = [Image.fromarray(np.ascontiguousarray(values[:, :, i]), "F") for i in range(3)]
    orientation = image.getexif().get(0x0112, 1)
    planes = [_orient(plane, orientation) for plane in planes]
    note = ""
    if max(planes[0].size) > max_side:
        resized = [_downscale(plane, max_side, (width, height)) for plane in planes]
        planes, note = [plane for plane, _ in resized], resized[0][1]
    pixels = np.clip(np.stack([np.asarray(plane, np.float32) for plane in planes], axis=2), 0.0, 1.0)
    return DecodedImage(np.ascontiguousarray(pixels), name, source_format, path, note)


def _orient(plane: Image.Image, orientation: int) -> Image.Image:
    """``plane`` turned as the EXIF orientation tag says (what ``ImageOps.exif_transpose`` does)."""
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    return plane if method is None else plane.transpose(method)


def _too_large_message(name: str, size: tuple[int, int] | None) -> str:
    if size:
        return QT_TRANSLATE_NOOP(
            "UserError",
            "Cannot open '{0}': the image is too large ({1} x {2} pixels). The limit is {3} megapixels; "
            "resize it first.",
        ).format(name, size[0], size[1], MAX_PIXELS // 1_000_000)
    return QT_TRANSLATE_NOOP(
        "UserError", "Cannot open '{0}': the image is too large. The limit is {1} megapixels; resize it first."
    ).format(name, MAX_PIXELS // 1_000_000)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _to_rgb_float(image: Image.Image, sixteen_bit: bool = False) -> np.ndarray:
    """Any Pillow mode to (H, W, 3) float32 in [0, 1]; alpha is composited on white."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        data = np.asarray(image, dtype=np.float64)
        scale = 65535.0 if (sixteen_bit or data.max(initial=0) > 255) else 255.0
        gray = np.clip(data / scale, 0.0, 1.0).astype(np.float32)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode == "F":
        # NaN and infinities (a damaged or odd float TIFF) count as 0; the rest is scaled to
        # [0, 1] in float64, where the range of float32 values cannot overflow
        with np.errstate(invalid="ignore"):  # a damaged file's bit patterns may be NaN
            data = np.asarray(image, dtype=np.float64)
        data = np.where(np.isfinite(data), data, 0.0)
        low, high = float(data.min(initial=0.0)), float(data.max(initial=0.0))
        if low < 0.0 or high > 1.0:
            data = (data - low) / (high - low) if high > low else np.zeros_like(data)
        return np.repeat(np.clip(data, 0.0, 1.0)[:, :, None], 3, axis=2).astype(np.float32)
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    elif mode != "RGB":
        image = image.convert("RGB")
    return np.asarray(image, dtype=np.float32) / 255.0


def _downscale(image: Image.Image, max_side: int, original: tuple[int, int]) -> tuple[Image.Image, str]:
    """Shrink so the longest side is ``max_side``, in a mode Pillow can resample."""
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode.startswith("I;16"):
        image = image.convert("I")
    elif image.mode not in ("L", "LA", "RGB", "RGBA", "I", "F"):
        image = image.convert("RGB")
    w, h = image.size
    scale = max_side / max(w, h)
    new_size = (max(1, round(w * scale)), max(1, round(h * scale)))
    image = image.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    note = f"Downscaled from {original[0]}x{original[1]} to {new_size[0]}x{new_size[1]} pixels."
    return image, note


def from_array(pixels: np.ndarray, name: str, source_format: str = "array") -> DecodedImage:
    """Wrap an array (H, W), (H, W, 3) or (H, W, 4) of floats in [0, 1] or uint8 as an image."""
    array = np.asarray(pixels)
    if array.dtype == np.uint8:
        array = array.astype(np.float32) / 255.0
    array = array.astype(np.float32)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ImageLoadError(QT_TRANSLATE_NOOP("UserError", "Cannot use an array of shape {0} as an image.").format(array.shape))
    if array.shape[2] == 4:
        alpha = array[:, :, 3:4]
        array = array[:, :, :3] * alpha + (1.0 - alpha)
    return DecodedImage(np.ascontiguousarray(np.clip(array, 0.0, 1.0)), name, source_format)
