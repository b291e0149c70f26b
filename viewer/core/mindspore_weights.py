"""MindSpore's ResNet checkpoints in the explorer's ResNet, and the explorer's weights as MindSpore's.

Two families of MindSpore ResNet name their parameters differently (and both differently from
torchvision), and each computes with its own convention:

* the **model zoo** (``official/cv/ResNet/src/resnet.py``, which the course's lab copies):
  ``conv1``, ``bn1``, ``layer{L}.{B}.conv{1,2,3}`` / ``bn{1,2,3}``, ``layer{L}.0.down_sample_layer.{0,1}``,
  ``end_point``; its ResNet18/34 blocks call their batch norms ``bn1d`` / ``bn2d``. ResNet50 and
  deeper pad ``"same"`` with eps 1e-4; ResNet18/34 pad symmetrically with eps 1e-4 in the blocks;
* the **ResNet50 tutorial** (MindSpore's CIFAR-10 tutorial, trained at 32x32): ``norm`` for the
  stem's batch norm, ``layer{L}.{B}.norm{1,2,3}``, ``down_sample``, ``fc``; ``"same"`` padding, eps 1e-5.

Batch-norm parameters are ``gamma``, ``beta``, ``moving_mean``, ``moving_variance`` (torchvision:
``weight``, ``bias``, ``running_mean``, ``running_var``); layouts are the same (OIHW convolutions,
(out, in) dense layers), so renaming is all a checkpoint needs. A training checkpoint also holds
optimizer state (``moments.*``, ``global_step``, ``learning_rate`` ...): it is left out and
reported (:attr:`~viewer.core.weights.WeightsSource.dropped`).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

from viewer.core.classes import CIFAR10_CLASSES, imagenet_classes
from viewer.core.conventions import (
    MINDSPORE_TUTORIAL,
    MINDSPORE_ZOO,
    MINDSPORE_ZOO_BASIC,
    ResNetConvention,
)
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.mindspore_ckpt import looks_like_checkpoint, read_checkpoint, write_checkpoint
from viewer.core.preprocess import CIFAR10, IMAGENET, Preprocessing
from viewer.core.resnet import BasicBlock, ResNet
from viewer.core.weights import WeightsError, WeightsSource, guess_architecture, load_weights

__all__ = [
    "FAMILIES",
    "Family",
    "MindSporeState",
    "convention_of",
    "describe_names",
    "detect_family",
    "is_mindspore_file",
    "mindspore_state",
    "mindspore_values",
    "open_mindspore_weights",
    "save_mindspore_checkpoint",
    "to_torchvision_name",
]


@dataclass(frozen=True)
class Family:
    """One way MindSpore names (and computes) a ResNet."""

    key: str
    title: str
    """How the weights label names it ("model zoo")."""
    bottleneck: ResNetConvention
    """The convention of its ResNet50/101/152."""
    basic: ResNetConvention | None
    """The convention of its ResNet18/34 (None: the family has none that fits ours)."""
    cifar_size: int
    """The input size its CIFAR-10 training feeds (the zoo resizes to 224, the tutorial keeps 32)."""

    def convention(self, basic_blocks: bool) -> ResNetConvention:
        convention = self.basic if basic_blocks else self.bottleneck
        if convention is None:
            raise WeightsError(
                f"MindSpore's {self.title} has no ResNet18/34 with two batch norms per block (its building "
                f"block shares one): save these weights with the model zoo's names instead."
            )
        return convention


FAMILIES = {
    "zoo": Family("zoo", "model zoo", MINDSPORE_ZOO, MINDSPORE_ZOO_BASIC, 224),
    "tutorial": Family("tutorial", "ResNet50 tutorial", MINDSPORE_TUTORIAL, None, 32),
}

_BN_SUFFIXES = {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean", "moving_variance": "running_var"}
_TORCH_BN_SUFFIXES = {value: key for key, value in _BN_SUFFIXES.items()}
#: (pattern, replacement, family it is typical of), MindSpore name -> torchvision name
_RULES = (
    (re.compile(r"^end_point\."), "fc.", "zoo"),
    (re.compile(r"\.down_sample_layer\."), ".downsample.", "zoo"),
    (re.compile(r"\.bn([12])d\."), r".bn\1.", "zoo"),
    (re.compile(r"^norm\."), "bn1.", "tutorial"),
    (re.compile(r"\.norm(\d)\."), r".bn\1.", "tutorial"),
    (re.compile(r"\.down_sample\."), ".downsample.", "tutorial"),
)
_BN_SUFFIX = re.compile(r"\.(gamma|beta|moving_mean|moving_variance)$")
#: names only squeeze-and-excitation ResNets (the zoo's SE-ResNet50) have
_SE_NAMES = re.compile(r"(^|\.)(se_dense_\d|se_global_pool|conv1_[0-2]|bn1_[0-2]|e2)\.")
_SHOWN = 4


def to_torchvision_name(name: str) -> str:
    """A MindSpore ResNet parameter's torchvision name (either family's; others pass unchanged)."""
    for pattern, replacement, _ in _RULES:
        name = pattern.sub(replacement, name)
    return _BN_SUFFIX.sub(lambda m: "." + _BN_SUFFIXES[m.group(1)], name)


def detect_family(names: Iterable[str]) -> str | None:
    """Which family's names these are ("zoo" or "tutorial"), by the names only one of them uses;
    None when neither's are there."""
    votes = {"zoo": 0, "tutorial": 0}
    for name in names:
        for pattern, _, family in _RULES:
            if pattern.search(name):
                votes[family] += 1
    if not any(votes.values()):
        return None
    return max(votes, key=votes.get)


