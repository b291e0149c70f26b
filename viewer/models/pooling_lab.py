"""The pooling lab's state, free of Qt: which map is pooled, how, and what came out.

The lab pools one map (a plane of the current image, or a feature map sent from the ResNet
explorer) with max, average and stochastic pooling at once. :class:`PoolingLabModel` holds the
settings, the map and the latest :class:`PoolingComparison`, and applies the lab's rules:

* a map with negative values offers ReLU, and is pooled stochastically only after it (p = a / sum a
  is no probability for negative a); max and average pool it either way;
* one set of colour levels for the input and its three outputs, from zero (a brighter cell
  means a larger value everywhere), centred on zero for a diverging colormap;
* the output-size formula's numbers come from :mod:`viewer.core.geometry`;
* a setting that cannot run is refused with its sentence, and the last result is dropped.

Every change goes through one method that answers with a :class:`~viewer.models.jobs.Job`
(the comparison to compute in the background), a
:class:`~viewer.models.jobs.Refusal`, or ``None`` (nothing to compute: draw again). The job's
result comes back through :meth:`PoolingLabModel.accept`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from viewer.core import colormaps
from viewer.core.errors import UserError
from viewer.core.geometry import OutputSizeTerms, output_size_terms
from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.images import PLANES, DecodedImage
from viewer.core.pooling import PoolStep, PoolSteps, average_of_samples, pool2d, pooling_geometry
from viewer.core.samples import load_sample
from viewer.models.conv_lab import ROW_STEPPING_ABOVE
from viewer.models.jobs import Job, Refusal

#: The source that pools the feature map sent from the explorer instead of a plane of the image.
FEATURE_SOURCE = "feature"

#: The range of each whole-number setting: the controls offer these, the model clamps to them
#: (``samples`` 0, one draw, stays 0).
LIMITS: dict[str, tuple[int, int]] = {
    "kernel": (1, 16), "stride": (1, 16), "padding": (0, 8), "seed": (0, 2**31 - 1), "samples": (2, 2000),
}
# Sentences for the user, translated by the page (context "PoolingLabModel").
NOTHING_TO_EXPORT = QT_TRANSLATE_NOOP("PoolingLabModel", "Nothing to export: the current settings give no output.")
NOT_A_FEATURE_MAP = QT_TRANSLATE_NOOP("PoolingLabModel", "A feature map must be a finite (H, W) array.")
#: Beyond this magnitude the difference maps (max - avg) could leave float32's range.
LARGEST_VALUE = 1.7e38
TOO_LARGE_MAP = QT_TRANSLATE_NOOP(
    "PoolingLabModel",
    "This feature map's values go beyond \u00b11.7e38: the differences between the poolings would "
    "leave float32's range, so they cannot be compared (a network this far gone has diverged).",
)


@dataclass(frozen=True)
class PoolingLabSettings:
    """What the lab's controls ask for."""

    source: str = "luminance"
    """A plane of the image (:data:`~viewer.core.images.PLANES`) or :data:`FEATURE_SOURCE`."""
    relu: bool = False
    """Pool ``max(0, x)`` instead of a map that has negative values."""
    colormap: str = colormaps.GRAY
    kernel: int = 2
    stride: int = 2
    padding: int = 0
    """Zero padding per side (at most half the window, as PyTorch requires)."""
    training: bool = True
    """Stochastic pooling draws one cell per window (True) or outputs the weighted mean (False)."""
    seed: int = 0
    samples: int = 0
    """0: show one training draw; N > 0: the mean of N draws."""


@dataclass(frozen=True)
class Preset:
    """A teaching preset: a synthetic sample and the window that makes its lesson visible."""

    stem: str
    """The bundled sample's stem; also the id of the explanation the page shows."""
    kernel: int
    stride: int
    padding: int


#: The teaching presets by stem; each shows the luminance in gray, stochastic at test time.
PRESETS: dict[str, Preset] = {
    "texture_patch": Preset("texture_patch", 4, 4, 0),
    "stripes": Preset("stripes", 4, 4, 0),
}


