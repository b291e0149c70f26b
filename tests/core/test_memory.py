"""retain_freed_memory: freed outputs are reused, whichever thread the next pass runs on."""

import json
import subprocess
import sys
from pathlib import Path

from viewer.core.memory import release_freed_memory, retain_freed_memory

_ROOT = Path(__file__).resolve().parents[2]

# Captures on two long-lived threads, one's result freed before the other's next capture: the
# pages that capture touches for the first time (minor page faults), against one result's pages.
_PROBE = """
import json, queue, resource, threading
import torch
from viewer.core.memory import retain_freed_memory
retain_freed_memory()
from viewer.core.activations import capture
from viewer.core.resnet import resnet18
model = resnet18(seed=0).eval()
x = torch.randn(1, 3, 160, 160)
held = {}

def serve(jobs):  # a long-lived worker, as a thread of Qt's pool is
    for job in iter(jobs.get, None):
        job()
        jobs.task_done()

def first():
    held["result"] = capture(model, x)

def second():
    held.pop("result")  # freed, as the GUI thread frees the result it showed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    capture(model, x)
    held["faults"] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

one, other = queue.Queue(), queue.Queue()
for jobs in (one, other):
    threading.Thread(target=serve, args=(jobs,), daemon=True).start()
for jobs, job in ((other, first), (one, first), (other, second)):  # both threads warm, then the pair
    jobs.put(job)
    jobs.join()
pages = sum(t.untyped_storage().nbytes() for t in {id(t): t for t in capture(model, x).values()}.values()) // 4096
print(json.dumps({"faults": held["faults"], "pages": pages}))
"""


def test_retain_freed_memory_is_applied_once_on_linux():
    applied = retain_freed_memory()
    assert applied is retain_freed_memory()  # cached: glibc is told once
    assert applied == sys.platform.startswith("linux")
    assert release_freed_memory() in (True, False)


def test_a_pass_on_another_thread_reuses_the_memory_the_last_one_freed():
    if not sys.platform.startswith("linux"):
        import pytest

        pytest.skip("glibc's arenas and page-fault counts are Linux's")
    done = subprocess.run([sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True, cwd=_ROOT)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["pages"] > 2000
    assert counts["faults"] < counts["pages"] / 10, counts  # per-thread arenas: most of them
