"""The course as lessons, free of Qt: what each point of the syllabus shows, where, and with which settings.

One list, :data:`LESSONS`, in the order of the course (``shared/seed-notes.md``): each lesson has
an id (for ``--lesson``), a chapter, a title and a few sentences of explanation (marked for
translation in the "Lessons" context), the page that shows it and a :class:`LessonSetup` (the
settings that make it visible, applied through the page models by the ``apply_to_*`` functions
below), and maybe a :class:`Question` whose answer is computed from real numbers when asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from viewer.core.i18n import QT_TRANSLATE_NOOP

#: The context the lessons' words are translated in.
CONTEXT = "Lessons"

CHAPTERS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Lessons", "1. Convolution"),
    QT_TRANSLATE_NOOP("Lessons", "2. Pooling"),
    QT_TRANSLATE_NOOP("Lessons", "3. Batch normalisation"),
    QT_TRANSLATE_NOOP("Lessons", "4. ResNet"),
    QT_TRANSLATE_NOOP("Lessons", "5. ResNet50 stage by stage"),
)


@dataclass(frozen=True)
class Answer:
    """An answer: a sentence with ``{0}``, ``{1}``... (marked for translation) and the numbers it shows."""

    template: str
    values: tuple

    def text(self, translate: Callable[[str], str] = lambda text: text) -> str:
        """The sentence, translated by ``translate``, with the numbers in."""
        return translate(self.template).format(*self.values)


@dataclass(frozen=True)
class Question:
    """A question for the student; :attr:`answer` computes the answer's numbers (PyTorch may load)."""

    text: str
    answer: Callable[[], Answer]


@dataclass(frozen=True)
class LessonSetup:
    """What a lesson sets on its page; a field left at its default leaves that setting alone."""

    conv_example: int | None = None
    """Load course example 1 or 2 into the convolution lab."""
    conv_image: str | None = None
    """Slide over this channel of the current image instead (``luminance``, ``rgb``...)."""
    conv: tuple[tuple[str, object], ...] = ()
    """Convolution-lab settings to change, as (field of ``LabSettings``, value) pairs."""
    shift: tuple[int, int] | None = None
    """Show the translation-invariance view with this (dy, dx) (convolution or pooling lab)."""
    sample: str | None = None
    """A bundled sample to make the current image first (its stem)."""
    pooling_preset: str | None = None
    pooling: tuple[tuple[str, object], ...] = ()
    """Pooling-lab settings to change after the preset, as (field, value) pairs."""
    arch: str | None = None
    size: int | None = None
    node: str | None = None
    explorer_tab: int | None = None
    """The explorer's view to show: 0 feature maps, 1 channel, 2 batch norm, 3 residual block."""
    training_preset: str | None = None


@dataclass(frozen=True)
class Lesson:
    lesson_id: str
    chapter: int
    """Index into :data:`CHAPTERS`."""
    title: str
    explanation: str
    page: str
    """The page id (:data:`viewer.pages.PAGE_IDS`)."""
    setup: LessonSetup
    question: Question | None = None


# -- the answers, computed --------------------------------------------------------------------

def _example_size(number: int) -> Answer:
    from viewer.core.conv import ConvSteps, course_example

    setup = course_example(number)
    steps = ConvSteps(setup.x, setup.kernel, setup.bias, setup.stride, setup.padding)
    rows, cols = steps.output.shape
    if number == 1:
        return Answer(QT_TRANSLATE_NOOP("Lessons", "The output is {0}x{1}: (5 - 3 + 0) / 2 + 1 = {0} on each axis, "
                                        "and F.conv2d gives a {0}x{1} map."), (rows, cols))
    return Answer(QT_TRANSLATE_NOOP("Lessons", "The output is {0}x{1}: the course writes (5 - 3 + 2) / 1 + 1 with "
                                    "p = 2 in total, PyTorch writes (5 + 2*1 - 3) / 1 + 1 with padding=1 per side; "
                                    "F.conv2d gives a {0}x{1} map."), (rows, cols))


def _conv_parameters() -> Answer:
    import torch

    layer = torch.nn.Conv2d(3, 64, 3)
    weights, bias = layer.weight.numel(), layer.bias.numel()
    return Answer(QT_TRANSLATE_NOOP("Lessons", "{0} weights (64 kernels of 3 x 3 x 3) and {1} biases (one per "
                                    "kernel): {2} trained parameters, as nn.Conv2d(3, 64, 3) counts them."),
                  (weights, bias, weights + bias))


