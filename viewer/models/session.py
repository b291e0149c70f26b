"""Sessions, free of Qt: the whole set-up of the app as a small, human-readable JSON file.

A session holds the page shown, the image (a bundled sample's name, a file's path, and the
pixels themselves when the image is small), every page's settings (the convolution lab's kernel
values included), the translation-invariance views' shifts, and the explorer's architecture,
input size, node, channel and weights file. :func:`capture` writes one from the page models;
:func:`read_session` reads one back, and the ``restore_*`` functions apply it to the page
models. Every field is checked on its own: a damaged or hand-edited file opens what it can and
each field it could not use becomes one sentence in :attr:`Restoring.problems`.

The file carries :data:`FORMAT` and :data:`VERSION`. A later version of the app reads every
version before it (``tests/data/session_v1.json`` is the first version's file, kept as a test);
a file from a later version opens what this version knows, and says so.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from viewer.core.errors import UserError
from viewer.core.images import DecodedImage
from viewer.core.samples import SAMPLES, load_sample
from viewer.models.jobs import Refusal

FORMAT = "cnn-viewer-session"
VERSION = 1
#: An image of at most this many pixels is embedded in the session (as an 8-bit PNG).
EMBED_PIXELS = 128 * 128
#: The largest session file read (a session is small; anything larger is not one).
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass
class Restoring:
    """A session being read: its fields (a JSON object) and the sentences about what was left out."""

    data: dict
    problems: list[str] = field(default_factory=list)

    def section(self, name: str) -> dict:
        """One page's settings (empty, with a sentence, when the file has something else there)."""
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            self.problems.append(f"The {name} settings are not a set of named values; that page keeps its own.")
            return {}
        return value


# -- writing ----------------------------------------------------------------------------------

def _image_entry(image: DecodedImage | None) -> dict | None:
    if image is None:
        return None
    entry: dict = {"name": image.name}
    samples = {Path(s.path).resolve(): s.stem for s in SAMPLES}
    path = None if image.path is None else Path(image.path).resolve()
    if path in samples:
        entry["sample"] = samples[path]
        return entry
    if path is not None:
        entry["path"] = str(path)
    if image.width * image.height <= EMBED_PIXELS:
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(image.to_uint8()).save(buffer, "PNG")
        entry["png_base64"] = base64.b64encode(buffer.getvalue()).decode("ascii")
    return entry