@dataclass(frozen=True, eq=False)
class PoolingComparison:
    """One map pooled three ways, and the steps of the window's slide over it."""

    x: np.ndarray
    """The (H, W) map that was pooled (after the optional ReLU)."""
    settings: PoolingLabSettings
    """The settings it was computed with (its colormap plays no part)."""
    outputs: dict[str, np.ndarray | None]
    """``"max"``, ``"avg"`` and ``"stochastic"`` (None: the map has negative values)."""
    max_steps: PoolSteps
    stochastic_steps: PoolSteps | None
    differences: dict[str, np.ndarray]
    """``"max_diff"`` and ``"stochastic_diff"``: each output minus the average (where it exists)."""
    convergence_gap: float | None = None
    """With N samples: the largest |mean of draws - weighted mean| over the output."""

    @cached_property
    def difference_levels(self) -> tuple[float, float]:
        """One scale centred on zero for both differences, so that they compare (computed once:
        the page draws and titles with it)."""
        return colormaps.levels(np.stack(list(self.differences.values())), centre=True)

    def steps_by_mode(self) -> dict[str, PoolSteps]:
        """The steps of every mode that has an output, for the stepping animation."""
        s = self.settings
        steps = {"max": self.max_steps, "avg": PoolSteps(self.x, "avg", s.kernel, s.stride, s.padding)}
        if self.stochastic_steps is not None:
            steps["stochastic"] = self.stochastic_steps
        return steps


def compare_pooling(
    x: np.ndarray, settings: PoolingLabSettings, cancelled: Callable[[], bool] | None = None
) -> PoolingComparison:
    """Max, average and stochastic pooling of ``x``, with their step sequences (a worker job).

    Stochastic pooling is skipped for a map with negative values. ``cancelled()`` is asked
    between the batches of the "average of N samples" (minutes on a photo with N = 2,000), which
    then raises :class:`~viewer.core.errors.Cancelled`.
    """
    import torch

    s = settings
    max_steps = PoolSteps(x, "max", s.kernel, s.stride, s.padding)
    outputs: dict[str, np.ndarray | None] = {
        "max": max_steps.output,
        "avg": pool2d(torch.from_numpy(x)[None], "avg", s.kernel, s.stride, s.padding)[0].numpy(),
        "stochastic": None,
    }
    stochastic_steps = gap = None
    if float(x.min()) >= 0:
        stochastic_steps = PoolSteps(x, "stochastic", s.kernel, s.stride, s.padding, training=s.training, seed=s.seed)
        outputs["stochastic"] = stochastic_steps.output
        if s.training and s.samples > 0:
            outputs["stochastic"] = average_of_samples(
                x, s.kernel, s.stride, s.padding, n=s.samples, seed=s.seed, cancelled=cancelled
            )
            weighted_mean = pool2d(torch.from_numpy(x)[None], "stochastic", s.kernel, s.stride, s.padding)[0].numpy()
            gap = float(np.abs(outputs["stochastic"] - weighted_mean).max())
    differences = {
        f"{mode}_diff": outputs[mode] - outputs["avg"] for mode in ("max", "stochastic") if outputs[mode] is not None
    }
    return PoolingComparison(x, s, outputs, max_steps, stochastic_steps, differences, gap)


@dataclass(frozen=True, eq=False)
class ComparisonExport:
    """What the comparison sheet (a PNG) shows: the map, its outputs, the settings and colours."""

    comparison: PoolingComparison
    colormap: str


@dataclass(frozen=True, eq=False)
class SteppingExport:
    """What a stepping GIF shows: these steps of every pooling, in these colours and speed."""

    steps: dict[str, PoolSteps]
    selection: range
    colormap: str
    fps: float


@dataclass(frozen=True)
class _FeatureMap:
    values: np.ndarray = field(repr=False)
    label: str


