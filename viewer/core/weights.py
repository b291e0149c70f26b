"""Where a ResNet's weights come from: a seeded random start or a file, and whether they fit.

Every failure is a :class:`WeightsError` whose message a student can act on. Files are read
with ``torch.load(weights_only=True)``, which refuses (without running anything) a pickle that
asks for Python objects other than tensors and plain containers; ``.safetensors`` files
cannot carry code at all. A state_dict that does not fit is described (the architecture it
looks like, the missing, unexpected and wrongly shaped keys) instead of PyTorch's raw error.

Downloading torchvision's official weights is a separate idea and lives in
:mod:`viewer.core.download` (which builds on this module's loader and errors).
"""

from __future__ import annotations

import os
import pickle
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

from viewer.core.classes import imagenet_classes
from viewer.core.conventions import TORCHVISION, ResNetConvention
from viewer.core.errors import UserError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.preprocess import IMAGENET, Preprocessing
from viewer.core.resnet import ARCHITECTURES, ResNet, empty_resnet
from viewer.core.trained_weights import read_trained

__all__ = [
    "RANDOM",
    "RANDOM_LABEL",
    "ArchitectureMismatchError",
    "WeightsError",
    "WeightsSource",
    "build_model",
    "file_source",
    "guess_architecture",
    "load_state_dict_file",
    "load_weights",
    "load_weights_file",
    "open_weights",
]

#: how the embedded default is shown, everywhere (the explorer's controls translate it)
RANDOM_LABEL = QT_TRANSLATE_NOOP("ResNetControls", "untrained (random)")
#: how many keys of each kind a mismatch message lists
_SHOWN_KEYS = 4


class WeightsError(UserError):
    """Weights could not be loaded or downloaded; the message says why and what to do."""


class ArchitectureMismatchError(WeightsError):
    """A state_dict that does not fit the model; ``looks_like`` names the ResNet it resembles.

    The explorer uses ``looks_like`` to switch to the architecture a freshly loaded file
    belongs to, instead of making the user guess it from the message.
    """

    def __init__(self, message: str, arch: str, looks_like: str | None) -> None:
        super().__init__(message)
        self.arch = arch
        self.looks_like = looks_like


@dataclass(frozen=True)
class WeightsSource:
    """Where a model's weights come from, and what is known about them (torchvision's weights
    API carries the same facts with its weights).

    ``kind`` is ``"random"`` (the seeded initialisation), ``"imagenet"`` (torchvision's
    download) or ``"file"``; ``path`` is the file to read (none for random weights); ``key``
    tells two sources apart for the model cache (a file's key includes its modification
    time, so a file rewritten since is read again).

    A source the user asks for knows only where the weights are; the source that comes back
    with the model (:func:`open_weights`) adds what the weights themselves say: the names of
    the classes, the preprocessing they were trained with, whether they are trained, and the
    convention (padding, batch-norm eps) the network must follow to compute their numbers.
    """

    kind: str = "random"
    label: str = RANDOM_LABEL
    path: str = ""
    key: str = "random"
    class_names: tuple[str, ...] | None = None
    """The name of each of fc's outputs, in order; None when nobody said what they are."""
    preprocessing: Preprocessing = IMAGENET
    trained: bool = False
    """Whether the weights were learnt (random ones were not: their outputs mean nothing)."""
    convention: ResNetConvention = TORCHVISION
    """How the network pads and normalises to compute these weights' numbers (MindSpore's for a
    MindSpore checkpoint)."""
    family: str = ""
    """The MindSpore family whose names the weights came under ("zoo", "tutorial"); "" otherwise."""
    dropped: tuple[str, ...] = ()
    """Entries of the file that are not weights of the network and were left out (optimizer state)."""

    @property
    def is_random(self) -> bool:
        return self.kind == "random"


#: the embedded default: :func:`build_model`'s seeded random initialisation
RANDOM = WeightsSource()


def file_source(path: str | os.PathLike[str]) -> WeightsSource:
    """The source of a weights file, keyed by its path and modification time; a file trained in
    the app (:mod:`viewer.core.trained_weights`) brings its label, class names and preprocessing.

    Raises :class:`WeightsError` when the file cannot be looked at (its contents are only
    read when a model is built from it).
    """
    file = Path(path)
    try:
        stamp = file.stat().st_mtime_ns
    except OSError as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "Cannot read {0}: {1}.").format(file, error.strerror or error)) from None
    source = WeightsSource("file", f"file: {file.name}", str(file), f"{file}:{stamp}")
    trained = read_trained(file)  # a network trained in the app says how it was trained
    if trained is None:
        return source
    if trained.arch is None:
        raise WeightsError(
            f"{file.name} holds {trained.network}, a network of the ResNet paper's CIFAR family trained in "
            f"the Training page; the explorer shows only torchvision-layout ResNets (ResNet18 to ResNet152)."
        )
    return replace(source, label=trained.label, class_names=trained.class_names,
                   preprocessing=trained.preprocessing, trained=True)