def _shift_answer() -> Answer:
    from viewer.core.kernels import make_kernel
    from viewer.core.samples import load_sample
    from viewer.core.shift import conv_shift

    x = load_sample("checkerboard").planes("luminance")
    result = conv_shift(x, make_kernel("sobel_x", (3, 3))[None], 0.0, 2, 1, 1, "reflect", (4, 6))
    return Answer(QT_TRANSLATE_NOOP("Lessons", "By ({0}, {1}) cells: the shift divided by the stride. Away from the "
                                    "borders the largest difference is {2:g} (F.conv2d on the shifted input); at the "
                                    "borders, where the window meets the padding, it reaches {3:.3g}."),
                  (*result.output_shift, result.interior_max, result.border_max))


def _texture_answer() -> Answer:
    from viewer.core.samples import load_sample
    from viewer.models.pooling_lab import PRESETS, PoolingLabSettings, compare_pooling

    preset = PRESETS["texture_patch"]
    x = load_sample("texture_patch").planes("luminance")[0]
    settings = PoolingLabSettings(kernel=preset.kernel, stride=preset.stride, padding=preset.padding, training=False)
    outputs = compare_pooling(x, settings).outputs
    spread = {mode: float(outputs[mode].std()) for mode in ("max", "avg", "stochastic")}
    return Answer(QT_TRANSLATE_NOOP("Lessons", "The contrast (standard deviation) of the pooled maps: max {0:.3f}, "
                                    "stochastic at test time {1:.3f}, average {2:.3f}. The larger it is, the more "
                                    "of the texture's light and dark survives."),
                  (spread["max"], spread["stochastic"], spread["avg"]))


def _stochastic_answer() -> Answer:
    import torch

    from viewer.core.pooling import pool2d

    window = torch.tensor([[[1.0, 2.0], [3.0, 4.0]]])
    value = float(pool2d(window, "stochastic", 2, 2)[0, 0, 0])
    return Answer(QT_TRANSLATE_NOOP("Lessons", "p = a / 10, so sum p*a = (1 + 4 + 9 + 16) / 10 = {0:g}: above the "
                                    "average 2.5, below the maximum 4."), (value,))


def _pool_shift_answer() -> Answer:
    from viewer.core.samples import load_sample
    from viewer.core.shift import pool_shift

    x = load_sample("texture_patch").planes("luminance")[0]
    result = pool_shift(x, 4, 4, 0, (1, 1))
    return Answer(QT_TRANSLATE_NOOP("Lessons", "Max pooling keeps {0} of its {2} cells exactly, and its cells "
                                    "change by {3:.3f} on average; average pooling keeps {1}, and its cells change "
                                    "by {4:.3f}. A maximum stays as long as it stays inside its window."),
                  (result.max_unchanged, result.avg_unchanged, result.cells, result.max_mean_change,
                   result.avg_mean_change))


def _batch_norm_answer() -> Answer:
    import torch

    generator = torch.Generator().manual_seed(0)
    x = 3.0 + 2.0 * torch.randn(8, 4, 6, 6, generator=generator)
    layer = torch.nn.BatchNorm2d(4).train()
    with torch.no_grad():
        y = layer(x)
    return Answer(QT_TRANSLATE_NOOP("Lessons", "Mean {0:.2g} and standard deviation {1:.4f} for channel 0 "
                                    "(the input had mean {2:.2f} and deviation {3:.2f}); gamma = 1 and beta = 0 "
                                    "until training changes them."),
                  (float(y[:, 0].mean()), float(y[:, 0].std(unbiased=False)), float(x[:, 0].mean()),
                   float(x[:, 0].std(unbiased=False))))


def _block_parameters() -> Answer:
    from viewer.core.resnet import BasicBlock, Bottleneck

    def count(module) -> int:
        return sum(p.numel() for p in module.parameters())

    bottleneck, basic = count(Bottleneck(256, 64)), count(BasicBlock(256, 256))
    return Answer(QT_TRANSLATE_NOOP("Lessons", "The bottleneck (1x1 to 64, 3x3, 1x1 back to 256) has {0} parameters; "
                                    "two 3x3 convolutions at 256 channels have {1}, {2:.1f} times as many."),
                  (bottleneck, basic, basic / bottleneck))


