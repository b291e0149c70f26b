"""The robustness campaign: mutated images, random lab settings, malformed weight files.

Every case must end in a result that holds up (finite numbers, the sizes the formulas promise,
PyTorch's own numbers on small cases) or in a refusal whose message is a sentence for the user
(a :class:`~viewer.core.errors.UserError`, or a page model's ``Refusal``). Anything else is a
finding: an exception of another kind, a message that is a library's internals, a NaN on the
way to the screen, a case that takes too long. Findings are printed with the case that made
them and written to ``--out`` so that they can be replayed.

    python scripts/fuzz.py                          # the full campaign (about 10-20 minutes)
    python scripts/fuzz.py --images 300 --settings 300 --weights 40 --seed 1

The suite runs a short seeded version (``tests/models/test_fuzz.py``).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import signal
import struct
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core.errors import UserError  # noqa: E402

#: A case slower than this is a finding (the GUI runs these in workers, but a user waits).
SLOW_S = 30.0
#: Words that betray a library's internal message instead of a sentence.
INTERNALS = ("Traceback", "enforce fail", "inline_container", ".cc:", ".cpp", "object at 0x", "<built-in", "PytorchStreamReader")


@dataclass(frozen=True)
class Finding:
    campaign: str
    case: str
    problem: str


@dataclass
class Tally:
    """How many cases were tried, how each ended, and what went wrong."""

    campaign: str
    tried: int = 0
    results: int = 0
    refused: int = 0
    findings: list[Finding] = field(default_factory=list)
    slowest_s: float = 0.0
    slowest_case: str = ""

    def found(self, case: str, problem: str) -> None:
        self.findings.append(Finding(self.campaign, case, problem))


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout


def is_sentence(message: str) -> bool:
    """A message a student can read: words, one line, no library internals."""
    return len(message) >= 12 and " " in message and "\n" not in message and not any(w in message for w in INTERNALS)


def run_case(tally: Tally, case: str, attempt: Callable[[], str | None]) -> None:
    """Run one case: ``attempt`` returns None for a good result, or a problem; a UserError with a
    sentence is a refusal; anything else is a finding."""
    tally.tried += 1
    start = time.perf_counter()
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(int(SLOW_S * 4))
    try:
        problem = attempt()
        refused = False
    except UserError as error:
        refused, problem = True, None if is_sentence(str(error)) else f"not a sentence: {str(error)!r}"
    except _Timeout:
        refused, problem = False, f"no answer within {SLOW_S * 4:.0f} s"
    except Exception as error:  # noqa: BLE001 - that is what the campaign looks for
        refused, problem = False, f"{type(error).__name__}: {error}".splitlines()[0][:300] + " @ " + _where(error)
    finally:
        if use_alarm:
            signal.alarm(0)
    elapsed = time.perf_counter() - start
    if elapsed > tally.slowest_s:
        tally.slowest_s, tally.slowest_case = elapsed, case
    if problem is None and elapsed > SLOW_S:
        problem = f"took {elapsed:.1f} s"
    if problem is not None:
        tally.found(case, problem)
    elif refused:
        tally.refused += 1
    else:
        tally.results += 1


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/viewer/" in f.filename] or frames
    last = ours[-1] if ours else None
    return f"{Path(last.filename).name}:{last.lineno}" if last else "?"


# ------------------------------------------------------------------------------ images


def _seed_images(rng: np.random.Generator) -> list[tuple[str, bytes]]:
    """Small valid files of every format and many modes, to mutate."""
    import png
    from PIL import Image

    files: list[tuple[str, bytes]] = []

    def save(name: str, image: Image.Image, fmt: str, **options) -> None:
        buffer = io.BytesIO()
        image.save(buffer, fmt, **options)
        files.append((name, buffer.getvalue()))

    for w, h in ((1, 1), (7, 5), (64, 48), (300, 200)):
        rgb = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
        save(f"rgb{w}x{h}.png", rgb, "PNG")
        save(f"gray{w}x{h}.png", rgb.convert("L"), "PNG")
        save(f"rgba{w}x{h}.png", rgb.convert("RGBA"), "PNG")
        save(f"p{w}x{h}.png", rgb.convert("P"), "PNG", transparency=0)
        save(f"i16_{w}x{h}.png", Image.fromarray(rng.integers(0, 65536, (h, w), dtype=np.uint16)), "PNG")
        save(f"q{w}x{h}.jpg", rgb, "JPEG", quality=80)
        save(f"prog{w}x{h}.jpg", rgb, "JPEG", progressive=True)
        save(f"cmyk{w}x{h}.jpg", rgb.convert("CMYK"), "JPEG")
        save(f"g{w}x{h}.gif", rgb.convert("P"), "GIF")
        save(f"anim{w}x{h}.gif", rgb.convert("P"), "GIF", save_all=True, append_images=[rgb.rotate(90).convert("P")])
        save(f"l{w}x{h}.webp", rgb, "WEBP", lossless=True)
        save(f"y{w}x{h}.webp", rgb.convert("RGBA"), "WEBP", quality=70)
        for compression in ("raw", "tiff_lzw", "tiff_adobe_deflate", "packbits"):
            save(f"{compression}{w}x{h}.tif", rgb, "TIFF", compression=compression)
        save(f"f32_{w}x{h}.tif", Image.fromarray(rng.standard_normal((h, w)).astype(np.float32)), "TIFF")
        save(f"b{w}x{h}.bmp", rgb, "BMP")
        save(f"pal{w}x{h}.bmp", rgb.convert("P"), "BMP")
        save(f"x{w}x{h}.ppm", rgb, "PPM")
        for planes, alpha, greyscale in ((3, False, False), (4, True, False), (2, True, True)):
            values = rng.integers(0, 65536, (h, w * planes), dtype=np.uint16)
            buffer = io.BytesIO()
            png.Writer(w, h, bitdepth=16, alpha=alpha, greyscale=greyscale, interlace=w > 7).write(buffer, values.tolist())
            files.append((f"png16_{planes}_{w}x{h}.png", buffer.getvalue()))
    return files


_EDGE_INTS = (0, 1, 2, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**32 - 1, 100_000, 30_000)


def _header_edit(name: str, data: bytes, rng: np.random.Generator) -> bytes:
    """Overwrite a field of the format's header with an edge value (CRCs of PNG chunks fixed)."""
    out = bytearray(data)
    value = int(rng.choice(_EDGE_INTS)) if rng.random() < 0.7 else int(rng.integers(0, 2**32))
    suffix = name.rsplit(".", 1)[-1]
    if suffix == "png" and len(out) >= 33:
        field_at = int(rng.choice([16, 20, 24, 25, 26, 27, 28]))  # width, height, depth, type, ...
        if field_at < 24:
            out[field_at : field_at + 4] = struct.pack(">I", value)
        else:
            out[field_at] = value & 0xFF
        if rng.random() < 0.8:
            out[29:33] = struct.pack(">I", zlib.crc32(bytes(out[12:29])) & 0xFFFFFFFF)
    elif suffix == "gif" and len(out) >= 13:
        at = int(rng.choice([6, 8, 10]))
        out[at : at + 2] = struct.pack("<H", value & 0xFFFF)
    elif suffix == "bmp" and len(out) >= 34:
        at = int(rng.choice([2, 10, 14, 18, 22, 28, 30]))
        size = 2 if at == 28 else 4
        out[at : at + size] = (value & (2 ** (8 * size) - 1)).to_bytes(size, "little")
    elif suffix == "jpg":
        sof = data.find(b"\xff\xc0")
        sof = data.find(b"\xff\xc2") if sof < 0 else sof
        if sof >= 0 and sof + 10 < len(out):
            at = sof + int(rng.choice([5, 7, 9]))
            out[at : at + 2] = struct.pack(">H", value & 0xFFFF) if at != sof + 9 else bytes([value & 0xFF, 0])[:2]
    elif suffix == "webp" and len(out) >= 30:
        at = int(rng.choice([4, 16, 26, 28]))
        out[at : at + 2] = struct.pack("<H", value & 0xFFFF)
    elif suffix == "tif" and len(out) >= 16:
        little = out[:2] == b"II"
        ifd = struct.unpack("<I" if little else ">I", bytes(out[4:8]))[0]
        if ifd + 2 < len(out):
            count = struct.unpack("<H" if little else ">H", bytes(out[ifd : ifd + 2]))[0]
            entry = ifd + 2 + 12 * int(rng.integers(0, max(1, min(count, 20))))
            if entry + 12 <= len(out):
                out[entry + 8 : entry + 12] = struct.pack("<I" if little else ">I", value)
    elif suffix == "ppm" and len(out) > 2:
        text = data.split(b"\n", 3)
        if len(text) >= 3:
            text[1] = f"{value} {int(rng.choice(_EDGE_INTS))}".encode()
            return b"\n".join(text)
    return bytes(out)


