"""Fetching torchvision's official ImageNet ResNet50 weights into the torch hub cache.

Kept apart from :mod:`viewer.core.weights` because it is a different idea: the network, the
cache folder and a file that must never look usable unless it is complete. A download is
written to a temporary file beside the target, its SHA-256 is checked against the prefix in
torchvision's file name, and only then is it renamed into place with :func:`os.replace`, so
an interrupted, corrupted or cancelled download leaves nothing behind under the real name.
Every failure (offline, refused, interrupted, corrupted, disk full) is a
:class:`~viewer.core.weights.WeightsError` whose message says what to do next.

The downloaded file is then read like any other weights file, through the same safe loader
(``torch.load(weights_only=True)``): :func:`imagenet_source` describes it.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import torch

from viewer.core.errors import Cancelled
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.weights import WeightsError, WeightsSource

__all__ = [
    "IMAGENET_WEIGHTS",
    "WeightSpec",
    "cached_weights_path",
    "download_weights",
    "imagenet_source",
]

_CHUNK = 1 << 18


@dataclass(frozen=True)
class WeightSpec:
    """One of torchvision's official checkpoints."""

    variant: str
    arch: str
    url: str
    #: the hex digits in the file name: the start of the file's SHA-256
    sha256_prefix: str
    description: str

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]


IMAGENET_WEIGHTS: dict[str, WeightSpec] = {
    "IMAGENET1K_V1": WeightSpec(
        "IMAGENET1K_V1",
        "resnet50",
        "https://download.pytorch.org/models/resnet50-0676ba61.pth",
        "0676ba61",
        "ImageNet-1k, original recipe (top-1 76.1 %), 98 MB",
    ),
    "IMAGENET1K_V2": WeightSpec(
        "IMAGENET1K_V2",
        "resnet50",
        "https://download.pytorch.org/models/resnet50-11ad3fa6.pth",
        "11ad3fa6",
        "ImageNet-1k, improved recipe (top-1 80.9 %), 98 MB",
    ),
}


def _spec(variant: str) -> WeightSpec:
    try:
        return IMAGENET_WEIGHTS[variant]
    except KeyError:
        raise WeightsError(
            f"Unknown weights {variant!r}; choose one of {', '.join(IMAGENET_WEIGHTS)}."
        ) from None


def cached_weights_path(variant: str) -> Path:
    """Where ``variant`` lives in the torch hub cache (the file torchvision itself uses)."""
    return Path(torch.hub.get_dir()) / "checkpoints" / _spec(variant).filename


def imagenet_source(variant: str, path: str | os.PathLike[str]) -> WeightsSource:
    """The weights source of a downloaded ``variant`` at ``path``."""
    spec = _spec(variant)
    return WeightsSource("imagenet", f"ImageNet ({spec.variant})", str(path), f"imagenet:{spec.variant}")


def download_weights(
    variant: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    url: str | None = None,
    timeout: float = 30,
) -> Path:
    """Download ``variant`` into the torch hub cache and return its path.

    Parameters
    ----------
    progress
        Called with ``(bytes so far, total bytes)``; total is 0 when the server does not say.
    cancelled
        Polled between chunks; when it returns True the download stops with
        :class:`~viewer.core.errors.Cancelled` (nothing is saved).
    url
        Download from here instead of torchvision's URL (tests, mirrors); the hash check
        still applies.

    The file is written to a ``.partial`` temporary file beside the target, its SHA-256 is
    compared with the prefix in the file name, and only then is it renamed into place, so an
    interrupted, corrupted or cancelled download leaves nothing behind. An already cached,
    intact file is returned without downloading.
    """
    spec = _spec(variant)
    target = cached_weights_path(variant)
    source = url or spec.url
    host = urllib.parse.urlsplit(source).netloc or source
    try:
        if target.is_file():
            if _sha256(target).startswith(spec.sha256_prefix):
                return target
            target.unlink()  # damaged: it must not keep looking cached if this download fails
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False
        )
    except OSError as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "Cannot write to the cache folder {0}: {1}.").format(target.parent, error.strerror)) from error
    partial = Path(handle.name)
    try:
        with handle:
            digest = _fetch(source, host, handle, progress, cancelled, timeout)
        if not digest.startswith(spec.sha256_prefix):
            raise WeightsError(
                f"The download from {host} is corrupted: its checksum starts {digest[:8]}, "
                f"expected {spec.sha256_prefix}. Nothing was saved; try again."
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _fetch(
    source: str,
    host: str,
    handle: BinaryIO,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    timeout: float,
) -> str:
    """Stream ``source`` into ``handle``; return the hex SHA-256 of what was received."""
    digest = hashlib.sha256()
    offline = (
        f"Could not reach {host}: check your connection, or load a weights file instead."
    )
    try:
        with urllib.request.urlopen(source, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            received = 0
            if progress is not None:
                progress(0, total)
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled("Download cancelled; nothing was saved.")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                try:
                    handle.write(chunk)
                except OSError as error:
                    raise WeightsError(
                        f"Could not save the download: {error.strerror} (is the disk full?)."
                    ) from error
                digest.update(chunk)
                received += len(chunk)
                if progress is not None:
                    progress(received, total)
    except urllib.error.HTTPError as error:
        raise WeightsError(
            f"{host} refused the download ({error.code} {error.reason}). Try again later, "
            f"or load a weights file instead."
        ) from error
    except http.client.IncompleteRead as error:
        raise _interrupted(host) from error
    except urllib.error.URLError as error:
        raise WeightsError(offline) from error
    except (ConnectionError, TimeoutError, http.client.HTTPException) as error:
        raise _interrupted(host) from error
    except OSError as error:
        raise WeightsError(offline) from error
    if total and received < total:
        raise _interrupted(host, received, total)
    return digest.hexdigest()


def _interrupted(host: str, received: int | None = None, total: int | None = None) -> WeightsError:
    amount = f" after {received:,} of {total:,} bytes" if received is not None else ""
    return WeightsError(
        f"The download from {host} was interrupted{amount}. Nothing was saved; check your "
        f"connection and try again."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