def _make_layer_answer() -> Answer:
    from viewer.core.architectures import make_layer_calls

    call = make_layer_calls("resnet50")[2]
    return Answer(QT_TRANSLATE_NOOP("Lessons", "{0}: {1} blocks, the first with stride {2}; it takes {3} channels "
                                    "and puts out {4} x 4 = {5}."),
                  (call.code, call.blocks, call.stride, call.in_channels, call.channels, call.channels * 4))


def _stage_answer(size: int) -> Answer:
    from viewer.core.activations import stage_table
    from viewer.core.resnet import resnet50

    rows = stage_table(resnet50(), (size, size))
    shape = next(row.out_shape for row in rows if row.name == "conv5_x")
    return Answer(QT_TRANSLATE_NOOP("Lessons", "{0} channels of {1} x {2}, from a {3} x {3} input."),
                  (*shape, size))


# -- the lessons ------------------------------------------------------------------------------

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "cross-correlation", 0, QT_TRANSLATE_NOOP("Lessons", "Convolution is cross-correlation"),
        QT_TRANSLATE_NOOP("Lessons", "The kernel's window starts at the input's top-left corner and slides left to "
                          "right, then top to bottom. At each position the window's values are multiplied by the "
                          "kernel's weights and summed into one number: the feature map's value there. Step "
                          "through course example 1 and watch the sum being written out."),
        "convolution", LessonSetup(conv_example=1),
    ),
    Lesson(
        "translation-invariance", 0, QT_TRANSLATE_NOOP("Lessons", "Local features and translation invariance"),
        QT_TRANSLATE_NOOP("Lessons", "Each output value sees only a small window: the layer finds local features. "
                          "The same kernel slides everywhere, so a pattern gives the same response wherever it is. "
                          "Shift the input and the feature map moves with it, by the shift divided by the stride; "
                          "their aligned difference is zero away from the borders, where the window meets the "
                          "padding (here a reflection of the input) or the cells the shift emptied."),
        "convolution",
        LessonSetup(sample="checkerboard", conv_image="luminance",
                    conv=(("preset", "sobel_x"), ("kernel_hw", (3, 3)), ("stride", (2, 2)), ("padding", (1, 1)),
                          ("padding_mode", "reflect")),
                    shift=(4, 6)),
        Question(QT_TRANSLATE_NOOP("Lessons", "The input moves 4 pixels down and 6 to the right, with stride 2. "
                                   "By how many cells does the feature map move, and how large is the difference?"),
                 _shift_answer),
    ),
    Lesson(
        "output-size", 0, QT_TRANSLATE_NOOP("Lessons", "Kernel, stride and feature map: course example 1"),
        QT_TRANSLATE_NOOP("Lessons", "A 5x5 input, a 3x3 kernel, stride 2 and no padding. The window moves two cells "
                          "at a time, so it fits twice along each axis. The output size follows from the kernel "
                          "size, the stride and the padding; the formula on the left shows the numbers."),
        "convolution", LessonSetup(conv_example=1),
        Question(QT_TRANSLATE_NOOP("Lessons", "What size is the output?"), lambda: _example_size(1)),
    ),
    Lesson(
        "padding", 0, QT_TRANSLATE_NOOP("Lessons", "Padding and its two conventions: course example 2"),
        QT_TRANSLATE_NOOP("Lessons", "The same input and kernel with stride 1 and one row and column of zeros added "
                          "on every side. The course counts p = 2 padded rows in total and writes n - k + p + 1; "
                          "PyTorch counts padding=1 per side and writes n + 2p - k + 1. Both give the same size."),
        "convolution", LessonSetup(conv_example=2),
        Question(QT_TRANSLATE_NOOP("Lessons", "What size is the output now?"), lambda: _example_size(2)),
    ),
    Lesson(
        "bias-and-weights", 0, QT_TRANSLATE_NOOP("Lessons", "Bias and the two trained parameters of a layer"),
        QT_TRANSLATE_NOOP("Lessons", "Every kernel element is a weight the network learns, and each kernel has one "
                          "bias, a learned number added to every output value. Here the bias is 1: every value of "
                          "the feature map is 1 larger than the sum of the products. Type new weights into the "
                          "kernel to see the output change."),
        "convolution", LessonSetup(conv_example=1, conv=(("bias", 1.0),)),
        Question(QT_TRANSLATE_NOOP("Lessons", "How many trained parameters has a layer of 64 kernels of 3x3 over "
                                   "an RGB image?"), _conv_parameters),
    ),
    Lesson(
        "max-pooling", 1, QT_TRANSLATE_NOOP("Lessons", "Max pooling keeps texture, average pooling keeps background"),
        QT_TRANSLATE_NOOP("Lessons", "Max pooling keeps the strongest response of each window, so texture and edges "
                          "survive. Average pooling keeps the overall level, which favours smooth background. "
                          "Compare the three outputs of the texture patch."),
        "pooling", LessonSetup(pooling_preset="texture_patch"),
        Question(QT_TRANSLATE_NOOP("Lessons", "Which pooling keeps this texture best?"), _texture_answer),
    ),
    Lesson(
        "stochastic-pooling", 1, QT_TRANSLATE_NOOP("Lessons", "Stochastic pooling: the draw and its test-time weighting"),
        QT_TRANSLATE_NOOP("Lessons", "During training, stochastic pooling picks one value per window at random, with "
                          "probability proportional to its size (p = a / sum of a; the values must not be negative). "
                          "At test time it outputs the probability-weighted average, sum of p times a. Switch "
                          "between one training draw and the test-time output."),
        "pooling", LessonSetup(pooling_preset="texture_patch", pooling=(("training", True), ("seed", 0))),
        Question(QT_TRANSLATE_NOOP("Lessons", "What does stochastic pooling output at test time for the window "
                                   "1, 2, 3, 4?"), _stochastic_answer),
    ),
    Lesson(
        "pooling-invariance", 1, QT_TRANSLATE_NOOP("Lessons", "Max pooling absorbs small shifts"),
        QT_TRANSLATE_NOOP("Lessons", "Shift the map by less than one window: a window's maximum stays the output as "
                          "long as it stays inside the window. The view compares max pooling of the shifted map "
                          "with max pooling of the original, cell by cell."),
        "pooling", LessonSetup(pooling_preset="texture_patch", shift=(1, 1)),
        Question(QT_TRANSLATE_NOOP("Lessons", "How many output cells does a shift of one pixel down and right "
                                   "leave unchanged?"), _pool_shift_answer),
    ),
    Lesson(
        "batch-norm", 2, QT_TRANSLATE_NOOP("Lessons", "Batch normalisation: training and inference"),
        QT_TRANSLATE_NOOP("Lessons", "Batch norm normalises every channel: with the batch's mean and variance during "
                          "training, with the running statistics at inference, then scales by gamma and shifts by "
                          "beta, both learned. The batch-norm view shows one channel before and after."),
        "resnet", LessonSetup(arch="resnet50", node="layer1.0.bn1", explorer_tab=2),
        Question(QT_TRANSLATE_NOOP("Lessons", "In training mode, what mean and standard deviation does a channel have "
                                   "after batch norm?"), _batch_norm_answer),
    ),
    Lesson(
        "batch-norm-training", 2, QT_TRANSLATE_NOOP("Lessons", "Batch norm speeds up training"),
        QT_TRANSLATE_NOOP("Lessons", "The same networks trained with and without batch norm, from the same seed on the "
                          "same batches. Start the experiment and watch how many steps each needs to bring its "
                          "training loss down."),
        "training", LessonSetup(training_preset="batchnorm"),
    ),
    Lesson(
        "degradation", 3, QT_TRANSLATE_NOOP("Lessons", "The degradation problem and residual learning"),
        QT_TRANSLATE_NOOP("Lessons", "A deeper plain network can end up worse than a shallower one, even on its "
                          "training data. A residual block computes F(x) + x, so its extra layers can fall back to "
                          "the identity. Start the experiment: plain and residual networks of 20 and 56 layers "
                          "learn the same batches."),
        "training", LessonSetup(training_preset="degradation"),
    ),
    Lesson(
        "residual-block", 3, QT_TRANSLATE_NOOP("Lessons", "A residual block: F(x) + x"),
        QT_TRANSLATE_NOOP("Lessons", "The residual-block view takes the first block of conv2_x apart: the residual "
                          "branch F(x), the shortcut and their sum, for one channel. When the shape changes, the "
                          "shortcut is a 1x1 convolution with stride, then batch norm."),
        "resnet", LessonSetup(arch="resnet50", node="layer1.0", explorer_tab=3),
    ),
    Lesson(
        "building-block", 3, QT_TRANSLATE_NOOP("Lessons", "Building block and bottleneck"),
        QT_TRANSLATE_NOOP("Lessons", "ResNet18 and 34 stack building blocks: two 3x3 convolutions. ResNet50, 101 and "
                          "152 stack bottlenecks: a 1x1 convolution reduces the channels, a 3x3 works on fewer of "
                          "them, and a 1x1 expands them by 4, which is cheaper at depth. Here is ResNet18's first "
                          "block; switch the architecture to compare."),
        "resnet", LessonSetup(arch="resnet18", node="layer1.0"),
        Question(QT_TRANSLATE_NOOP("Lessons", "How many parameters has a bottleneck on 256 channels, against two "
                                   "3x3 convolutions on 256 channels?"), _block_parameters),
    ),
    Lesson(
        "make-layer", 3, QT_TRANSLATE_NOOP("Lessons", "make_layer stacks the blocks of a stage"),
        QT_TRANSLATE_NOOP("Lessons", "make_layer builds one stage from four numbers: the channels coming out of the "
                          "previous stage, the stage's own channel count, how many blocks to stack and the stride "
                          "of the first block. Under the stage table each stage's call is written out, and under "
                          "the block diagram the selected block's layers."),
        "resnet", LessonSetup(arch="resnet50", node="layer2.0"),
        Question(QT_TRANSLATE_NOOP("Lessons", "Which call builds conv4_x of ResNet50, and how many channels come "
                                   "out of it?"), _make_layer_answer),
    ),
    Lesson(
        "resnet50-32", 4, QT_TRANSLATE_NOOP("Lessons", "ResNet50 at 32x32: the course's table"),
        QT_TRANSLATE_NOOP("Lessons", "The stage table for a 32x32 RGB input: conv1 halves the size to 16x16, each "
                          "later stage halves it again while the channels grow to 2048, and average pooling and "
                          "the fully connected layer give one score per class."),
        "resnet", LessonSetup(arch="resnet50", size=32, node="layer4"),
        Question(QT_TRANSLATE_NOOP("Lessons", "What comes out of conv5_x at 32x32?"), lambda: _stage_answer(32)),
    ),
    Lesson(
        "resnet50-224", 4, QT_TRANSLATE_NOOP("Lessons", "ResNet50 at 224x224"),
        QT_TRANSLATE_NOOP("Lessons", "The same network at ImageNet's 224x224: the stages give 112, 56, 28, 14 and "
                          "7 pixels. Nothing in the network depends on the input size until the average pool."),
        "resnet", LessonSetup(arch="resnet50", size=224, node="layer4"),
        Question(QT_TRANSLATE_NOOP("Lessons", "What comes out of conv5_x at 224x224?"), lambda: _stage_answer(224)),
    ),
)
LESSON_IDS: tuple[str, ...] = tuple(lesson.lesson_id for lesson in LESSONS)