def build_model(arch: str = "resnet50", seed: int = 0, num_classes: int = 1000,
                convention: ResNetConvention = TORCHVISION) -> ResNet:
    """The embedded default: ``arch`` with torchvision's initialisation drawn from ``seed``
    (padded and normalised by ``convention``)."""
    return _factory(arch)(num_classes, seed=seed, convention=convention).eval()


def _factory(arch: str):
    try:
        return ARCHITECTURES[arch]
    except KeyError:
        raise WeightsError(
            f"Unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}."
        ) from None


# ---------------------------------------------------------------------------------- files


def load_state_dict_file(path: str | os.PathLike[str]) -> dict[str, torch.Tensor]:
    """Read a state_dict from a ``.pth``/``.pt`` (PyTorch) or ``.safetensors`` file.

    Unwraps a checkpoint that holds the state_dict under ``"state_dict"`` or ``"model"``,
    and strips the ``"module."`` prefix that ``DataParallel`` adds.

    Raises
    ------
    WeightsError
        For a missing file, a folder, an empty, truncated or foreign file, a pickle that
        asks for code (refused, never run), or contents that are not a name -> tensor map.
    """
    file = Path(path)
    name = file.name or str(file)
    if not file.exists():
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "There is no file at {0}.").format(file))
    if not file.is_file():
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is a folder, not a weights file.").format(name))
    if file.stat().st_size == 0:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is empty (0 bytes): it holds no weights.").format(name))
    with file.open("rb") as handle:
        head = handle.read(16)
    if file.suffix.lower() == ".safetensors" or _looks_like_safetensors(head):
        contents = _load_safetensors(file)
    elif head.startswith(b"PK") or head.startswith(b"\x80"):
        contents = _load_torch(file)
    else:
        raise WeightsError(
            f"{name} is neither a PyTorch (.pth, .pt) nor a safetensors weights file."
        )
    return _as_state_dict(contents, name)


def _looks_like_safetensors(head: bytes) -> bool:
    return len(head) >= 9 and head[8:9] == b"{"


