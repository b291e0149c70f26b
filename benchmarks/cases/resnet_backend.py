"""ResNet backend: what capturing every activation costs, in time and in memory.

* ``resnet.capture_224`` / ``resnet.capture_32``: ``capture`` of every module of ResNet50
  against a bare forward pass of the same model, alternately in the same run, with the previous
  capture held meanwhile (the app's pattern). The hooks themselves are cheap; what capture adds
  is keeping ~230 outputs alive (fresh memory instead of reused buffers) and, at 32x32 where
  the arithmetic is small, the per-call machinery.
* ``resnet.capture_peak_memory``: peak memory of building ResNet50 and capturing everything,
  against the bytes that must exist anyway (weights and buffers + the distinct activation
  tensors). Measured in a fresh process with ``VmHWM`` (the kernel's high-water mark of
  resident memory): figure = peak RSS after the capture - RSS just before the model was built,
  so Python and PyTorch themselves are not counted, while allocator slack, temporaries of the
  convolutions and of initialisation are. Not ``ru_maxrss``: Linux carries the parent's
  high-water mark into it across fork and exec.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Result, case, compare

_ROOT = Path(__file__).resolve().parents[2]

_MEMORY_PROBE = """
import gc, json, resource
import torch
from viewer.core.activations import capture
from viewer.core.resnet import resnet50

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
def vm_hwm():
    # VmHWM belongs to this process's own address space; ru_maxrss would also carry the
    # parent's high-water mark across fork + exec, and the benchmark parent can be large.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")

torch.set_num_threads({threads})
with torch.inference_mode():  # thread pools and kernels exist before we start counting
    torch.nn.functional.conv2d(torch.zeros(1, 3, 8, 8), torch.zeros(4, 3, 3, 3))
gc.collect()
before = rss()
model = resnet50(seed=0).eval()
x = torch.randn(1, 3, 224, 224)
acts = capture(model, x)
peak = vm_hwm()
weights = sum(t.numel() * t.element_size() for t in model.state_dict().values())
storages = {{}}
for t in [x, *acts.values()]:
    s = t.untyped_storage()
    storages[s.data_ptr()] = s.nbytes()
print(json.dumps({{"used": peak - before, "weights": weights,
                  "activations": sum(storages.values()), "names": len(acts),
                  "distinct": len(storages)}}))
"""


def _every_node_graph(model):
    """``model`` traced with torch.fx into one graph whose output is every node's value, as
    torchvision's ``create_feature_extractor`` does (the containers are inlined, every result is
    kept): the other way of keeping every activation, timed beside ``capture``."""
    import torch.fx

    graph_module = torch.fx.symbolic_trace(model)
    graph = graph_module.graph
    output = next(node for node in graph.nodes if node.op == "output")
    output.args = (tuple(node for node in graph.nodes if node.op in ("call_module", "call_function", "call_method")),)
    graph_module.recompile()
    return graph_module


def _capture_case(size: int, target: float, repeats: int) -> Result:
    """``capture`` of every node of ResNet50 vs a bare forward, with the previous capture held
    while the next one runs (the explorer keeps its result until the new one is shown)."""
    import torch

    from viewer.core.activations import capture, module_names
    from viewer.core.resnet import resnet50

    model = resnet50(seed=0).eval()
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    held: dict[str, object] = {"result": capture(model, x)}

    def captured() -> None:
        held["result"] = capture(model, x)  # the old result is freed only once the new one exists

    def bare() -> None:
        with torch.inference_mode():
            model(x)

    every_node = _every_node_graph(model)
    with torch.inference_mode():
        held["graph"] = every_node(x)

    def graph_of_every_node() -> None:
        with torch.inference_mode():
            held["graph"] = every_node(x)

    name = f"resnet.capture_{size}"
    return compare(
        name,
        captured,
        bare,
        target=target,
        repeats=max(1, repeats) * (2 if size >= 224 else 8),
        warmup=2,
        baseline_name="model(x) under inference_mode, a capture held",
        floor="the bare forward; keeping every output alive costs fresh memory for each",
        alternatives={"a torch.fx graph returning every node (torchvision's feature extractor's way)": graph_of_every_node},
        note=f"ResNet50 (untrained), 1x3x{size}x{size}, all {len(module_names(model))} outputs kept, "
        f"{torch.get_num_threads()} threads",
    )


@case("resnet.capture_224")
def capture_224(repeats: int) -> Result:
    return _capture_case(224, 1.04, repeats)


@case("resnet.capture_32")
def capture_32(repeats: int) -> Result:
    return _capture_case(32, 1.08, repeats)


@case("resnet.capture_peak_memory")
def capture_peak_memory(repeats: int) -> Result:
    import torch

    env = dict(os.environ, PYTHONPATH=str(_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = _MEMORY_PROBE.format(threads=torch.get_num_threads())
    runs = []
    for _ in range(max(1, min(repeats, 3))):
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True, cwd=_ROOT
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    used = statistics.median(r["used"] for r in runs)
    first = runs[0]
    needed = first["weights"] + first["activations"]
    mib = 1 << 20
    return Result(
        case="resnet.capture_peak_memory",
        figure=used / mib,
        baseline=needed / mib,
        unit="MiB",
        target=1.5,
        baseline_name="weights + distinct activation tensors",
        note=(
            f"fresh process, VmHWM high-water mark minus RSS before building ResNet50; "
            f"weights {first['weights'] / mib:.0f} MiB + {first['distinct']} distinct tensors for "
            f"{first['names']} names {first['activations'] / mib:.0f} MiB at 224x224"
        ),
    )