def mutate(name: str, data: bytes, rng: np.random.Generator) -> tuple[str, bytes]:
    """One mutation of a file: bit flips, a truncation, a header edit, inserted or zeroed bytes."""
    kind = rng.choice(["flip", "flip_head", "truncate", "header", "insert", "zero"], p=[0.25, 0.15, 0.2, 0.25, 0.075, 0.075])
    out = bytearray(data)
    if kind in ("flip", "flip_head"):
        span = min(len(out), 128) if kind == "flip_head" else len(out)
        for _ in range(int(rng.integers(1, 33))):
            i = int(rng.integers(0, span))
            out[i] ^= 1 << int(rng.integers(0, 8))
    elif kind == "truncate":
        out = out[: int(rng.integers(0, len(out)))]
    elif kind == "header":
        out = bytearray(_header_edit(name, data, rng))
    elif kind == "insert":
        i = int(rng.integers(0, len(out) + 1))
        out[i:i] = rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
    else:
        i = int(rng.integers(0, len(out)))
        out[i : i + int(rng.integers(1, 256))] = bytes(min(len(out) - i, 255))
    return str(kind), bytes(out)


def _check_image(image) -> str | None:
    p = image.pixels
    if p.dtype != np.float32 or p.ndim != 3 or p.shape[2] != 3 or not p.flags.c_contiguous:
        return f"pixels {p.dtype} {p.shape}"
    if max(p.shape[:2]) > 2048 or min(p.shape[:2]) < 1:
        return f"size {p.shape}"
    if not np.isfinite(p).all() or p.min() < 0 or p.max() > 1:
        return "pixels not finite or outside [0, 1]"
    if not image.source_format:
        return "no format named"
    return None


