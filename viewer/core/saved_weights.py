"""Weights the explorer saves in torchvision's layout, with what it takes to get the same numbers back.

A MindSpore network opened in the explorer computes with MindSpore's padding and batch-norm eps
(:mod:`viewer.core.conventions`). Saved as a bare torchvision state_dict, that would be lost: a
plain torchvision ResNet computes other numbers from the same weights. So the file also records
the convention, the preprocessing, the class names and where the weights came from, and the
explorer reads them back (:func:`read_saved_facts`) to reopen it with the same numbers:

* ``.safetensors``: string metadata in the header, under the keys ``cnn_viewer.*`` below;
* ``.pth``: ``{"state_dict": ..., "cnn_viewer": {the same keys: strings}}``, which
  ``torch.load(weights_only=True)`` reads and every PyTorch user knows to unwrap.

``cnn_viewer.note`` says it in a sentence for whoever opens the file elsewhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from viewer.core.conventions import TORCHVISION, ResNetConvention
from viewer.core.errors import UserError
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.preprocess import Preprocessing
from viewer.core.resnet import ResNet
from viewer.core.weights import WeightsError, WeightsSource

__all__ = ["METADATA_KEY", "SavedFacts", "convention_text", "read_saved_facts", "save_torchvision_weights", "saved_metadata"]

#: the .pth entry holding the metadata, and the prefix of the safetensors metadata keys
METADATA_KEY = "cnn_viewer"
#: the file suffixes :func:`save_torchvision_weights` writes
SUFFIXES = (".safetensors", ".pth")


@dataclass(frozen=True)
class SavedFacts:
    """What a file saved by the explorer says about its weights."""

    convention: ResNetConvention
    preprocessing: Preprocessing | None
    class_names: tuple[str, ...] | None
    origin: str
    """The weights' label when they were saved ("MindSpore model zoo checkpoint, 10 classes (...)")."""

    def complete(self, source: WeightsSource) -> WeightsSource:
        """``source`` with these facts (class names the user gave win over the file's)."""
        label = f"{source.label}, saved from {self.origin}" if self.origin else source.label
        return replace(
            source, label=label, convention=self.convention, preprocessing=self.preprocessing or source.preprocessing,
            class_names=source.class_names or self.class_names,
        )


def convention_text(convention: ResNetConvention) -> str:
    """The convention in a phrase: "MindSpore 'same' padding (asymmetric), batch-norm eps 0.0001"."""
    padding = "MindSpore 'same' padding (asymmetric)" if convention.asymmetric else "torchvision padding (symmetric)"
    eps = " and ".join(f"{value:g}" for value in convention.eps_values)
    return f"{padding}, batch-norm eps {eps}"


def saved_metadata(source: WeightsSource, arch: str) -> dict[str, str]:
    """The metadata recorded with weights of ``source`` for architecture ``arch`` (strings only)."""
    convention = source.convention
    p = source.preprocessing
    if convention == TORCHVISION:
        note = "Computed with torchvision's convention: a torchvision ResNet gives the same numbers."
    else:
        note = (f"Computed with {convention_text(convention)}: a plain torchvision ResNet computes different "
                f"numbers from these weights. cnn-viewer reads these settings back and gives the same numbers.")
    metadata = {
        "arch": arch,
        "padding": convention.padding,
        "bn_eps": repr(convention.bn_eps),
        "preprocessing": json.dumps({"name": p.name, "mean": list(p.mean), "std": list(p.std),
                                     "trained_size": p.trained_size}),
        "source": source.label,
        "note": note,
    }
    if convention.block_bn_eps is not None:
        metadata["block_bn_eps"] = repr(convention.block_bn_eps)
    if source.class_names is not None:
        metadata["class_names"] = json.dumps(list(source.class_names), ensure_ascii=False)
    return {f"{METADATA_KEY}.{key}": value for key, value in metadata.items()}


def save_torchvision_weights(model: ResNet, source: WeightsSource, path: str | os.PathLike[str]) -> Path:
    """Write the model's state_dict in torchvision's layout to a ``.safetensors`` or ``.pth``
    file, with :func:`saved_metadata`; UserError when it cannot be written."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(QT_TRANSLATE_NOOP("UserError", "Choose a file name ending in {0} (not {1}).").format(' or '.join(SUFFIXES), out.name))
    state = {key: value.detach().cpu().contiguous() for key, value in model.state_dict().items()}
    metadata = saved_metadata(source, getattr(model, "arch", "resnet"))
    try:
        if suffix == ".safetensors":
            from safetensors.torch import save_file

            save_file(state, str(out), metadata={"format": "pt", **metadata})
        else:
            plain = {key[len(METADATA_KEY) + 1:]: value for key, value in metadata.items()}
            torch.save({"state_dict": state, METADATA_KEY: plain}, out)
    except (OSError, RuntimeError) as error:  # torch.save reports a missing folder as a RuntimeError
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error).split(". ")[0]
        raise UserError(QT_TRANSLATE_NOOP("UserError", "Cannot write {0}: {1}").format(out, reason)) from None
    return out


def read_saved_facts(path: str | os.PathLike[str]) -> SavedFacts | None:
    """The facts a file saved by the explorer records; None for any other file (or one that cannot
    be read: the weights loader explains that). WeightsError for metadata that is ours but damaged."""
    metadata = _metadata(Path(path))
    if metadata is None or "padding" not in metadata:
        return None
    try:
        block_eps = metadata.get("block_bn_eps")
        convention = ResNetConvention(metadata["padding"], float(metadata["bn_eps"]),
                                      None if block_eps is None else float(block_eps))
        preprocessing = None
        if "preprocessing" in metadata:
            p = json.loads(metadata["preprocessing"])
            preprocessing = Preprocessing(str(p["name"]), tuple(float(v) for v in p["mean"]),
                                          tuple(float(v) for v in p["std"]), p.get("trained_size"))
        names = None
        if "class_names" in metadata:
            names = tuple(str(name) for name in json.loads(metadata["class_names"]))
    except (KeyError, TypeError, ValueError) as error:
        raise WeightsError(
            f"{Path(path).name} was saved by cnn-viewer, but its metadata is damaged ({error}): the padding "
            f"and normalisation its numbers need are unknown."
        ) from None
    return SavedFacts(convention, preprocessing, names, metadata.get("source", ""))


def _metadata(file: Path) -> dict[str, str] | None:
    """Our metadata keys (without the prefix) of a safetensors or .pth file; None without any."""
    try:
        with file.open("rb") as handle:
            head = handle.read(9)
    except OSError:
        return None
    if head[8:9] == b"{":
        from safetensors import safe_open

        try:
            with safe_open(str(file), framework="pt") as handle:
                raw = handle.metadata() or {}
        except Exception:  # noqa: BLE001 - a damaged file: the loader explains it
            return None
        prefix = METADATA_KEY + "."
        found = {key[len(prefix):]: value for key, value in raw.items() if key.startswith(prefix)}
        return found or None
    if not head.startswith(b"PK"):
        return None
    try:
        contents = torch.load(file, map_location="cpu", weights_only=True, mmap=True)
    except Exception:  # noqa: BLE001 - the loader explains a file it cannot read
        return None
    found = contents.get(METADATA_KEY) if isinstance(contents, dict) else None
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        return None
    return dict(found)