def _plain(value):
    """A settings value as JSON has it: tuples become lists, float32 arrays nested lists of the
    shortest decimals that read back as the same float32 (0.9, not 0.8999999761581421)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.floating):
        return float(str(np.float32(value)))  # the shortest decimal that reads back as the same float32
    if isinstance(value, np.integer):
        return value.item()
    return value


def _settings_entry(settings) -> dict:
    return {f.name: _plain(getattr(settings, f.name)) for f in fields(settings)}


def capture(page: str, image: DecodedImage | None, conv, conv_shift, pooling, pooling_shift, explorer,
            training) -> dict:
    """The session of the window now, from its page models (a JSON-ready object).

    ``conv``, ``pooling``, ``explorer`` and ``training`` are the page models; ``conv_shift`` and
    ``pooling_shift`` the :class:`~viewer.models.shift.ShiftModel` of the two labs.
    """
    conv_entry = _settings_entry(conv.settings)
    conv_entry["kernel"] = _plain(conv.kernel)
    conv_entry["example"] = conv.loaded.example
    pooling_entry = _settings_entry(pooling.settings)
    preset_image = pooling.preset is not None and pooling.image is not None and pooling.image.path is not None and (
        Path(pooling.image.path).stem == pooling.preset)
    pooling_entry["preset"] = pooling.preset if preset_image else None
    weights = explorer.weights
    return {
        "format": FORMAT,
        "version": VERSION,
        "page": page,
        "image": _image_entry(image),
        "convolution": conv_entry,
        "convolution_shift": {"shown": conv_shift.shown, "shift": list(conv_shift.shift)},
        "pooling": pooling_entry,
        "pooling_shift": {"shown": pooling_shift.shown, "shift": list(pooling_shift.shift)},
        "explorer": {"arch": explorer.arch, "size": explorer.size, "node": explorer.node, "channel": explorer.channel,
                     "scope": explorer.scope, "sort": explorer.sort,
                     "weights": None if weights.kind == "random" else weights.path},
        "training": _settings_entry(training.settings),
    }


def write_session(path: str | os.PathLike[str], session: dict) -> Path:
    """Write ``session`` as indented JSON (UserError with a sentence when the file cannot be written)."""
    target = Path(path)
    text = json.dumps(session, indent=1, ensure_ascii=False, allow_nan=False)
    # each innermost list (a matrix row, a pair) on one line: a kernel reads as a kernel
    text = re.sub(r"\[\s+([^\[\]{}\"]*?)\s+\]", lambda match: "[" + " ".join(match.group(1).split()) + "]", text)
    try:
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"Cannot write the session to {target}: {error.strerror or error}.") from None
    return target


# -- reading ----------------------------------------------------------------------------------

def read_session(path: str | os.PathLike[str]) -> Restoring:
    """Read a session file. A file that is no session at all raises UserError with a sentence;
    anything less becomes a sentence in :attr:`Restoring.problems`."""
    source = Path(path)
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"{source.name} is too large to be a session file.")
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(f"Cannot read {source}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise UserError(f"{source.name} is not a session file: it is not text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"{source.name} is not a session file: its JSON breaks off at line {error.lineno}, "
                        f"column {error.colno} ({error.msg}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{source.name} is not a session file of this app (it has no \"format\": \"{FORMAT}\").")
    restoring = Restoring(data)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        restoring.problems.append("The file does not say which version wrote it; it is read as version 1.")
    elif version > VERSION:
        restoring.problems.append(f"A later version of the app wrote this session (version {version}); what this "
                                  f"version knows of it is restored.")
    return restoring


def _number(value, kind: type, low: float, high: float):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError
    if kind is int and float(value) != int(value):
        raise ValueError
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError
    return kind(value)


def _value_like(current, value):
    """``value`` checked and converted to the type of the current setting ``current`` (ValueError if it cannot be)."""
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ValueError
        return value
    if isinstance(current, int):
        return _number(value, int, -(2**31), 2**31)
    if isinstance(current, float):
        return _number(value, float, -1e30, 1e30)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ValueError
        return value
    if isinstance(current, tuple):
        if not isinstance(value, list) or len(value) != len(current):
            raise ValueError
        return tuple(_value_like(c, v) for c, v in zip(current, value, strict=True))
    raise ValueError


def _merged(settings, entry: dict, restoring: Restoring, page: str, skip: tuple[str, ...] = ()):
    """``settings`` with every valid field of ``entry`` taken (a sentence for each invalid one)."""
    changes = {}
    for f in fields(settings):
        if f.name in skip or f.name not in entry:
            continue
        current, value = getattr(settings, f.name), entry[f.name]
        try:
            if current is None:  # an optional pair (padding_end) or an optional size
                changes[f.name] = None if value is None else _value_like((0, 0), value)
            elif isinstance(current, np.ndarray):
                changes[f.name] = _matrix(value)
            else:
                changes[f.name] = _value_like(current, value)
        except ValueError:
            restoring.problems.append(f"The {page} setting \"{f.name}\" ({_shown(value)}) cannot be used; "
                                      f"it stays {_shown(_plain(current))}.")
    return replace(settings, **changes)


def _shown(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _matrix(value, ndim: int = 2) -> np.ndarray:
    """A nested list of finite numbers as a float32 array of ``ndim`` dimensions (ValueError otherwise)."""
    try:
        array = np.array(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError from None
    if array.ndim != ndim or 0 in array.shape or array.size > 4096 or not np.isfinite(array).all():
        raise ValueError
    return array


def session_image(restoring: Restoring) -> DecodedImage | None:
    """The session's image: the file at its path, else the embedded pixels, else the sample;
    None (with a sentence) when none of them can be had, or when the session has no image."""
    from viewer.core.images import decode_image

    entry = restoring.data.get("image")
    if entry is None:
        return None
    if not isinstance(entry, dict):
        restoring.problems.append("The image entry is not a set of named values; the current image stays.")
        return None
    name = entry.get("name") if isinstance(entry.get("name"), str) else "session image"
    sample = entry.get("sample")
    if sample is not None:
        if sample in {s.stem for s in SAMPLES}:
            return load_sample(sample)
        restoring.problems.append(f"There is no bundled sample {_shown(sample)}; the current image stays.")
        return None
    path = entry.get("path")
    reasons = []
    if isinstance(path, str):
        try:
            return decode_image(path)
        except UserError as error:
            reasons.append(str(error))
    embedded = entry.get("png_base64")
    if isinstance(embedded, str):
        try:
            return _embedded_image(embedded, name)
        except ValueError:
            reasons.append("The image embedded in the session is damaged.")
    if not reasons:
        reasons.append("The session names no sample, file or embedded image.")
    restoring.problems.append(" ".join(reasons) + " The current image stays.")
    return None


def _embedded_image(text: str, name: str) -> DecodedImage:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(base64.b64decode(text, validate=True))) as opened:
            rgb = np.asarray(opened.convert("RGB"), dtype=np.float32) / 255.0
    except (ValueError, UnidentifiedImageError, OSError):
        raise ValueError from None
    if rgb.shape[0] * rgb.shape[1] > EMBED_PIXELS:
        raise ValueError
    return DecodedImage(np.ascontiguousarray(rgb), name, "PNG, embedded in the session")


def restore_conv(restoring: Restoring, model):
    """Apply the session's convolution-lab settings and kernel to a ConvLabModel; returns its outcome."""
    from viewer.core.conv import PADDING_MODES
    from viewer.core.kernels import PRESETS
    from viewer.models.conv_lab import SOURCES

    entry = restoring.section("convolution")
    if not entry:
        return model.refresh()
    example = entry.get("example")
    model.load_course_example(example if example in (1, 2) else 1)
    settings = _merged(model.settings, entry, restoring, "convolution")
    if settings.source == "custom":
        restoring.problems.append("The convolution lab's input sent from the explorer is not kept in a session; "
                                  "the lab opens on its numeric matrix.")
        settings = replace(settings, source="matrix")
    for name, allowed in (("source", SOURCES), ("preset", tuple(PRESETS)), ("padding_mode", PADDING_MODES)):
        if getattr(settings, name) not in allowed:
            restoring.problems.append(f"The convolution setting \"{name}\" ({_shown(getattr(settings, name))}) is "
                                      f"not one the lab knows; it stays {_shown(getattr(model.settings, name))}.")
            settings = replace(settings, **{name: getattr(model.settings, name)})
    outcome = model.set_settings(settings)
    if settings.preset == "custom" and "kernel" in entry:
        try:
            kernel = _matrix(entry["kernel"], ndim=3)
        except ValueError:
            restoring.problems.append("The convolution kernel's values cannot be used (they must be a list of "
                                      "channels of rows of numbers); the lab keeps its kernel.")
        else:
            outcome = model.set_kernel(kernel)
    return outcome