def image_campaign(count: int, seed: int, folder: Path) -> Tally:
    from viewer.core.images import decode_image

    rng = np.random.default_rng(seed)
    seeds = _seed_images(rng)
    tally = Tally("images")
    path = folder / "case"
    for i in range(count):
        name, data = seeds[int(rng.integers(0, len(seeds)))]
        kind, mutated = mutate(name, data, rng)
        target = path.with_suffix("." + name.rsplit(".", 1)[-1])
        target.write_bytes(mutated)
        case = f"{i}: {kind} of {name} ({len(mutated)} bytes)"

        def attempt(target=target) -> str | None:
            return _check_image(decode_image(target))

        before = len(tally.findings)
        run_case(tally, case, attempt)
        if len(tally.findings) > before:
            (folder / f"finding_image_{i}_{name}").write_bytes(mutated)
    return tally


# ------------------------------------------------------------------------------ the labs


def _side(rng: np.random.Generator, largest: int = 2048) -> int:
    """1 to ``largest``, log-uniform: most inputs small, some photo-sized."""
    return int(min(largest, max(1, round(math.exp(rng.uniform(0, math.log(largest)))))))


def _values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    kind = rng.choice(["normal", "unit", "zeros", "constant", "huge", "tiny", "mixed", "integers"])
    if kind == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "unit":
        return rng.random(shape, dtype=np.float32)
    if kind == "zeros":
        return np.zeros(shape, np.float32)
    if kind == "constant":
        return np.full(shape, rng.uniform(-5, 5), np.float32)
    if kind == "huge":
        return (rng.standard_normal(shape) * 10 ** rng.uniform(10, 38.5)).clip(-3.4e38, 3.4e38).astype(np.float32)
    if kind == "tiny":
        return (rng.standard_normal(shape) * 1e-40).astype(np.float32)
    if kind == "integers":
        return rng.integers(-3, 4, shape).astype(np.float32)
    values = rng.standard_normal(shape).astype(np.float32)
    values.flat[rng.integers(0, values.size, max(1, values.size // 7))] = np.float32(rng.choice([3.4e38, -3.4e38, 1e-45, 0.0]))
    return values


def _photo(rng: np.random.Generator, h: int, w: int):
    from viewer.core.images import DecodedImage

    pixels = rng.random((h, w, 3), dtype=np.float32) if rng.random() < 0.8 else np.full((h, w, 3), rng.random(), np.float32)
    return DecodedImage(pixels, f"random {h}x{w}", "test")


def _maybe_out_of_range(rng: np.random.Generator, value: int, low: int, high: int) -> int:
    """Mostly ``value``; sometimes just outside the range the controls allow."""
    if rng.random() < 0.04:
        return int(rng.choice([low - 1, high + 1, 0, -1]))
    return value


def _conv_reference(steps) -> np.ndarray:
    import torch
    import torch.nn.functional as F

    g = steps.geometry
    x = torch.from_numpy(np.ascontiguousarray(steps.padded_input))[None]
    k = torch.from_numpy(np.ascontiguousarray(steps.kernel))[None]
    return F.conv2d(x, k, torch.tensor([steps.bias]), g.stride, 0, g.dilation)[0, 0].numpy()


def _check_slide(model) -> str | None:
    slide = model.result
    out = slide.steps.output
    if not np.isfinite(out).all() or not all(math.isfinite(v) for v in slide.levels):
        return "non-finite output or levels"
    sizes = model.output_sizes()
    if tuple(t.size for t in sizes) != out.shape:
        return f"formula says {[t.size for t in sizes]}, output is {out.shape}"
    if slide.input_rgb.dtype != np.uint8 or slide.input_rgb.shape[:2] != slide.steps.padded_input.shape[1:]:
        return "input picture"
    from viewer.core.conv import format_sum

    step = slide.steps[len(slide.steps) // 2]
    text = format_sum(step)
    if "nan" in text.lower() or "inf" in text.lower() or not np.isfinite(step.products).all():
        return f"a step shows {text[:80]}"
    if out.size <= 4096 and slide.steps.kernel.size <= 400:
        expected = _conv_reference(slide.steps)
        if not np.allclose(out, expected, rtol=1e-4, atol=1e-4 * max(1.0, float(np.abs(expected).max()))):
            return "differs from F.conv2d"
    return None


def conv_campaign(count: int, seed: int, largest: int = 2048) -> Tally:
    from viewer.core.conv import PADDING_MODES
    from viewer.core.kernels import PRESETS
    from viewer.models.conv_lab import CHANNELS, ConvLabModel, KernelSlide, LabSettings
    from viewer.models.jobs import Job, Refusal

    rng = np.random.default_rng(seed)
    tally = Tally("convolution lab")
    model = ConvLabModel()
    model.refresh()
    presets = list(PRESETS)
    for i in range(count):
        on_matrix = rng.random() < 0.3
        if on_matrix:
            h, w = int(rng.integers(1, 13)), int(rng.integers(1, 13))
            source, matrix = "matrix", _values(rng, (h, w))
        else:
            h, w = _side(rng, largest), _side(rng, largest)
            source, matrix = str(rng.choice(CHANNELS)), model.settings.matrix
        settings = LabSettings(
            source=source, matrix=matrix, preset=str(rng.choice(presets)),
            kernel_hw=(_maybe_out_of_range(rng, int(rng.integers(1, 12)), 1, 11), int(rng.integers(1, 12))),
            stride=(_maybe_out_of_range(rng, int(rng.integers(1, 17)), 1, 16), int(rng.integers(1, 17))),
            padding=(_maybe_out_of_range(rng, int(rng.integers(0, 17)), 0, 16), int(rng.integers(0, 17))),
            dilation=(int(rng.integers(1, 9)), _maybe_out_of_range(rng, int(rng.integers(1, 9)), 1, 8)),
            padding_mode=str(rng.choice(PADDING_MODES)),
            bias=float(rng.choice([0.0, rng.uniform(-1000, 1000), 1000.0, -1000.0])),
        )
        case = (f"{i}: {source} {h}x{w}, {settings.preset} {settings.kernel_hw}, stride {settings.stride}, padding "
                f"{settings.padding} {settings.padding_mode}, dilation {settings.dilation}, bias {settings.bias:g}")

        def attempt(settings=settings, h=h, w=w, on_matrix=on_matrix) -> str | None:
            if not on_matrix:
                model.set_image(_photo(rng, h, w))
            outcome = model.set_settings(settings)
            if rng.random() < 0.1 and model.kernel.size:
                c, kh, kw = model.kernel.shape
                value = float(rng.choice([rng.standard_normal(), 3.4e38, -3.4e38, 1e-45, 0.0]))
                outcome = model.edit_kernel(int(rng.integers(0, c)), int(rng.integers(0, kh)), int(rng.integers(0, kw)), value)
            if isinstance(outcome, Job):
                try:
                    outcome = outcome.run()
                except ValueError as error:
                    outcome = model.fail(error)
                    if outcome is None:
                        return f"job failed: {error}"
            if isinstance(outcome, KernelSlide):
                model.accept(outcome)
                return _check_slide(model)
            if isinstance(outcome, Refusal):
                if not is_sentence(outcome.message):
                    return f"refusal not a sentence: {outcome.message!r}"
                sizes = model.output_sizes()
                if sizes is not None and any(t.size is not None for t in sizes):
                    return "refused, yet the formula gives a size"
                raise UserError(outcome.message)  # counted as a refusal
            return None if outcome is None else f"unexpected outcome {type(outcome).__name__}"

        run_case(tally, case, attempt)
    return tally


def _check_comparison(model) -> str | None:
    import torch
    import torch.nn.functional as F

    result = model.result
    s = result.settings
    for key, values in result.outputs.items():
        if values is not None and not np.isfinite(values).all():
            return f"{key} output not finite"
    if not all(math.isfinite(v) for v in (*model.levels(), *result.difference_levels)):
        return "levels not finite"
    sizes = [t.size for t in model.formula()]
    if tuple(sizes) != result.outputs["max"].shape[: len(sizes)]:
        return f"formula says {sizes}, output is {result.outputs['max'].shape}"
    steps = model.steps_at(len(result.max_steps) // 2)
    if steps is None or not math.isfinite(steps[0].mean):
        return "a step's numbers"
    if result.x.size <= 65536:
        x = torch.from_numpy(np.ascontiguousarray(result.x))[None, None]
        want_max = F.max_pool2d(x, s.kernel, s.stride, s.padding)[0, 0].numpy()
        # float64, then float32: PyTorch's average of a map near float32's limit overflows in float32
        want_avg = F.avg_pool2d(x.double(), s.kernel, s.stride, s.padding)[0, 0].float().numpy()
        scale = float(np.abs(result.x).max()) or 1.0
        if not (np.array_equal(result.outputs["max"], want_max)
                and np.allclose(result.outputs["avg"], want_avg, rtol=1e-5, atol=1e-6 * scale)):
            return "differs from F.max_pool2d / F.avg_pool2d"
    return None


def pooling_campaign(count: int, seed: int, largest: int = 2048) -> Tally:
    from viewer.core.images import PLANES
    from viewer.models.jobs import Job, Refusal
    from viewer.models.pooling_lab import FEATURE_SOURCE, PoolingLabModel

    rng = np.random.default_rng(seed)
    tally = Tally("pooling lab")
    model = PoolingLabModel()
    for i in range(count):
        h, w = _side(rng, largest), _side(rng, largest)
        feature = rng.random() < 0.25
        small = h * w <= 4096
        settings = replace(
            model.settings,
            kernel=int(rng.integers(0, 18)), stride=int(rng.integers(0, 18)), padding=int(rng.integers(-1, 10)),
            training=bool(rng.random() < 0.5), seed=int(rng.integers(0, 2**31)),
            samples=int(rng.integers(2, 2001 if h * w <= 256 else 20)) if small and rng.random() < 0.3 else 0,
            relu=bool(rng.random() < 0.5),
        )
        case = (f"{i}: {'feature map' if feature else 'image'} {h}x{w}, window {settings.kernel} stride "
                f"{settings.stride} padding {settings.padding}, training {settings.training}, samples {settings.samples}")

        def attempt(settings=settings, h=h, w=w, feature=feature) -> str | None:
            if feature:
                outcome = model.show_feature_map(_values(rng, (h, w)), "fuzz")
                if isinstance(outcome, Refusal):
                    raise UserError(outcome.message)
                source = FEATURE_SOURCE
            else:
                model.set_image(_photo(rng, h, w))
                source = str(rng.choice(PLANES))
            outcome = model.set_settings(replace(settings, source=source, colormap=model.settings.colormap))
            if outcome is None:
                outcome = model.set_settings(replace(model.settings, seed=model.settings.seed + 1))
            if isinstance(outcome, Job):
                try:
                    model.accept(outcome.run())
                except UserError as error:
                    model.fail(str(error))
                    raise
                return _check_comparison(model)
            if isinstance(outcome, Refusal):
                if not is_sentence(outcome.message):
                    return f"refusal not a sentence: {outcome.message!r}"
                if any(t.size is not None for t in model.formula()):
                    return "refused, yet the formula gives a size"
                raise UserError(outcome.message)
            return f"unexpected outcome {outcome!r}"

        run_case(tally, case, attempt)
    return tally


# ------------------------------------------------------------------------------ weights


def _safetensors_bytes(header: dict | bytes, data: bytes = b"", length: int | None = None) -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw) if length is None else length) + raw + data


def _weights_cases(rng: np.random.Generator, count: int) -> list[tuple[str, Callable[[Path], None]]]:
    """``count`` (name, writer) pairs: each writes one malformed (or odd but valid) weights file."""
    import torch
    from safetensors.torch import save_file

    from viewer.core.weights import build_model

    base = build_model("resnet18", seed=3).state_dict()
    keys = list(base)
    floats = [k for k in keys if base[k].is_floating_point()]

    def state() -> dict:
        return {k: v.clone() for k, v in base.items()}

    def saved(obj, legacy: bool = False) -> Callable[[Path], None]:
        return lambda path: torch.save(obj, path, _use_new_zipfile_serialization=not legacy)

    def cut(writer: Callable[[Path], None], fraction: float) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            writer(path)
            data = path.read_bytes()
            path.write_bytes(data[: int(len(data) * fraction)])
        return write

    def flipped(writer: Callable[[Path], None], flips: int) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            writer(path)
            data = bytearray(path.read_bytes())
            for _ in range(flips):
                i = int(rng.integers(0, len(data)))
                data[i] ^= 1 << int(rng.integers(0, 8))
            path.write_bytes(bytes(data))
        return write

    def safetensors(obj: dict) -> Callable[[Path], None]:
        return lambda path: save_file(obj, str(path))

    makers: list[Callable[[], tuple[str, Callable[[Path], None]]]] = []

    def truncated():
        legacy = bool(rng.random() < 0.3)
        fraction = float(rng.uniform(0, 0.999))
        return f"truncated {'legacy ' if legacy else ''}pth at {fraction:.3f}", cut(saved(base, legacy), fraction)

    def truncated_safetensors():
        fraction = float(rng.uniform(0, 0.999))
        return f"truncated safetensors at {fraction:.3f}", cut(safetensors(base), fraction)

    def non_finite():
        s = state()
        chosen = [floats[int(i)] for i in rng.choice(len(floats), int(rng.integers(1, 4)), replace=False)]
        for key in chosen:
            s[key].view(-1)[int(rng.integers(0, s[key].numel()))] = float(rng.choice([np.nan, np.inf, -np.inf]))
        fmt = "safetensors" if rng.random() < 0.3 else "pth"
        return f"non-finite in {', '.join(chosen)} ({fmt})", safetensors(s) if fmt == "safetensors" else saved(s)

    def wrong_dtype():
        s = state()
        dtype = rng.choice(["float16", "bfloat16", "float64", "int32", "int64", "uint8", "bool", "complex64", "int8"])
        everything = rng.random() < 0.3
        chosen = floats if everything else [floats[int(rng.integers(0, len(floats)))]]
        for key in chosen:
            s[key] = s[key].to(getattr(torch, str(dtype)))
        return f"{dtype} for {'every tensor' if everything else chosen[0]}", saved(s)

    def wrong_shape():
        s = state()
        key = keys[int(rng.integers(0, len(keys)))]
        kind = rng.choice(["transpose", "extra", "scalar", "empty", "flat", "bigger"])
        t = s[key]
        s[key] = {
            "transpose": t.T if t.ndim == 2 else t.transpose(0, -1) if t.ndim > 1 else t[None],
            "extra": t[None], "scalar": torch.tensor(1.0), "empty": torch.empty(0),
            "flat": t.reshape(-1), "bigger": torch.zeros(*(n + 1 for n in t.shape)) if t.ndim else torch.zeros(2),
        }[str(kind)]
        return f"{kind} shape of {key}", saved(s)

    def nested():
        kind = rng.choice(["state_dict", "model", "deep", "too_deep", "module_prefix", "with_optimizer", "list",
                           "tuple", "int_keys", "values_lists", "none_values", "string", "tensor", "empty"])
        s = state()
        obj = {
            "state_dict": {"state_dict": s, "epoch": 3}, "model": {"model": s},
            "deep": {"state_dict": {"model": {"state_dict": s}}},
            "too_deep": {"a": {"state_dict": {"model": {"state_dict": {"model": s}}}}},
            "module_prefix": {f"module.{k}": v for k, v in s.items()},
            "with_optimizer": {"model": s, "optimizer": {"state": {}, "param_groups": [{"lr": 0.1}]}, "epoch": 90},
            "list": [s], "tuple": (s, 1), "int_keys": dict(enumerate(s.values())),
            "values_lists": {k: v.tolist() if v.numel() < 10 else v for k, v in s.items()},
            "none_values": {**s, "fc.bias": None}, "string": "state_dict", "tensor": s["fc.weight"], "empty": {},
        }[str(kind)]
        return f"nested checkpoint: {kind}", saved(obj)

    def safetensors_header():
        kind = rng.choice(["huge_length", "length_past_end", "zero_length", "bad_json", "big_header", "bad_dtype",
                           "offsets_past_end", "offsets_backwards", "shape_mismatch", "not_a_dict"])
        data = np.zeros(8, np.float32).tobytes()
        entry = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
        content = {
            "huge_length": _safetensors_bytes({"fc.bias": entry}, data, length=2**63 - 1),
            "length_past_end": _safetensors_bytes({"fc.bias": entry}, data, length=10_000),
            "zero_length": _safetensors_bytes(b"", data),
            "bad_json": _safetensors_bytes(b'{"fc.bias": {"dtype": "F32", ', data),
            "big_header": _safetensors_bytes({"__metadata__": {"pad": " " * 5_000_000}, "fc.bias": entry}, data),
            "bad_dtype": _safetensors_bytes({"fc.bias": {**entry, "dtype": "Q99"}}, data),
            "offsets_past_end": _safetensors_bytes({"fc.bias": {**entry, "data_offsets": [0, 4096]}}, data),
            "offsets_backwards": _safetensors_bytes({"fc.bias": {**entry, "data_offsets": [8, 0]}}, data),
            "shape_mismatch": _safetensors_bytes({"fc.bias": {**entry, "shape": [1000, 1000]}}, data),
            "not_a_dict": _safetensors_bytes(b"[1, 2, 3]", data),
        }[str(kind)]
        return f"safetensors header: {kind}", lambda path, content=content: path.write_bytes(content)

    def bit_flips():
        fmt = rng.choice(["pth", "legacy", "safetensors"])
        flips = int(rng.integers(1, 64))
        writer = safetensors(base) if fmt == "safetensors" else saved(base, legacy=fmt == "legacy")
        return f"{flips} bit flips in a {fmt} file", flipped(writer, flips)

    def foreign():
        kind = rng.choice(["random", "empty", "text", "zip_of_other", "png", "hostile_pickle", "json"])

        def write(path: Path, kind=kind) -> None:
            import pickle
            import zipfile

            if kind == "random":
                path.write_bytes(rng.integers(0, 256, int(rng.integers(1, 5000)), dtype=np.uint8).tobytes())
            elif kind == "empty":
                path.write_bytes(b"")
            elif kind == "text":
                path.write_text("conv1.weight = [1, 2, 3]\n")
            elif kind == "zip_of_other":
                with zipfile.ZipFile(path, "w") as archive:
                    archive.writestr("notes/readme.txt", "hello")
            elif kind == "png":
                from PIL import Image

                Image.new("RGB", (4, 4)).save(path, "PNG")
            elif kind == "hostile_pickle":
                path.write_bytes(pickle.dumps({"conv1.weight": _Hostile()}, protocol=2))
            else:
                path.write_text(json.dumps({"conv1.weight": [1, 2]}))
        return f"foreign file: {kind}", write

    def huge_values():
        s = state()
        key = floats[int(rng.integers(0, len(floats)))]
        s[key] = s[key] * float(10 ** rng.uniform(5, 38))
        return f"finite but huge {key}", saved(s)

    weighted = [(truncated, 3), (truncated_safetensors, 1), (non_finite, 2), (wrong_dtype, 2), (wrong_shape, 2),
                (nested, 2), (safetensors_header, 2), (bit_flips, 3), (foreign, 1), (huge_values, 1)]
    for maker, weight in weighted:
        makers += [maker] * weight
    return [makers[int(rng.integers(0, len(makers)))]() for _ in range(count)]


class _Hostile:
    def __reduce__(self):
        return (print, ("code ran from a weights file",))


def weights_campaign(count: int, seed: int, folder: Path) -> Tally:
    from viewer.core import forward
    from viewer.core.samples import load_sample
    from viewer.core.weights import file_source

    rng = np.random.default_rng(seed)
    tally = Tally("weights")
    pixels = load_sample("astronaut").pixels
    for i, (name, write) in enumerate(_weights_cases(rng, count)):
        suffix = ".safetensors" if "safetensors" in name else ".pth"
        path = folder / f"weights_{i}{suffix}"

        def attempt(path=path, write=write) -> str | None:
            write(path)
            request = forward.ForwardRequest("resnet18", 32, pixels, file_source(path), "layer1", forward.ViewSettings())
            result, node = forward.run_forward(request)  # opens the weights as the explorer does
            for tensor in result.model.state_dict().values():
                if tensor.is_floating_point() and not torch_isfinite(tensor):
                    return "a model with non-finite weights was built"
            if not all(math.isfinite(p.probability) for p in result.top5) or not np.isfinite(node.mosaic.low).all():
                return "top-5 or mosaic not finite"
            return None

        before = len(tally.findings)
        run_case(tally, f"{i}: {name}", attempt)
        if len(tally.findings) > before and path.exists():
            path.rename(folder / f"finding_{path.name}")
        else:
            path.unlink(missing_ok=True)
    return tally


def torch_isfinite(tensor) -> bool:
    import torch

    return bool(torch.isfinite(tensor).all())


# ------------------------------------------------------------------------------ the command


def campaign(images: int, settings: int, weights: int, seed: int, folder: Path, largest: int = 2048) -> list[Tally]:
    """Run every part; returns their tallies (findings included)."""
    return [
        image_campaign(images, seed, folder),
        conv_campaign(settings, seed + 1, largest),
        pooling_campaign(settings, seed + 2, largest),
        weights_campaign(weights, seed + 3, folder),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000, help="mutated image files (default 10,000)")
    parser.add_argument("--settings", type=int, default=10_000, help="random settings per lab (default 10,000)")
    parser.add_argument("--weights", type=int, default=400, help="malformed weight files (default 400)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="fuzz-findings", help="folder for the summary and the files that made findings")
    args = parser.parse_args(argv)
    import warnings

    warnings.simplefilter("ignore")  # Pillow's and torch's warnings about odd files are expected here...
    warnings.simplefilter("error", RuntimeWarning)  # ...numpy's about NaN or overflow are not
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        tallies = campaign(args.images, args.settings, args.weights, args.seed, folder)
        for found in folder.glob("finding_*"):
            found.rename(out / found.name)
    for t in tallies:
        print(f"{t.campaign:17} tried {t.tried:6,}  results {t.results:6,}  refused with a sentence {t.refused:6,}  "
              f"findings {len(t.findings):4}  slowest {t.slowest_s:6.2f} s ({t.slowest_case[:60]})")
        for f in t.findings[:30]:
            print(f"    {f.case}: {f.problem}")
    summary = {"seed": args.seed, "seconds": round(time.perf_counter() - start, 1),
               "tallies": [{**asdict(t), "findings": [asdict(f) for f in t.findings]} for t in tallies]}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"{sum(len(t.findings) for t in tallies)} findings in {summary['seconds']} s; summary in {out / 'summary.json'}")
    return 1 if any(t.findings for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
