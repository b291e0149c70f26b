"""The convolution lab's state and rules, free of Qt: which kernel slides over which input, and
what must be computed next.

The lab's page forwards every change to one method of :class:`ConvLabModel`, which answers with
what to do:

* a :class:`KernelSlide`: a small input (at most :data:`SYNC_INPUT_VALUES` values, such as the
  5x5 course example) computed at once, so that it answers without a flicker;
* a :class:`~viewer.models.jobs.Job`: a larger input, for the page's worker;
* a :class:`~viewer.models.jobs.Refusal`: an impossible setting, with the sentence that says why;
* ``None``: nothing to compute (no image yet, or a new image waiting behind the numeric matrix).

Either kind of slide goes back in through :meth:`ConvLabModel.accept`; the page then draws what
the model holds and writes :attr:`ConvLabModel.settings` back into its controls.

The rules kept here: a new preset brings its own kernel (and size, when fixed); resizing a fixed
or typed kernel turns it into a custom one with its weights kept centred; typed weights survive
shrinking the kernel and switching to fewer channels (:meth:`ConvLabModel.edit_kernel`); a new
image waits one click away behind the numeric matrix or a custom input; large slides suggest
row-by-row stepping; a GIF holds at most :data:`MAX_GIF_FRAMES` frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from viewer.core.conv import (
    ConvSetup,
    ConvSteps,
    conv_geometry,
    course_example,
    input_rgb,
    output_levels,
)
from viewer.core.geometry import OutputSizeTerms, output_size_terms
from viewer.core.images import CHANNELS, DecodedImage
from viewer.core.kernels import MAX_KERNEL_SIDE, PRESETS, make_kernel
from viewer.models.jobs import Job, Refusal

#: Input sources, in menu order: a channel of the current image, the numeric matrix, or a setup
#: sent by another page (``custom``).
SOURCES = (*CHANNELS, "matrix", "custom")
#: The sources that are the lab's own input, not the current image.
OWN_INPUTS = ("matrix", "custom")
#: Above this many steps the lab suggests row-by-row stepping.
ROW_STEPPING_ABOVE = 4096
#: Inputs up to this many values (C * H * W) are computed at once on the caller's thread (the 5x5
#: example must answer instantly); larger ones in a job, so that the GUI never stalls.
SYNC_INPUT_VALUES = 128 * 128
#: At most this many frames in one exported GIF (the last ones).
MAX_GIF_FRAMES = 400
#: An exported GIF plays at the lab's speed, but no faster than this (GIF viewers cannot).
MAX_GIF_FPS = 25.0


@dataclass(frozen=True, eq=False)
class LabSettings:
    """What the settings form holds, as plain values."""

    source: str
    """One of :data:`SOURCES`."""
    matrix: np.ndarray
    """The numeric matrix, (H, W) float32 (used when ``source`` is ``matrix``)."""
    preset: str
    """A name of :data:`~viewer.core.kernels.PRESETS`."""
    kernel_hw: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    """Cells per side, as PyTorch counts them (the top and left sides when ``padding_end`` is set)."""
    dilation: tuple[int, int]
    padding_mode: str
    bias: float
    padding_end: tuple[int, int] | None = None
    """(bottom, right) cells when they differ from ``padding`` (MindSpore's "same" padding puts
    the odd cell there); None: symmetric."""


@dataclass(frozen=True, eq=False)
class KernelSlide:
    """One setting's slide: the steps and what the pictures need, made off the GUI thread."""

    steps: ConvSteps
    input_rgb: np.ndarray
    """(Hp, Wp, 3) uint8 picture of the padded input."""
    levels: tuple[float, float]
    """Output colour levels (low, high); centred on zero for a signed output."""
    rgb_channel: int
    """Input channel drawn (-1: the three colour channels)."""


@dataclass(frozen=True, eq=False)
class ImageInput:
    """A channel of an image, converted to (C, H, W) only in the job.

    Converting a 2048x2048 photo (a 48 MB copy for all three channels) took up to 140 ms on
    the GUI thread; its shape is all the model needs to check the setting.
    """

    image: DecodedImage
    source: str
    """One of :data:`~viewer.core.images.CHANNELS`."""

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.image.planes_shape(self.source)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def array(self) -> np.ndarray:
        return self.image.planes(self.source)


def slide_kernel(x: np.ndarray | ImageInput, kernel: np.ndarray, bias: float, stride: tuple[int, int],
                 padding: tuple[int, int], dilation: tuple[int, int], padding_mode: str,
                 rgb_channel: int, padding_end: tuple[int, int] | None = None) -> KernelSlide:
    """The steps of one setting and their pictures (ValueError with a sentence if impossible)."""
    if isinstance(x, ImageInput):
        x = x.array()
    steps = ConvSteps(x, kernel, bias, stride, padding, dilation, padding_mode, padding_end=padding_end)
    return KernelSlide(steps, input_rgb(steps, rgb_channel), output_levels(steps.output), rgb_channel)