class PoolingLabModel:
    """The lab's settings, its map and the latest comparison, and the rules between them."""

    def __init__(self) -> None:
        self._settings = PoolingLabSettings()
        self._image: DecodedImage | None = None
        self._feature: _FeatureMap | None = None
        # the selected map and whether it has negatives, kept: a photo's plane takes milliseconds
        self._selected: tuple[np.ndarray | None, bool] | None = None
        self._result: PoolingComparison | None = None
        self._refusal = ""
        self._preset: str | None = None
        self._row_stepping = False  # the size class of the last comparison accepted
        # (result, centred?) -> its levels: the page asks for every map and every step
        self._levels: tuple[PoolingComparison, bool, tuple[float, float]] | None = None

    # -- what the page reads -----------------------------------------------------------------
    @property
    def settings(self) -> PoolingLabSettings:
        return self._settings

    @property
    def image(self) -> DecodedImage | None:
        """The image whose planes the lab pools (a preset's sample, or the current image)."""
        return self._image

    @property
    def feature_label(self) -> str | None:
        """The label of the feature map sent from the explorer (None before one arrives)."""
        return None if self._feature is None else self._feature.label

    @property
    def result(self) -> PoolingComparison | None:
        """The latest comparison; None while the settings are refused."""
        return self._result

    @property
    def refusal(self) -> str:
        """Why the current settings give no output ("" when they do)."""
        return self._refusal

    @property
    def preset(self) -> str | None:
        """The stem of the last preset applied: which explanation to show (None: none yet)."""
        return self._preset

    def _selection(self) -> tuple[np.ndarray | None, bool]:
        """The selected map as it is, before the optional ReLU (None without an image), and
        whether it has negative values."""
        if self._selected is None:
            if self._settings.source == FEATURE_SOURCE:
                values = None if self._feature is None else self._feature.values
            else:
                values = None if self._image is None else self._image.plane(self._settings.source)
            if values is not None:
                values.setflags(write=False)  # shared with every caller until the selection changes
            self._selected = (values, values is not None and bool((values < 0).any()))
        return self._selected

    @property
    def source_has_negatives(self) -> bool:
        """Whether the selected map has negative values (the lab then offers ReLU)."""
        return self._selection()[1]

    def current_map(self) -> np.ndarray | None:
        """The map to pool: the selected one, after ReLU if it has negatives and ReLU is on."""
        values, has_negatives = self._selection()
        return np.maximum(values, 0) if has_negatives and self._settings.relu else values

    @property
    def needs_relu(self) -> bool:
        """The latest comparison has no stochastic output: its map has negative values."""
        return self._result is not None and self._result.outputs["stochastic"] is None

    def levels(self) -> tuple[float, float]:
        """The colour levels of the input and the three outputs (one scale for all four)."""
        result = self._result
        if result is None:
            return (0.0, 1.0)
        centre = colormaps.is_diverging(self._settings.colormap)
        if self._levels is None or self._levels[0] is not result or self._levels[1] != centre:
            self._levels = (result, centre, colormaps.levels(result.x, from_zero=True, centre=centre))
        return self._levels[2]

    def stochastic_variant(self) -> str:
        """What the stochastic map shows, for its title: ``"needs_relu"``, ``"test"`` (the weighted
        mean), ``"mean"`` (the mean of N draws) or ``"draw"`` (one training draw)."""
        result = self._result
        if result is None or result.outputs["stochastic"] is None:
            return "needs_relu"
        if not result.settings.training:
            return "test"
        return "mean" if result.settings.samples else "draw"

    def formula(self) -> tuple[OutputSizeTerms, ...]:
        """The output-size formula's numbers for (rows, columns); one axis for a square map
        (both read the same); nothing without a map. A refused setting has no size on either
        axis (``size`` None)."""
        x = self._selection()[0]
        if x is None:
            return ()
        s = self._settings
        terms = tuple(output_size_terms(n, s.kernel, s.stride, s.padding, pooling=True) for n in x.shape)
        if self._refusal:
            terms = tuple(replace(term, size=None) for term in terms)
        return terms[:1] if x.shape[0] == x.shape[1] else terms

    def steps_at(self, index: int) -> tuple[PoolStep, PoolStep | None] | None:
        """The window at step ``index``: its max/average step and its stochastic step (None when
        the map needs ReLU); None when there is no such step."""
        result = self._result
        if result is None or not 0 <= index < len(result.max_steps):
            return None
        stochastic = None if result.stochastic_steps is None else result.stochastic_steps[index]
        return result.max_steps[index], stochastic

    def step_under(self, on_input: bool, row: int, col: int) -> int | None:
        """The step to show for a cell under the pointer: on the input, the first window that
        covers it; on an output, the window that fills it; None outside the map."""
        if self._result is None:
            return None
        steps = self._result.max_steps
        g = steps.geometry
        if on_input:
            if 0 <= row < g.input_hw[0] and 0 <= col < g.input_hw[1]:
                return steps.step_at_input(row + g.padding[0], col + g.padding[1])
            return None
        if 0 <= row < g.output_hw[0] and 0 <= col < g.output_hw[1]:
            return g.step_of(row, col)
        return None

    # -- what the page asks for --------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> Job | Refusal | None:
        """A new current image (a feature map being pooled stays until another source is chosen)."""
        self._image = image
        self._selected = None
        return self._recompute()

    def show_feature_map(self, values: np.ndarray, label: str) -> Job | Refusal | None:
        """Pool a feature map (H, W) from the explorer, in its default colormap, ReLU off."""
        values = np.array(values, dtype=np.float32)  # a copy: the sender keeps its own
        if values.ndim != 2 or 0 in values.shape or not np.isfinite(values).all():
            return Refusal(NOT_A_FEATURE_MAP)
        if float(np.abs(values).max()) > LARGEST_VALUE:
            return Refusal(TOO_LARGE_MAP)
        self._feature = _FeatureMap(values, label)
        self._selected = None
        self._settings = replace(
            self._settings, source=FEATURE_SOURCE, colormap=colormaps.default_for(values), relu=False
        )
        return self._recompute()

    def set_settings(self, settings: PoolingLabSettings) -> Job | Refusal | None:
        """New settings; a colormap alone only needs drawing again (None)."""
        if settings.source not in PLANES and not (settings.source == FEATURE_SOURCE and self._feature is not None):
            raise ValueError(f"no map {settings.source!r} to pool")
        colormaps.check_name(settings.colormap)
        settings = _clamped(settings)
        previous, self._settings = self._settings, settings
        if settings.source != previous.source:
            self._selected = None
        if replace(previous, colormap=settings.colormap) == settings:
            return None
        return self._recompute()

    def set_window(self, kernel: int, stride: int, padding: int) -> Job | Refusal | None:
        """Window size, stride and padding at once (one recompute, not three)."""
        return self.set_settings(replace(self._settings, kernel=kernel, stride=stride, padding=padding))

    def resample(self) -> Job | Refusal | None:
        """The next seed: another training draw."""
        return self.set_settings(replace(self._settings, seed=self._settings.seed + 1))

    def apply_preset(self, stem: str) -> Job | Refusal | None:
        """A synthetic sample with the settings that make its lesson visible (see :attr:`preset`)."""
        preset = PRESETS[stem]
        self._image = load_sample(preset.stem)
        self._selected = None
        self._preset = preset.stem
        self._settings = replace(
            self._settings, source="luminance", colormap=colormaps.GRAY, training=False,
            kernel=preset.kernel, stride=preset.stride, padding=preset.padding,
        )
        return self._recompute()

    def accept(self, result: PoolingComparison) -> str | None:
        """The comparison a job computed for the current settings.

        Returns the stepping to switch to (``"row"`` or ``"cell"``) when the number of steps
        crossed :data:`~viewer.models.conv_lab.ROW_STEPPING_ABOVE` (a photo has 65,536 windows:
        row by row is the only way to watch it fill in), else None (the student's choice stays).
        """
        self._result = result
        row_stepping = len(result.max_steps) > ROW_STEPPING_ABOVE
        if row_stepping == self._row_stepping:
            return None
        self._row_stepping = row_stepping
        return "row" if row_stepping else "cell"

    def row_length(self) -> int:
        """Steps in one output row of the latest comparison (1 without one)."""
        return 1 if self._result is None else self._result.max_steps.geometry.output_hw[1]

    def fail(self, message: str) -> None:
        """A job could not compute the comparison; ``message`` says why (the last one stays)."""
        self._refusal = message

    def comparison_export(self) -> ComparisonExport | Refusal:
        """What the comparison sheet shows now (a refusal while the settings give no output)."""
        if self._result is None:
            return Refusal(NOTHING_TO_EXPORT)
        return ComparisonExport(self._result, self._settings.colormap)

    def stepping_export(self, start: int, frames: int, fps: float) -> SteppingExport | Refusal:
        """``frames`` steps from step ``start`` (fewer at the end), at ``fps``."""
        if self._result is None:
            return Refusal(NOTHING_TO_EXPORT)
        selection = range(start, min(len(self._result.max_steps), start + frames))
        return SteppingExport(self._result.steps_by_mode(), selection, self._settings.colormap, fps)

    # -- rules -------------------------------------------------------------------------------
    def _recompute(self) -> Job | Refusal | None:
        x = self.current_map()
        if x is None:
            return None
        s = self._settings
        try:
            pooling_geometry(x.shape, s.kernel, s.stride, s.padding)
        except UserError as error:
            self._refusal = str(error)
            self._result = None
            return Refusal(self._refusal)
        self._refusal = ""
        return Job(compare_pooling, (np.array(x), s))


def _clamped(settings: PoolingLabSettings) -> PoolingLabSettings:
    """``settings`` with each whole number inside its :data:`LIMITS`."""
    values = {name: min(max(int(getattr(settings, name)), low), high) for name, (low, high) in LIMITS.items()}
    if settings.samples == 0:
        values["samples"] = 0
    return replace(settings, **values)
