"""The explorer's forward passes: requests, the model cache, node rendering."""

import numpy as np
import pytest
import torch

from viewer.core import forward, render
from viewer.core.errors import Cancelled
from viewer.core.weights import RANDOM, WeightsSource


def test_forward_captures_every_node_and_renders_the_requested_one(forwarded):
    result, node = forwarded
    assert result.arch == "resnet18" and result.size_hw == (64, 64)
    assert result.fed_pixels.shape == (64, 64, 3)
    assert node.name == "layer1" and node.view == forward.ViewSettings()
    assert result.maps("layer1").shape == (64, 16, 16) == result.shapes["layer1"]
    assert result.maps("layer4").shape == (512, 2, 2)
    assert node.mosaic.indices.shape == node.mosaic.layout.shape
    low = min(float(t.min()) for t in result.activations.values() if t.ndim == 4)
    high = max(float(t.max()) for t in result.activations.values() if t.ndim == 4)
    assert result.global_range == pytest.approx((low, high))
    assert result.logits.shape == (1000,)


def test_random_weights_give_raw_indices_in_probability_order(result):
    assert not result.names_known
    probabilities = [p.probability for p in result.top5]
    assert len(result.top5) == 5 and probabilities == sorted(probabilities, reverse=True)
    best = int(np.argmax(result.logits))
    assert result.top5[0].index == best and result.top5[0].name == f"class {best}"
    expected = torch.softmax(torch.from_numpy(result.logits).double(), 0)[best]
    assert result.top5[0].probability == pytest.approx(float(expected))


def test_an_unknown_node_falls_back_to_layer1(astronaut, forward_request):
    _result, node = forward.run_forward(forward_request(astronaut, size=32, node="no.such.node"))
    assert node.name == "layer1"


def test_a_superseded_forward_stops_early(astronaut, forward_request):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # let the model build, then stop inside the forward pass

    with pytest.raises(Cancelled):
        forward.run_forward(forward_request(astronaut, size=32), cancelled)
    model, _weights = forward.model_for("resnet18", RANDOM)
    assert all("forward" not in vars(m) for m in model.modules())  # the capture's taps are gone


def test_the_model_is_reused_for_the_same_weights(result):
    assert forward.model_for("resnet18", RANDOM)[0] is result.model
    other, _weights = forward.model_for("resnet18", WeightsSource("random", "seeded", "", "another"))
    assert other is not result.model and not other.training


def test_render_node_follows_the_view_settings(result):
    view = forward.ViewSettings(scope="channel", sort="max", aspect=1.0)
    node = forward.render_node(result, "layer2.0.conv1", view)
    stats = render.channel_stats(result.maps("layer2.0.conv1"))
    order = list(node.mosaic.layout.order)
    assert len(order) == 128 and np.all(np.diff(stats.maximum[order]) <= 0)
    assert node.mosaic.layout.cols == 12  # ceil(sqrt(128)): a square-ish grid for aspect 1
    assert node.bn_input_stats is None


def test_a_batch_norm_node_carries_its_inputs_statistics(result):
    node = forward.render_node(result, "layer1.0.bn1", forward.ViewSettings())
    np.testing.assert_allclose(node.bn_input_stats.mean, render.channel_stats(result.maps("layer1.0.conv1")).mean)


def test_a_network_that_overflows_is_refused_naming_where(astronaut, forward_request, tmp_path):
    """Finite weights whose outputs overflow float32 (a diverged net): a sentence, never NaN maps."""
    import pytest
    import torch

    from viewer.core.errors import UserError
    from viewer.core.weights import build_model, file_source

    state = build_model("resnet18", seed=1).state_dict()
    state["fc.weight"] = state["fc.weight"].sign() * 3e38
    path = tmp_path / "huge.pth"
    torch.save(state, path)
    with pytest.raises(UserError) as caught:
        forward.run_forward(forward_request(astronaut, weights=file_source(path)))
    message = str(caught.value)
    assert "diverges" in message and "huge.pth" in message and "from fc on" in message