def restore_shift(restoring: Restoring, name: str, model) -> None:
    """Apply a translation-invariance view's state (``name``: ``convolution_shift`` or ``pooling_shift``)."""
    entry = restoring.section(name)
    if not entry:
        return
    shown, shift = entry.get("shown", False), entry.get("shift", [0, 0])
    try:
        model.shown = _value_like(False, shown)
        model.set_shift(*_value_like((0, 0), shift))
    except ValueError:
        restoring.problems.append(f"The shift of the {name.split('_')[0]} lab ({_shown(entry)}) cannot be used.")


def restore_pooling(restoring: Restoring, model):
    """Apply the session's pooling-lab settings (its preset first, when it has one); returns the outcome."""
    from viewer.core import colormaps
    from viewer.core.images import PLANES
    from viewer.models.pooling_lab import FEATURE_SOURCE, PRESETS

    entry = restoring.section("pooling")
    if not entry:
        return None
    preset = entry.get("preset")
    if preset is not None:
        if preset in PRESETS:
            model.apply_preset(preset)
        else:
            restoring.problems.append(f"There is no pooling preset {_shown(preset)}.")
    settings = _merged(model.settings, entry, restoring, "pooling")
    if settings.source == FEATURE_SOURCE:
        restoring.problems.append("The feature map sent from the explorer is not kept in a session; the pooling lab "
                                  "pools the image's luminance instead.")
        settings = replace(settings, source="luminance")
    if settings.source not in PLANES:
        restoring.problems.append(f"The pooling lab has no source {_shown(settings.source)}; it pools the luminance.")
        settings = replace(settings, source="luminance")
    if settings.colormap not in colormaps.CHOICES:
        restoring.problems.append(f"There is no colormap {_shown(settings.colormap)}; the pooling lab keeps "
                                  f"{model.settings.colormap}.")
        settings = replace(settings, colormap=model.settings.colormap)
    return model.set_settings(settings)