@dataclass(frozen=True)
class LoadedInput:
    """The input the lab last loaded on purpose, which its banner names."""

    example: int | None
    """The course example's number, or None for a setup sent by another page."""
    label: str
    """The setup's label (the page translates a course example's title itself)."""


@dataclass(frozen=True, eq=False)
class GifExport:
    """What a GIF of the steps so far shows, and where it goes."""

    steps: ConvSteps
    frames: tuple[int, ...]
    """Step indices, in order."""
    path: str
    fps: float
    channel: int
    """Input channel drawn (-1: the three colour channels)."""


def _resize_centered(kernel: np.ndarray, hw: tuple[int, int]) -> np.ndarray:
    """Crop or zero-pad a (C, kh, kw) kernel around its centre (keeps typed weights)."""
    out = np.zeros((kernel.shape[0], *hw), np.float32)
    rows, cols = min(hw[0], kernel.shape[1]), min(hw[1], kernel.shape[2])
    src_r, src_c = (kernel.shape[1] - rows) // 2, (kernel.shape[2] - cols) // 2
    dst_r, dst_c = (hw[0] - rows) // 2, (hw[1] - cols) // 2
    out[:, dst_r : dst_r + rows, dst_c : dst_c + cols] = kernel[:, src_r : src_r + rows, src_c : src_c + cols]
    return out


def _settings_of(setup: ConvSetup, source: str, matrix: np.ndarray) -> LabSettings:
    kernel_hw = (int(setup.kernel.shape[1]), int(setup.kernel.shape[2]))
    return LabSettings(source, matrix, "custom", kernel_hw, setup.stride, setup.padding, setup.dilation,
                       setup.padding_mode, setup.bias, setup.padding_end)


Outcome = KernelSlide | Job | Refusal | None
"""What a change asks of the page: accept a slide, run a job, explain a refusal, or nothing."""


