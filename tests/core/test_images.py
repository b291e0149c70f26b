"""Decoding every supported format and surviving every bad input of issue 2."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from viewer.core.errors import ImageLoadError
from viewer.core.images import MAX_PIXELS, decode_image, from_array, to_uint8
from viewer.core.samples import SAMPLES, load_sample

RGB = np.array(
    [[[255, 0, 0], [0, 255, 0], [0, 0, 255]], [[255, 255, 255], [0, 0, 0], [128, 64, 32]]], np.uint8
)


def _save(tmp_path, name, image: Image.Image, **kwargs):
    path = tmp_path / name
    image.save(path, **kwargs)
    return path


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("x.png", "PNG"), ("x.bmp", "BMP"), ("x.tif", "TIFF"), ("x.webp", "WEBP"), ("x.gif", "GIF")],
)
def test_lossless_formats_decode_exactly(tmp_path, name, fmt):
    kwargs = {"lossless": True} if fmt == "WEBP" else {}
    source = Image.fromarray(RGB)
    if fmt == "GIF":
        source = source.quantize(colors=8)  # GIF is a palette format; these 6 colours fit
    path = _save(tmp_path, name, source, **kwargs)
    image = decode_image(path)
    assert image.pixels.dtype == np.float32 and image.pixels.shape == (2, 3, 3)
    assert image.pixels.flags.c_contiguous
    np.testing.assert_array_equal(to_uint8(image.pixels), RGB)
    assert image.source_format.startswith(fmt)


def test_jpeg_decodes_close(tmp_path):
    smooth = np.tile(np.linspace(0, 255, 64, dtype=np.uint8)[None, :, None], (64, 1, 3))
    path = _save(tmp_path, "x.jpg", Image.fromarray(smooth), quality=95)
    image = decode_image(path)
    assert np.abs(image.to_uint8().astype(int) - smooth).max() <= 6
    assert image.source_format == "JPEG, 8-bit RGB"


def test_gif_uses_first_frame(tmp_path):
    frames = [Image.new("RGB", (4, 4), c) for c in ((255, 0, 0), (0, 0, 255))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    np.testing.assert_allclose(decode_image(path).pixels[0, 0], [1, 0, 0], atol=1 / 255)


def test_exif_orientation_applied(tmp_path):
    array = np.zeros((2, 4, 3), np.uint8)
    array[0, 0] = 255  # white top-left of a 4-wide, 2-tall image
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    path = _save(tmp_path, "rot.jpg", Image.fromarray(array), exif=exif, quality=100)
    image = decode_image(path)
    assert image.pixels.shape[:2] == (4, 2)
    assert image.pixels[0, 1].mean() > 0.8  # the white corner is now top-right


def test_grayscale_becomes_three_equal_channels(tmp_path):
    path = _save(tmp_path, "g.png", Image.fromarray(np.array([[0, 128, 255]], np.uint8), mode="L"))
    image = decode_image(path)
    np.testing.assert_allclose(image.pixels[0, :, 0], [0, 128 / 255, 1], atol=1e-6)
    assert np.all(image.pixels[..., 0] == image.pixels[..., 2])
    assert image.source_format == "PNG, 8-bit grayscale"


def test_sixteen_bit_grayscale_png(tmp_path):
    values = np.array([[0, 1000, 65535]], np.uint16)
    path = _save(tmp_path, "g16.png", Image.fromarray(values))
    image = decode_image(path)
    np.testing.assert_allclose(image.pixels[0, :, 1], values[0] / 65535, atol=1e-6)
    assert "16-bit" in image.source_format


def test_sixteen_bit_png_with_small_values_is_not_mistaken_for_8_bit(tmp_path):
    values = np.array([[0, 100, 200]], np.uint16)
    image = decode_image(_save(tmp_path, "dark16.png", Image.fromarray(values)))
    np.testing.assert_allclose(image.pixels[0, :, 0], values[0] / 65535, atol=1e-7)


def _png16(path, values: np.ndarray, greyscale: bool, alpha: bool):
    """A 16-bit PNG written by pypng (Pillow cannot write 16-bit colour)."""
    import png

    h, w, planes = values.shape
    writer = png.Writer(w, h, greyscale=greyscale, alpha=alpha, bitdepth=16)
    with open(path, "wb") as handle:
        writer.write(handle, values.reshape(h, w * planes).tolist())
    return path


def test_sixteen_bit_rgb_png_keeps_every_bit(tmp_path):
    values = np.array([[[1000, 2000, 65535], [0, 1, 40000]], [[65534, 3, 300], [7, 7, 7]]], np.uint16)
    image = decode_image(_png16(tmp_path / "rgb16.png", values, greyscale=False, alpha=False))
    assert image.source_format == "PNG, 16-bit RGB"
    np.testing.assert_allclose(image.pixels, values / 65535, atol=1e-7)
    assert image.pixels.dtype == np.float32 and image.pixels.flags.c_contiguous


def test_sixteen_bit_rgba_and_gray_alpha_pngs_are_composited_on_white(tmp_path):
    rgba = np.array([[[1000, 2000, 3000, 65535], [1000, 2000, 3000, 0], [0, 0, 0, 32768]]], np.uint16)
    image = decode_image(_png16(tmp_path / "rgba16.png", rgba, greyscale=False, alpha=True))
    assert image.source_format == "PNG, 16-bit RGBA"
    alpha = rgba[..., 3:] / 65535
    np.testing.assert_allclose(image.pixels, rgba[..., :3] / 65535 * alpha + (1 - alpha), atol=1e-6)
    la = np.array([[[1000, 65535], [1000, 0]]], np.uint16)
    image = decode_image(_png16(tmp_path / "la16.png", la, greyscale=True, alpha=True))
    assert image.source_format == "PNG, 16-bit grayscale with alpha"
    np.testing.assert_allclose(image.pixels[0, :, 1], [1000 / 65535, 1.0], atol=1e-6)


def test_a_large_sixteen_bit_rgb_png_is_downscaled_and_a_truncated_one_refused(tmp_path):
    values = (np.arange(60 * 40 * 3, dtype=np.uint32) * 37 % 65536).astype(np.uint16).reshape(40, 60, 3)
    path = _png16(tmp_path / "big16.png", values, greyscale=False, alpha=False)
    image = decode_image(path, max_side=30)
    assert (image.width, image.height) == (30, 20) and "Downscaled from 60x40" in image.note
    assert image.source_format == "PNG, 16-bit RGB"
    cut = tmp_path / "cut16.png"
    cut.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ImageLoadError, match="damaged or truncated"):
        decode_image(cut)


def test_rgba_composited_on_white(tmp_path):
    rgba = np.array([[[255, 0, 0, 255], [255, 0, 0, 0], [0, 0, 0, 128]]], np.uint8)
    image = decode_image(_save(tmp_path, "a.png", Image.fromarray(rgba, mode="RGBA")))
    np.testing.assert_allclose(image.pixels[0, 0], [1, 0, 0], atol=1 / 255)
    np.testing.assert_allclose(image.pixels[0, 1], [1, 1, 1], atol=1 / 255)  # transparent -> white
    np.testing.assert_allclose(image.pixels[0, 2], [127 / 255] * 3, atol=2 / 255)
    assert image.source_format == "PNG, 8-bit RGBA"


def test_palette_with_transparency(tmp_path):
    palette_image = Image.new("P", (2, 1))
    palette_image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    palette_image.putpixel((1, 0), 1)
    path = _save(tmp_path, "p.png", palette_image, transparency=1)
    image = decode_image(path)
    np.testing.assert_allclose(image.pixels[0, 0], [1, 0, 0], atol=1 / 255)
    np.testing.assert_allclose(image.pixels[0, 1], [1, 1, 1], atol=1 / 255)


def test_cmyk_jpeg(tmp_path):
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # pure red in CMYK
    image = decode_image(_save(tmp_path, "c.jpg", cmyk, quality=100))
    assert image.source_format == "JPEG, CMYK"
    red, green, blue = image.pixels[4, 4]
    assert red > 0.9 and green < 0.1 and blue < 0.1


def test_one_by_one(tmp_path):
    image = decode_image(_save(tmp_path, "one.png", Image.new("RGB", (1, 1), (10, 20, 30))))
    assert image.pixels.shape == (1, 1, 3)


def test_non_ascii_path(tmp_path):
    folder = tmp_path / "données-写真"
    folder.mkdir()
    image = decode_image(_save(folder, "chat-été.png", Image.fromarray(RGB)))
    assert image.name == "chat-été.png"


def test_large_image_downscaled_with_note(tmp_path):
    path = _save(tmp_path, "big.png", Image.new("L", (3000, 1000), 90))
    image = decode_image(path, max_side=600)
    assert image.pixels.shape == (200, 600, 3)
    assert "3000x1000" in image.note


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("this is not an image\n"), "not an image"),
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "folder"),
    ],
    ids=["zero-bytes", "text-named-png", "missing", "directory"],
)
def test_bad_files_give_clear_messages(tmp_path, make, fragment):
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(ImageLoadError, match=fragment):
        decode_image(path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_files(tmp_path, fmt):
    noise = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format=fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ImageLoadError, match="damaged or truncated"):
        decode_image(path)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but holds almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def test_decompression_bomb_refused_before_allocation(tmp_path):
    import tracemalloc

    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(100_000, 100_000))
    tracemalloc.start()
    try:
        with pytest.raises(ImageLoadError, match="too large"):
            decode_image(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000  # nowhere near the 30 GB the header claims
    assert 100_000 * 100_000 > MAX_PIXELS


def test_unreadable_permission(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read files without read permission")
    path = _save(tmp_path, "locked.png", Image.fromarray(RGB))
    path.chmod(0)
    with pytest.raises(ImageLoadError, match="permission"):
        decode_image(path)


def test_every_bundled_sample_loads():
    for entry in SAMPLES:
        image = load_sample(entry.stem)
        assert image.pixels.dtype == np.float32
        assert max(image.width, image.height) <= 512
        assert 0.0 <= image.pixels.min() and image.pixels.max() <= 1.0
    assert load_sample("grid_5x5").pixels.shape == (5, 5, 3)


def test_from_array_accepts_uint8_and_gray():
    image = from_array(np.full((2, 2), 255, np.uint8), "white")
    assert image.pixels.shape == (2, 2, 3) and image.pixels.max() == 1.0
    with pytest.raises(ImageLoadError):
        from_array(np.zeros((2, 2, 5)), "odd")


def test_luminance_matches_pillow(tmp_path):
    image = decode_image(_save(tmp_path, "c.png", Image.fromarray(RGB)))
    expected = np.asarray(Image.fromarray(RGB).convert("L"), np.float32) / 255
    np.testing.assert_allclose(image.plane("luminance"), expected, atol=1 / 255)


def test_image_argument_is_a_file_or_a_sample_stem(tmp_path, monkeypatch):
    from viewer.core.samples import load_image_or_sample

    assert load_image_or_sample("cat").name == "Cat"
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (3, 2)).save(tmp_path / "cat", format="PNG")  # a file of that name wins
    assert load_image_or_sample("cat").pixels.shape == (2, 3, 3)
    with pytest.raises(ImageLoadError, match="does not exist"):
        load_image_or_sample("no-such-sample-or-file")


def test_planes_of_every_channel():
    from viewer.core.images import CHANNELS, PLANES

    rng = np.random.default_rng(3)
    image = from_array(rng.random((4, 5, 3), dtype=np.float32), "noise")
    for channel in CHANNELS:
        planes = image.planes(channel)
        assert planes.shape == image.planes_shape(channel) and planes.dtype == np.float32
    np.testing.assert_array_equal(image.planes("rgb"), np.transpose(image.pixels, (2, 0, 1)))
    for index, channel in enumerate(PLANES[1:]):
        np.testing.assert_array_equal(image.plane(channel), image.pixels[:, :, index])
    np.testing.assert_allclose(image.plane("luminance"), image.pixels @ np.array([0.299, 0.587, 0.114]), rtol=1e-6)


def test_the_unsupported_format_message_names_every_format_read(tmp_path):
    path = tmp_path / "x.dat"
    path.write_text("this is not an image\n")
    with pytest.raises(ImageLoadError) as caught:
        decode_image(path)
    assert all(name in str(caught.value) for name in ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WebP", "PPM"))
    ppm = tmp_path / "x.ppm"
    Image.fromarray(RGB).save(ppm)
    assert decode_image(ppm).source_format.startswith("PPM")
