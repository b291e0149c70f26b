"""The training lab's experiments: which networks, on what, with which settings, and what to look for.

One table for the page, the ``train`` command and ``scripts/training_presets.py``. The default
settings were chosen by measurement (see the README's "Training lab" section): small enough to
finish in minutes on two CPU cores, large enough for each preset to show what it claims.

The learning rate is 0.05 for batches of 64: the paper's 0.1 for batches of 128, scaled with
the batch. At 0.1 with batches of 64 the 56-layer networks with batch norm stalled at chance in
our runs (their first steps overshoot), while the 20-layer ones trained. ResNet50 (its
ImageNet stem leaves 8x8 maps at 32x32) did not learn at all in 300 steps at 0.05 (its loss
rose in the first steps and ended at chance); at 0.01 it starts learning within them.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.training.networks import NetworkSpec, plain, residual
from viewer.core.training.trainer import TrainingSettings


@dataclass(frozen=True)
class Preset:
    """One experiment of the lab."""

    preset_id: str
    title: str
    explanation: str
    """One paragraph: what to look for in the curves."""
    networks: tuple[NetworkSpec, ...]
    settings: TrainingSettings
    input_size: int
    """Side of the images the networks are trained at."""
    dataset: str = "shapes"


PRESETS: dict[str, Preset] = {
    preset.preset_id: preset
    for preset in (
        Preset(
            "degradation",
            QT_TRANSLATE_NOOP("TrainingControls", "Degradation: plain-20 vs plain-56 vs ResNet-20 vs ResNet-56"),
            QT_TRANSLATE_NOOP(
                "TrainingLabPage",
                "Four networks of the ResNet paper's CIFAR family learn the same batches. The plain ones are "
                "stacks of 3x3 convolutions with batch norm; the ResNets are the same stacks with a shortcut "
                "around every pair of convolutions (and, from the same seed, the same initial weights). Look at "
                "the training loss: the deeper plain-56 ends above plain-20 although it could copy it and "
                "leave its extra layers as identities. That is the degradation problem, and it is not "
                "overfitting, because it shows on the training data. With shortcuts, depth stops hurting: "
                "ResNet-56 ends below plain-56 and ResNet-20 below plain-20.",
            ),
            (plain(20), plain(56), residual(20), residual(56)),
            TrainingSettings(steps=500, batch_size=64, learning_rate=0.05, width=0.5, seed=0, eval_every=25),
            16,
        ),
        Preset(
            "batchnorm",
            QT_TRANSLATE_NOOP("TrainingControls", "Batch norm: the same network with and without BN"),
            QT_TRANSLATE_NOOP(
                "TrainingLabPage",
                "plain-8 and plain-20, each with and without batch normalisation, from the same seed and on the "
                "same batches (without BN each convolution has a bias instead). Look at how many steps each "
                "needs to reach a given training loss: with BN the loss falls sooner. Without BN the "
                "20-layer network barely moves from chance (a loss of ln 10 = 2.3): its signal and gradients "
                "fade through the layers, which BN's per-channel normalisation prevents.",
            ),
            (plain(8), plain(8, batch_norm=False), plain(20), plain(20, batch_norm=False)),
            TrainingSettings(steps=300, batch_size=64, learning_rate=0.05, width=0.5, seed=0, eval_every=25),
            16,
        ),
        Preset(
            "gradients",
            QT_TRANSLATE_NOOP("TrainingControls", "Gradients through depth: a deep plain net without BN against its residual twin"),
            QT_TRANSLATE_NOOP(
                "TrainingLabPage",
                "The gradient plot shows, for the current step, the norm of each layer's weight gradient from "
                "the input (layer 1) to the output (layer 56), on a log scale. Without batch norm, the plain "
                "net's gradients are tiny and, as it trains, fall further towards the input: they vanish, and "
                "its loss stays at chance (ln 10 = 2.3). Its residual twin, initialised the same way, adds "
                "every block's output to its input, so its activations and gradients grow block after block "
                "until the loss is no longer a number: the lab marks it diverged. With batch norm, the plain "
                "net's gradients first grow towards the input by orders of magnitude, then fall towards it, "
                "and it barely learns; the residual net's stay within a small factor of each other from input "
                "to output, and it learns.",
            ),
            (plain(56, batch_norm=False), residual(56, batch_norm=False), plain(56), residual(56)),
            TrainingSettings(steps=200, batch_size=64, learning_rate=0.05, width=0.5, seed=0, eval_every=25),
            16,
        ),
        Preset(
            "course-resnet50",
            QT_TRANSLATE_NOOP("TrainingControls", "Train the course's network (ResNet50 at 32x32) and inspect it"),
            QT_TRANSLATE_NOOP(
                "TrainingLabPage",
                "The explorer's own ResNet50 (torchvision's layout, 23.5 million parameters) with one output per "
                "class, trained at 32x32 as in the course's stage table: the stem and the max pool leave 8x8 "
                "maps for conv2_x and conv5_x ends at 1x1. When it is done, open it in the ResNet explorer: its "
                "feature maps are now those of a trained network, its top-5 names the dataset's classes, and "
                "the untrained network is one click away (Random) for comparison.",
            ),
            (NetworkSpec("resnet50"),),
            TrainingSettings(steps=300, batch_size=64, learning_rate=0.01, width=1.0, seed=0, eval_every=50),
            32,
        ),
    )
}
PRESET_IDS: tuple[str, ...] = tuple(PRESETS)
DEFAULT_PRESET = "degradation"