@dataclass(frozen=True, eq=False)
class MindSporeState:
    """A MindSpore checkpoint's weights under torchvision's names, and what was left out."""

    family: Family
    state_dict: dict[str, torch.Tensor]
    """torchvision name -> tensor (with the ``num_batches_tracked`` counters torchvision has)."""
    dropped: tuple[str, ...]
    """Names (as in the file) of the training state left out: optimizer state and counters."""
    looks_like: str | None
    """The architecture the weights look like (None: no ResNet)."""


def mindspore_state(values: Mapping[str, object], name: str) -> MindSporeState:
    """Sort a MindSpore file's ``values`` (name -> array, tensor or string) into weights under
    torchvision's names and training state; ``name`` names the file in messages.

    Raises WeightsError for a network that is not a plain ResNet of either family.
    """
    names = list(values)
    prefix = _network_prefix(names)
    se = [n for n in names if _SE_NAMES.search(n[len(prefix):] if n.startswith(prefix) else n)]
    if se:
        raise WeightsError(
            f"{name} holds a MindSpore SE-ResNet (squeeze-and-excitation layers such as {se[0]}), not a "
            f"plain ResNet: the explorer builds only the plain ResNet18/34/50/101/152."
        )
    weights = [n for n in names if n.startswith(prefix) and not isinstance(values[n], str)]
    family_key = detect_family(n[len(prefix):] for n in weights)
    if family_key is None:
        shown = ", ".join(names[:_SHOWN])
        raise WeightsError(
            f"{name} is a MindSpore checkpoint, but not of a ResNet from MindSpore's model zoo or its "
            f"ResNet50 tutorial (its first parameters: {shown}): the explorer cannot build that network."
        )
    mapped = {to_torchvision_name(n[len(prefix):]): n for n in weights}
    file_names = set(names)
    kept, dropped = {}, []
    for key, original in mapped.items():
        if _is_training_state(original, file_names):
            dropped.append(original)
        else:
            kept[key] = original
    dropped.extend(n for n in names if n not in mapped.values() and n not in dropped)
    state = {key: _as_tensor(values[original]) for key, original in kept.items()}
    for key in [k for k in state if k.endswith(".running_var")]:
        state.setdefault(key[: -len("running_var")] + "num_batches_tracked", torch.tensor(0))
    return MindSporeState(FAMILIES[family_key], state, tuple(dropped), guess_architecture(state))


def _network_prefix(names: list[str]) -> str:
    """The prefix every parameter of the network carries ("network." when a wrapper was saved), or ""
    (the shortest one before a stem ``conv1.weight``: optimizer slots add longer ones)."""
    stems = [name[: -len("conv1.weight")] for name in names if name.endswith("conv1.weight") and "layer" not in name]
    return min(stems, key=len, default="")


