"""The make_layer text of every stage builds exactly the stage the network holds."""

import pytest
import torch

from viewer.core import resnet
from viewer.core.architectures import ARCHITECTURE_NAMES, make_layer_calls


def test_conv3_x_of_resnet50_reads_as_the_course_writes_it():
    assert make_layer_calls("resnet50")[1].code == (
        "make_layer(Bottleneck, in_channels=256, channels=128, blocks=4, stride=2)")
    assert [c.stage for c in make_layer_calls("resnet50")] == ["conv2_x", "conv3_x", "conv4_x", "conv5_x"]


@pytest.mark.parametrize("arch", ["resnet18", "resnet50", "resnet152"])
def test_every_stage_call_builds_the_networks_stage(arch):
    model = getattr(resnet, arch)(seed=0)
    namespace = {"make_layer": resnet.make_layer, "BasicBlock": resnet.BasicBlock, "Bottleneck": resnet.Bottleneck}
    for call in make_layer_calls(arch):
        built = eval(call.code, namespace)  # noqa: S307 - our own text, run to prove it is the stage
        stage = getattr(model, call.module)
        assert len(built) == len(stage) == call.blocks
        assert {k: v.shape for k, v in built.state_dict().items()} == {
            k: v.shape for k, v in stage.state_dict().items()}
        assert repr(built) == repr(stage)
        assert (stage[0].downsample is None) == (call.stride == 1 and call.in_channels == call.channels * (
            4 if call.block == "Bottleneck" else 1))
        x = torch.zeros(1, call.in_channels, 8, 8)
        assert stage(x).shape[1] == call.channels * stage[0].expansion


def test_every_architecture_has_four_calls():
    for arch in ARCHITECTURE_NAMES:
        calls = make_layer_calls(arch)
        assert len(calls) == 4 and calls[0].stride == 1 and all(c.stride == 2 for c in calls[1:])