class ConvLabModel:
    """The lab's settings, input, kernel and last slide, and the rules between them.

    Starts on course example 1 (nothing computed yet: :meth:`refresh` says what to do).
    Attributes (read them; change them through the methods):

    * ``settings`` (:class:`LabSettings`), ``image`` (the current image or None), ``custom``
      (the :class:`~viewer.core.conv.ConvSetup` sent by another page, or None), ``loaded``
      (:class:`LoadedInput`: the input last loaded on purpose);
    * ``kernel``: the (C, kh, kw) float32 kernel slid, C following the input;
    * ``view_channel``: the input channel shown in the grids and the input picture;
    * ``result`` (the :class:`KernelSlide` shown, or None) and ``refusal`` (why the current
      setting cannot run, or None);
    * ``image_source``: the image channel last chosen, where "use the image" goes back to;
    * ``gif``: the GIF export last asked for (its path names it in the page's messages).
    """

    def __init__(self) -> None:
        self.image: DecodedImage | None = None
        self.custom: ConvSetup | None = None
        self.result: KernelSlide | None = None
        self.refusal: Refusal | None = None
        self.view_channel = 0
        self.image_source = "luminance"
        self.gif: GifExport | None = None
        self._row_stepping = False  # the size class of the last slide accepted
        self._load_example(1)

    # -- inputs ---------------------------------------------------------------------------
    def set_image(self, image: DecodedImage) -> Outcome:
        """Take the new current image, without throwing away what the student is looking at.

        On an image source it is slid at once. On the numeric matrix (a course example) or a
        custom input (a real ResNet kernel), which may hold edits or have been sent on purpose,
        the image waits (:meth:`image_waiting`) and nothing is computed.
        """
        self.image = image
        if self.settings.source in OWN_INPUTS:
            return None
        return self._rebuild()

    def image_waiting(self) -> bool:
        """Whether an image is loaded but hidden behind the matrix or a custom input."""
        return self.image is not None and self.settings.source in OWN_INPUTS

    def set_source(self, source: str) -> Outcome:
        """Switch the input (one of :data:`SOURCES`), every other setting kept (nothing to do
        when it is the input already)."""
        if source == self.settings.source:
            return None
        return self.set_settings(replace(self.settings, source=source))

    def use_image(self) -> Outcome:
        """Switch to the current image, on the image channel last chosen."""
        return self.set_source(self.image_source)

    def load_setup(self, setup: ConvSetup) -> Outcome:
        """Show a setup sent by another page (e.g. one kernel of a ResNet layer) as the custom input."""
        self.custom = setup
        self.loaded = LoadedInput(None, setup.label)
        self._set_new_kernel(setup.kernel)
        self.settings = _settings_of(setup, "custom", self.settings.matrix)
        return self._rebuild()

    def load_course_example(self, number: int) -> Outcome:
        """One of the syllabus's worked examples (1 or 2), as an editable numeric matrix."""
        self._load_example(number)
        return self._rebuild()

    def _load_example(self, number: int) -> None:
        setup = course_example(number)
        self.custom = None  # the custom input is left for good: only a new setup brings one back
        self.loaded = LoadedInput(number, setup.label)
        self._set_new_kernel(setup.kernel)
        self.settings = _settings_of(setup, "matrix", setup.x[0])

    def banner_shown(self) -> bool:
        """Whether the lab's own input is shown, so that a banner names it (:attr:`loaded`)."""
        return self.settings.source in OWN_INPUTS

    def input_shape(self) -> tuple[int, int, int] | None:
        """(C, H, W) of the input the settings slide over; None without one (no image yet)."""
        x = self._input()
        return None if x is None else tuple(int(n) for n in x.shape)

    def _input(self) -> np.ndarray | ImageInput | None:
        source = self.settings.source
        if source == "custom":
            return None if self.custom is None else self.custom.x
        if source == "matrix":
            return self.settings.matrix[None]
        return None if self.image is None else ImageInput(self.image, source)

    # -- settings -------------------------------------------------------------------------
    def set_settings(self, settings: LabSettings) -> Outcome:
        """Apply the form's values; the preset and size rules may change them (read
        :attr:`settings` back).

        A new preset brings its own kernel (and its size, when the preset's size is fixed).
        A new size rebuilds a resizable preset at that size; a fixed or typed kernel becomes
        ``custom`` instead, its weights kept centred.
        """
        if not all(1 <= side <= MAX_KERNEL_SIDE for side in settings.kernel_hw):
            return self._refuse(f"A kernel side must be between 1 and {MAX_KERNEL_SIDE} (got "
                                f"{settings.kernel_hw[0]}x{settings.kernel_hw[1]}).")
        if settings.preset != self.settings.preset:
            if settings.preset != "custom":
                kernel = make_kernel(settings.preset, settings.kernel_hw)
                settings = replace(settings, kernel_hw=(int(kernel.shape[0]), int(kernel.shape[1])))
                self._set_new_kernel(kernel[None])
        elif settings.kernel_hw != self.kernel.shape[1:]:
            if PRESETS[settings.preset].resizable and settings.preset != "custom":
                self._set_new_kernel(make_kernel(settings.preset, settings.kernel_hw)[None])
            else:
                settings = replace(settings, preset="custom")
                self.kernel = self._kernel_shown(self.kernel.shape[0], settings.kernel_hw)
        if settings.source not in OWN_INPUTS:
            self.image_source = settings.source
        self.settings = settings
        return self._rebuild()

    def refresh(self) -> Outcome:
        """What to do to show the current settings (the first slide, for instance)."""
        return self._rebuild()

    def output_sizes(self) -> tuple[OutputSizeTerms, OutputSizeTerms] | None:
        """Both output-size formulas' numbers for (rows, columns); None without an input.

        A refused setting has no size on either axis (``size`` None), whatever the formula's
        arithmetic gives: a reflection longer than the input, say, cannot run at any size.
        """
        shape = self.input_shape()
        if shape is None:
            return None
        s = self.settings
        end = s.padding if s.padding_end is None else s.padding_end
        rows, cols = (output_size_terms(shape[1 + axis], s.kernel_hw[axis], s.stride[axis], s.padding[axis],
                                        s.dilation[axis], padding_end=end[axis]) for axis in (0, 1))
        if self.refusal is not None:
            rows, cols = replace(rows, size=None), replace(cols, size=None)
        return rows, cols

    # -- the kernel and its memory --------------------------------------------------------
    def _set_new_kernel(self, kernel: np.ndarray) -> None:
        """A kernel from a preset, an example or a setup: what was typed before is replaced."""
        self.kernel = np.array(kernel, np.float32, ndmin=3)
        # Everything typed into the kernel, at the largest size and channel count it has had:
        # shrinking the kernel, or showing a 1-channel input, only crops what is shown, so
        # growing back (or returning to RGB) brings the typed weights back.
        self._kernel_memory = self.kernel.copy()

    def _kernel_shown(self, channels: int, hw: tuple[int, int]) -> np.ndarray:
        """The kernel at ``channels`` x ``hw``, cut from the memory (which grows, never shrinks)."""
        memory = self._kernel_memory
        grown = (max(memory.shape[1], hw[0]), max(memory.shape[2], hw[1]))
        if grown != memory.shape[1:]:
            memory = _resize_centered(memory, grown)
        if memory.shape[0] < channels:  # a new channel starts as a copy of the first
            memory = np.concatenate([memory, np.repeat(memory[:1], channels - memory.shape[0], axis=0)])
        self._kernel_memory = memory
        return _resize_centered(memory[:channels], hw)

    def edit_kernel(self, channel: int, row: int, col: int, value: float) -> Outcome:
        """One typed weight: the kernel becomes ``custom``, and the weight is remembered."""
        self.settings = replace(self.settings, preset="custom")
        kernel = self.kernel.copy()  # a job may still hold the old one
        kernel[channel, row, col] = value
        self.kernel = kernel
        kh, kw = kernel.shape[1:]
        memory = self._kernel_memory
        memory[channel, row + (memory.shape[1] - kh) // 2, col + (memory.shape[2] - kw) // 2] = value
        return self._rebuild()

    def set_kernel(self, kernel: np.ndarray) -> Outcome:
        """A whole (C, kh, kw) kernel typed elsewhere (a saved session): it becomes the ``custom``
        kernel, remembered as typed."""
        kernel = np.array(kernel, np.float32, ndmin=3)
        self.settings = replace(self.settings, preset="custom", kernel_hw=(int(kernel.shape[1]), int(kernel.shape[2])))
        self._set_new_kernel(kernel)
        return self._rebuild()

    # -- computing ------------------------------------------------------------------------
    def _rebuild(self) -> Outcome:
        """Check the setting at once (cheap); slide small inputs now, larger ones in a job."""
        x = self._input()
        if x is None:
            return None
        s = self.settings
        channels = x.shape[0]
        self.kernel = self._kernel_shown(channels, s.kernel_hw)
        try:
            conv_geometry(x.shape[1:], s.kernel_hw, s.stride, s.padding, s.dilation, s.padding_mode, s.padding_end)
        except ValueError as exc:
            return self._refuse(str(exc))
        self.refusal = None
        self.view_channel = min(self.view_channel, channels - 1)
        rgb_channel = -1 if s.source == "rgb" else self.view_channel
        job = Job(slide_kernel, (x, self.kernel, s.bias, s.stride, s.padding, s.dilation, s.padding_mode,
                                 rgb_channel, s.padding_end))
        if x.size > SYNC_INPUT_VALUES:
            return job
        try:
            return job.run()
        except ValueError as exc:
            return self._refuse(str(exc))

    def _refuse(self, message: str) -> Refusal:
        self.result = None
        self.refusal = Refusal(message)
        return self.refusal

    def accept(self, slide: KernelSlide) -> str | None:
        """Show a finished slide. Returns the stepping to switch to (``"row"`` or ``"cell"``)
        when the slide's size class changed, else None (the student's choice is kept)."""
        self.result = slide
        self.refusal = None
        self.view_channel = min(self.view_channel, slide.steps.kernel.shape[0] - 1)
        row_stepping = len(slide.steps) > ROW_STEPPING_ABOVE
        if row_stepping == self._row_stepping:
            return None
        self._row_stepping = row_stepping
        return "row" if row_stepping else "cell"

    def fail(self, error: BaseException) -> Refusal | None:
        """A job's error: an impossible setting becomes the refusal shown; None for a real failure."""
        return self._refuse(str(error)) if isinstance(error, ValueError) else None

    def set_view_channel(self, channel: int) -> bool:
        """Show another input channel: nothing is recomputed, only one plane's picture redrawn.

        Returns whether there is a slide to redraw.
        """
        self.view_channel = channel
        slide = self.result
        if slide is None:
            return False
        if slide.rgb_channel >= 0:  # one plane drawn: draw the new one (O(one plane))
            self.result = replace(slide, input_rgb=input_rgb(slide.steps, channel), rgb_channel=channel)
        return True

    # -- export ---------------------------------------------------------------------------
    def gif_frames(self, current_step: int, stride: int) -> list[int]:
        """The steps a GIF of "the steps so far" shows: every ``stride``-th one (row by row, each
        row's end) up to ``current_step``, at most the last :data:`MAX_GIF_FRAMES`."""
        first = stride - 1 if stride > 1 else 0
        return list(range(first, current_step + 1, stride))[-MAX_GIF_FRAMES:]

    def gif_export(self, path: str, current_step: int, stride: int, speed: float) -> GifExport:
        """What a GIF of the steps so far, written to ``path``, holds; kept as :attr:`gif`.

        ``speed`` is the lab's playing speed in steps per second (capped at :data:`MAX_GIF_FPS`).
        Needs a slide shown (:attr:`result`): ValueError otherwise.
        """
        slide = self.result
        if slide is None:
            raise ValueError("There is no slide to export.")
        channel = -1 if slide.rgb_channel < 0 else self.view_channel
        self.gif = GifExport(slide.steps, tuple(self.gif_frames(current_step, stride)), path,
                             min(MAX_GIF_FPS, speed), channel)
        return self.gif