def _is_training_state(name: str, names: set[str]) -> bool:
    """Optimizer state and counters: top-level scalars (``global_step``, ``learning_rate`` ...) and
    per-parameter slots named ``<slot>.<parameter>`` (``moments.conv1.weight``, ``adam_m...``)."""
    if "." not in name:
        return True
    return name.partition(".")[2] in names


def _as_tensor(value) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    # a copy: the array is a read-only view of the file's bytes, maybe unaligned
    return torch.from_numpy(np.array(value))


# ---------------------------------------------------------------------------------- opening


def is_mindspore_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` should be read as a MindSpore file: a checkpoint (plain or encrypted), a
    safetensors file MindSpore wrote (metadata ``{"format": "ms"}`` or its names), or a ``.ckpt``
    that is no PyTorch or safetensors file (so that its error speaks of checkpoints)."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the PyTorch loader explains a missing or unreadable file
    if len(head) >= 9 and head[8:9] == b"{":
        return _is_mindspore_safetensors(file)
    if looks_like_checkpoint(head):
        return True
    is_torch = head.startswith(b"PK") or head.startswith(b"\x80")
    return bool(head) and file.suffix.lower() == ".ckpt" and not is_torch


def _is_mindspore_safetensors(file: Path) -> bool:
    from safetensors import safe_open

    try:
        with safe_open(str(file), framework="pt") as handle:
            metadata = handle.metadata() or {}
            keys = list(handle.keys())
    except Exception:  # noqa: BLE001 - a damaged file: the safetensors loader explains it
        return False
    return metadata.get("format") == "ms" or any(_BN_SUFFIX.search(key) for key in keys)


def read_mindspore_values(path: str | os.PathLike[str]) -> tuple[dict[str, object], str]:
    """A MindSpore file's entries (name -> array, tensor or string) and what it was ("checkpoint",
    "safetensors")."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            head = handle.read(9)
    except OSError as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "Cannot read {0}: {1}.").format(file, error.strerror or error)) from None
    if head[8:9] == b"{":
        return _read_safetensors(file), "safetensors"
    return dict(read_checkpoint(file).values), "checkpoint"


def _read_safetensors(file: Path) -> dict[str, object]:
    from safetensors import safe_open

    try:
        with safe_open(str(file), framework="pt") as handle:
            metadata = handle.metadata() or {}
            values = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118 - not a dict
    except Exception as error:  # noqa: BLE001 - safetensors raises its own types
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} could not be read as a safetensors file (truncated or damaged?).").format(file.name)) from error
    expected = metadata.get("crc_num")
    if expected is not None:  # MindSpore's checksum: each name and its bytes, in name order
        crc = 0
        for key in sorted(values):
            crc = zlib.crc32(key.encode("utf-8"), crc)
            crc = zlib.crc32(values[key].contiguous().view(torch.uint8).numpy().tobytes(), crc)
        if str(crc) != expected:
            raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is damaged: its CRC check fails. Copy or download the file again.").format(file.name))
    return values


def convention_of(family: Family, arch: str) -> ResNetConvention:
    """The convention a MindSpore network of ``family`` and ``arch`` computes with."""
    from viewer.core.architectures import ARCHITECTURE_SPECS

    return family.convention(ARCHITECTURE_SPECS[arch].block != "bottleneck")


def open_mindspore_weights(arch: str, source: WeightsSource) -> tuple[ResNet, WeightsSource]:
    """The ``arch`` network of a MindSpore file, built with its family's convention, and the
    completed source: label, preprocessing, class names (CIFAR-10's for 10 classes unless the
    source names them), what was dropped. A file of another depth raises
    :class:`~viewer.core.weights.ArchitectureMismatchError` naming the one it looks like."""
    file = Path(source.path)
    values, kind = read_mindspore_values(file)
    found = mindspore_state(values, file.name)
    looks = found.looks_like if found.looks_like is not None else arch
    basic = looks in ("resnet18", "resnet34")
    model = load_weights(arch, found.state_dict, found.family.convention(basic))
    classes = model.num_classes
    preprocessing, names = _dataset_facts(found.family, classes)
    what = "checkpoint" if kind == "checkpoint" else "checkpoint (safetensors)"
    label = f"MindSpore {found.family.title} {what}, {classes} classes ({file.name})"
    return model, replace(
        source, label=label, trained=True, class_names=source.class_names or names, preprocessing=preprocessing,
        convention=model.convention, family=found.family.key, dropped=found.dropped,
    )


def _dataset_facts(family: Family, classes: int) -> tuple[Preprocessing, tuple[str, ...] | None]:
    """The preprocessing and class names a family's network with ``classes`` outputs was trained with."""
    if classes == 10:
        return replace(CIFAR10, trained_size=family.cifar_size), CIFAR10_CLASSES
    if classes in (1000, 1001):  # the zoo's ImageNet nets have a 1001st output no label uses
        names = imagenet_classes() + (("(no ImageNet class)",) if classes == 1001 else ())
        return replace(IMAGENET, trained_size=224), names
    return replace(CIFAR10, trained_size=family.cifar_size), None


def describe_names(names: Iterable[str], shown: int = _SHOWN) -> str:
    """A short English list of entry names, slots of many parameters counted once: ``"moments.*
    (161), global_step, learning_rate, momentum"``."""
    groups: dict[str, int] = {}
    for name in names:
        head, dot, _ = name.partition(".")
        key = f"{head}.*" if dot else name
        groups[key] = groups.get(key, 0) + 1
    parts = [f"{key} ({count})" if key.endswith(".*") else key for key, count in groups.items()]
    return ", ".join(parts[:shown]) + (f" and {len(parts) - shown} more" if len(parts) > shown else "")


# ---------------------------------------------------------------------------------- saving


def mindspore_values(model: ResNet, family: str = "zoo") -> dict[str, np.ndarray]:
    """The model's weights under ``family``'s MindSpore names (float32 arrays), as its
    ``load_checkpoint`` + ``load_param_into_net`` expect them; no ``num_batches_tracked``."""
    chosen = FAMILIES[family]
    basic = model.block is BasicBlock
    chosen.convention(basic)  # the tutorial has no two-norm building block: say so
    values = {}
    for key, tensor in model.state_dict().items():
        if key.endswith("num_batches_tracked"):
            continue
        values[_mindspore_name(key, chosen.key, basic)] = tensor.detach().to(torch.float32).cpu().numpy()
    return values


def _mindspore_name(key: str, family: str, basic: bool) -> str:
    module, _, leaf = key.rpartition(".")
    is_bn = re.search(r"(^|\.)bn\d$", module) is not None or module.endswith("downsample.1")
    if is_bn:
        leaf = _TORCH_BN_SUFFIXES[leaf]
    if family == "zoo":
        module = re.sub(r"^fc$", "end_point", module)
        module = module.replace(".downsample.", ".down_sample_layer.").replace(".downsample", ".down_sample_layer")
        if basic:
            module = re.sub(r"^(layer\d\.\d+\.bn)([12])$", r"\1\2d", module)
    else:
        module = re.sub(r"^bn1$", "norm", module)
        module = re.sub(r"^(layer\d\.\d+\.)bn(\d)$", r"\1norm\2", module)
        module = module.replace(".downsample.", ".down_sample.").replace(".downsample", ".down_sample")
    return f"{module}.{leaf}"


def save_mindspore_checkpoint(model: ResNet, path: str | os.PathLike[str], family: str = "zoo") -> Path:
    """Write the model's weights as a ``.ckpt`` with ``family``'s names, which MindSpore's
    ``load_checkpoint`` reads (with the CRC trailer, so that damage is caught); UserError when it
    cannot be written."""
    from viewer.core.errors import UserError

    out = Path(path)
    values = mindspore_values(model, family)
    try:
        return write_checkpoint(out, values, crc=True)
    except OSError as error:
        raise UserError(QT_TRANSLATE_NOOP("UserError", "Cannot write {0}: {1}").format(out, error.strerror or error)) from None