def restore_explorer(restoring: Restoring, model):
    """Apply the explorer's architecture, size, node, channel, mosaic view and weights file; returns its job."""
    from viewer.core.architectures import ARCHITECTURE_NAMES
    from viewer.core.preprocess import INPUT_SIZES
    from viewer.core.render import SCOPES, SORT_KEYS

    entry = restoring.section("explorer")
    arch, size, node, channel = (entry.get(key, default) for key, default in (
        ("arch", model.arch), ("size", model.size), ("node", model.node), ("channel", model.channel)))
    if arch in ARCHITECTURE_NAMES:
        model.arch = arch
    else:
        restoring.problems.append(f"There is no architecture {_shown(arch)}; the explorer shows {model.arch}.")
    if size is None or size in INPUT_SIZES:
        model.size = size
    else:
        restoring.problems.append(f"The explorer has no input size {_shown(size)}; it stays {model.size}.")
    if isinstance(node, str) and node:
        model.node = node  # a node the network lacks falls back to the first one when shown
    else:
        restoring.problems.append(f"The explorer's node {_shown(node)} is not a layer name.")
    try:
        model.channel = _number(channel, int, 0, 1 << 16)
    except ValueError:
        restoring.problems.append(f"The explorer's channel {_shown(channel)} is not a channel number; it stays "
                                  f"{model.channel}.")
    for name, allowed in (("scope", SCOPES), ("sort", SORT_KEYS)):
        value = entry.get(name, getattr(model, name))
        if value in allowed:
            setattr(model, name, value)
        else:
            restoring.problems.append(f"The explorer's mosaic has no {name} {_shown(value)}; it stays "
                                      f"{getattr(model, name)}.")
    weights = entry.get("weights")
    if weights is None:
        return model.use_random_weights()
    if not isinstance(weights, str):
        restoring.problems.append("The explorer's weights are not a file path; it uses random weights.")
        return model.use_random_weights()
    outcome = model.use_weights_file(weights)
    if isinstance(outcome, Refusal):  # the file cannot even be looked at
        restoring.problems.append(outcome.message + " The explorer uses random weights.")
        return model.use_random_weights()
    return outcome


def restore_training(restoring: Restoring, model) -> None:
    """Apply the training lab's settings (its experiment and every number of it)."""
    entry = restoring.section("training")
    if not entry:
        return
    settings = _merged(model.settings, entry, restoring, "training")
    refusal = model.set_settings(settings)
    if refusal is not None:
        restoring.problems.append(refusal.message + " The training lab keeps its settings.")


def session_page(restoring: Restoring, page_ids: tuple[str, ...]) -> str | None:
    """The page to show (None, with a sentence, when the file names no page of this app)."""
    page = restoring.data.get("page")
    if page in page_ids:
        return page
    restoring.problems.append(f"There is no page {_shown(page)}; the page shown stays.")
    return None