def _load_safetensors(file: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    try:
        return load_file(str(file), device="cpu")
    except Exception as error:  # safetensors raises its own error types and OSError
        raise WeightsError(
            f"{file.name} could not be read as a safetensors file: it is truncated or corrupted "
            f"(its header or its tensors do not add up)."
        ) from error


def _load_torch(file: Path) -> object:
    # torch's own errors for these speak of its C++ internals ("enforce fail at inline_container.cc")
    if zipfile.is_zipfile(file):
        try:
            with zipfile.ZipFile(file) as archive:
                members = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is truncated or damaged (its zip archive cannot be read).").format(file.name)) from error
        if not any(name.endswith("data.pkl") for name in members):
            raise WeightsError(
                f"{file.name} is a zip archive but not a PyTorch weights file (PyTorch's .pth and .pt "
                f"files hold a data.pkl; this one holds {', '.join(members[:3]) or 'nothing'}"
                f"{', ...' if len(members) > 3 else ''})."
            )
    try:
        return torch.load(file, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        text = str(error)
        wanted = re.search(r"(?:Unsupported global|GLOBAL)[:\s]+(?:GLOBAL\s+)?([\w.]+)", text)
        if wanted or "weights_only" in text.lower():
            what = f" ({wanted.group(1)})" if wanted else ""
            raise WeightsError(
                f"Refused to load {file.name}: besides weights it asks to run Python code or "
                f"create Python objects{what}. Nothing from it was run. If it is a whole saved "
                f"model, save model.state_dict() instead; only load files from sources you trust."
            ) from error
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is damaged or truncated: its contents cannot be unpickled.").format(file.name)) from error
    except (EOFError, zipfile.BadZipFile) as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is truncated or damaged (it ends too early).").format(file.name)) from error
    except RuntimeError as error:
        raise WeightsError(
            f"{file.name} is truncated or damaged: PyTorch cannot read its tensors."
        ) from error
    except Exception as error:  # a damaged legacy pickle fails in struct, ValueError...
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is damaged or not a PyTorch weights file.").format(file.name)) from error


def _as_state_dict(contents: object, name: str) -> dict[str, torch.Tensor]:
    for _ in range(3):
        if isinstance(contents, Mapping) and not _all_tensors(contents):
            inner = contents.get("state_dict", contents.get("model"))
            if isinstance(inner, Mapping):
                contents = inner
                continue
        break
    if not isinstance(contents, Mapping):
        raise WeightsError(
            f"{name} does not hold a state_dict (a map from layer names to tensors) but a "
            f"{type(contents).__name__}."
        )
    if not contents:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} holds an empty state_dict: no weights at all.").format(name))
    for key, value in contents.items():
        if not isinstance(key, str):
            raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is not a state_dict: it has a key {1} that is not a name.").format(name, repr(key)))
        if not isinstance(value, torch.Tensor):
            raise WeightsError(
                f"{name} is not a plain state_dict: its entry {key!r} is a "
                f"{type(value).__name__}, not a tensor."
            )
    state = dict(contents)
    for prefix in ("module.", "model."):
        if all(key.startswith(prefix) for key in state):
            state = {key[len(prefix) :]: value for key, value in state.items()}
    _refuse_non_finite(state, name)
    return state


def _refuse_non_finite(state: Mapping[str, torch.Tensor], name: str) -> None:
    """Refuse weights with a NaN or an infinity in any tensor (weights or batch-norm statistics).

    Such a file comes from a training run that diverged: every output computed from it is NaN,
    which no view can show honestly. The message names the first tensors at fault.
    """
    bad = []
    for key, tensor in state.items():
        if not _all_finite(tensor):
            nan = int(torch.isnan(tensor).sum())
            infinite = int(torch.isinf(tensor).sum())
            counts = [f"{nan} NaN"] * bool(nan) + [f"{infinite} infinite"] * bool(infinite)
            bad.append(f"{key} ({', '.join(counts)} of {tensor.numel():,})")
    if bad:
        shown = ", ".join(bad[:_SHOWN_KEYS]) + (f" and {len(bad) - _SHOWN_KEYS} more" if len(bad) > _SHOWN_KEYS else "")
        raise WeightsError(
            f"{name} cannot be used: {len(bad)} of its tensors hold values that are not numbers (NaN or "
            f"infinity), as after a training run that diverged: {shown}. Nothing was loaded."
        )


def _all_finite(tensor: torch.Tensor) -> bool:
    """Whether every value is a finite number (integers always are).

    numpy's check: torch's costs a thread-pool round trip per tensor, seconds for a ResNet50.
    """
    if not (tensor.is_floating_point() or tensor.is_complex()):
        return True
    if tensor.dtype in (torch.bfloat16, torch.float16):
        tensor = tensor.float()
    return bool(np.isfinite(tensor.detach().cpu().numpy()).all())


def _all_tensors(contents: Mapping) -> bool:
    return all(isinstance(value, torch.Tensor) for value in contents.values())


# ---------------------------------------------------------------------- fitting to a model


def _reference_shapes(arch: str, num_classes: int = 1000) -> dict[str, tuple[int, ...]]:
    with torch.device("meta"):
        model = ARCHITECTURES[arch](num_classes, seed=None)
    return {key: tuple(value.shape) for key, value in model.state_dict().items()}


_KEY_SETS: dict[str, frozenset[str]] = {}


def _key_set(arch: str) -> frozenset[str]:
    if arch not in _KEY_SETS:
        _KEY_SETS[arch] = frozenset(_reference_shapes(arch))
    return _KEY_SETS[arch]


def guess_architecture(state_dict: Mapping[str, object]) -> str | None:
    """The ResNet whose parameter names best match ``state_dict``'s, or ``None``.

    Names decide (depth and block type change them); shapes are ignored, so a ResNet50
    with 10 classes is still "resnet50". ``None`` when fewer than half the names match
    any ResNet.
    """
    keys = set(state_dict)
    if not keys:
        return None
    best, best_score = None, 0.0
    for arch in ARCHITECTURES:
        reference = _key_set(arch)
        score = len(keys & reference) / len(keys | reference)
        if score > best_score:
            best, best_score = arch, score
    return best if best_score >= 0.5 else None


def load_weights(model_or_arch: ResNet | str, state_dict: Mapping[str, torch.Tensor],
                 convention: ResNetConvention = TORCHVISION) -> ResNet:
    """Load ``state_dict`` strictly into a model (or a new one of that architecture).

    Given a name, the model is built with the number of classes of the state_dict's ``fc``
    (and with ``convention``).

    Raises
    ------
    WeightsError
        Naming the architecture the weights look like and the first few missing, unexpected
        and wrongly shaped keys.
    """
    if isinstance(model_or_arch, str):
        fc = state_dict.get("fc.weight")
        classes = int(fc.shape[0]) if isinstance(fc, torch.Tensor) and fc.ndim == 2 else 1000
        _factory(model_or_arch)  # an unknown name gets its sentence
        # Every value comes from the state_dict (checked below, loaded strictly): no initialisation.
        model = empty_resnet(model_or_arch, classes, convention=convention)
    else:
        model = model_or_arch
    expected = {key: tuple(value.shape) for key, value in model.state_dict().items()}
    missing = [key for key in expected if key not in state_dict]
    unexpected = [key for key in state_dict if key not in expected]
    wrong_shape = [
        f"{key} ({_shape(state_dict[key].shape)} in the file, {_shape(shape)} in the model)"
        for key, shape in expected.items()
        if key in state_dict and tuple(state_dict[key].shape) != shape
    ]
    if missing or unexpected or wrong_shape:
        arch = getattr(model, "arch", type(model).__name__)
        guess = guess_architecture(state_dict)
        raise ArchitectureMismatchError(
            _mismatch_message(arch, guess, missing, unexpected, wrong_shape), arch, guess
        )
    model.load_state_dict(dict(state_dict), strict=True)
    return model.eval()


def _mismatch_message(arch: str, guess: str | None, missing, unexpected, wrong_shape) -> str:
    if guess is None:
        looks = "They do not look like any ResNet."
    elif guess == arch:
        looks = f"They look like a {guess} too, but some layers differ."
    else:
        looks = f"They look like a {guess}."
    parts = [f"These weights do not fit {arch}. {looks}"]
    for title, keys in (
        ("Missing", missing),
        ("Unexpected", unexpected),
        ("Wrong shape", wrong_shape),
    ):
        if keys:
            shown = ", ".join(keys[:_SHOWN_KEYS]) + (", ..." if len(keys) > _SHOWN_KEYS else "")
            parts.append(f"{title} ({len(keys)}): {shown}.")
    return " ".join(parts)


def _shape(shape) -> str:
    return "x".join(str(int(v)) for v in shape) or "scalar"


def load_weights_file(
    path: str | os.PathLike[str], arch: str | None = None
) -> tuple[ResNet, WeightsSource]:
    """Read a file and load it into the architecture it names (or ``arch``): the model and its source."""
    state = load_state_dict_file(path)
    chosen = arch or guess_architecture(state)
    if chosen is None:
        raise WeightsError(
            f"{Path(path).name} does not hold ResNet weights: its layer names match no ResNet "
            f"(first names: {', '.join(list(state)[:_SHOWN_KEYS])})."
        )
    model = load_weights(chosen, state)
    return model, file_source(path)


def open_weights(arch: str, source: WeightsSource) -> tuple[ResNet, WeightsSource]:
    """The ``arch`` model that ``source`` describes, in eval mode, and the completed source.

    Random weights are the seeded initialisation. A file is read safely and loaded strictly;
    its outputs are named after ImageNet's classes when it has ImageNet's 1000 (what every
    torchvision-format ResNet checkpoint without other metadata is). A MindSpore checkpoint
    (``.ckpt``, or MindSpore's safetensors) is opened by :mod:`viewer.core.mindspore_weights`;
    a file this viewer saved brings back the convention, preprocessing and class names its
    metadata records (:mod:`viewer.core.saved_weights`).
    """
    if not source.path:
        return build_model(arch, seed=0), replace(source, trained=False, class_names=None)
    from viewer.core import mindspore_weights, saved_weights  # they build on this module

    if mindspore_weights.is_mindspore_file(source.path):
        return mindspore_weights.open_mindspore_weights(arch, source)
    saved = saved_weights.read_saved_facts(source.path)
    convention = saved.convention if saved is not None else TORCHVISION
    model = load_weights(arch, load_state_dict_file(source.path), convention)
    names = imagenet_classes() if model.num_classes == 1000 else None
    opened = replace(source, trained=True) if saved is None else saved.complete(replace(source, trained=True))
    return model, replace(opened, class_names=opened.class_names or names)