def lesson(lesson_id: str) -> Lesson:
    """The lesson with this id (KeyError with the ids when there is none)."""
    for candidate in LESSONS:
        if candidate.lesson_id == lesson_id:
            return candidate
    raise KeyError(f"There is no lesson {lesson_id!r}; the lessons are: {', '.join(LESSON_IDS)}.")


# -- applying a lesson to the page models ---------------------------------------------------------

def apply_to_conv(setup: LessonSetup, model):
    """Set a :class:`~viewer.models.conv_lab.ConvLabModel` as ``setup`` says; returns its outcome."""
    outcome = None
    if setup.conv_example is not None:
        outcome = model.load_course_example(setup.conv_example)
    if setup.conv_image is not None:
        outcome = model.set_source(setup.conv_image)
    if setup.conv:
        outcome = model.set_settings(replace(model.settings, **dict(setup.conv)))
    return outcome


def apply_to_pooling(setup: LessonSetup, model):
    """Set a :class:`~viewer.models.pooling_lab.PoolingLabModel` as ``setup`` says; returns its outcome."""
    outcome = None
    if setup.pooling_preset is not None:
        outcome = model.apply_preset(setup.pooling_preset)
    if setup.pooling:
        outcome = model.set_settings(replace(model.settings, **dict(setup.pooling)))
    return outcome


def apply_to_shift(setup: LessonSetup, model) -> None:
    """Show (or hide) a :class:`~viewer.models.shift.ShiftModel` with the lesson's shift."""
    model.shown = setup.shift is not None
    if setup.shift is not None:
        model.set_shift(*setup.shift)


def apply_to_explorer(setup: LessonSetup, model):
    """Set an :class:`~viewer.models.explorer.ExplorerModel`'s architecture, size and node; returns the forward job."""
    if setup.arch is not None:
        model.arch = setup.arch
    if setup.size is not None:
        model.size = setup.size
    if setup.node is not None:
        model.node = setup.node
    return model.forward_job()

