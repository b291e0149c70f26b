"""Download of the official weights, against an HTTP server on 127.0.0.1 (never the internet).

Every failure (corrupted, interrupted, refused, cancelled, offline) must leave nothing in the
cache; a success must land under torchvision's own file name with the progress reported.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from pathlib import Path

import pytest
import torch

from viewer.core.download import (
    IMAGENET_WEIGHTS,
    WeightSpec,
    cached_weights_path,
    download_weights,
    imagenet_source,
)
from viewer.core.errors import Cancelled
from viewer.core.resnet import resnet18
from viewer.core.weights import WeightsError, load_state_dict_file, load_weights

PAYLOAD = bytes(range(256)) * 4000  # ~1 MB, several chunks
PREFIX = hashlib.sha256(PAYLOAD).hexdigest()[:8]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        try:
            if self.path.startswith("/missing"):
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            if self.path.startswith("/interrupted"):
                self.wfile.write(PAYLOAD[: len(PAYLOAD) // 3])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            body = bytearray(PAYLOAD)
            if self.path.startswith("/corrupted"):
                body[1000] ^= 0xFF
            self.wfile.write(body)
        except OSError:
            pass  # the client went away (cancelled): nothing to do

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.setitem(
        IMAGENET_WEIGHTS,
        "TEST",
        WeightSpec("TEST", "resnet18", f"https://example.invalid/models/resnet18-{PREFIX}.pth", PREFIX, "test"),
    )
    return tmp_path / "hub" / "checkpoints"


def test_official_specs():
    v1, v2 = IMAGENET_WEIGHTS["IMAGENET1K_V1"], IMAGENET_WEIGHTS["IMAGENET1K_V2"]
    assert v1.url == "https://download.pytorch.org/models/resnet50-0676ba61.pth"
    assert v2.url == "https://download.pytorch.org/models/resnet50-11ad3fa6.pth"
    assert (v1.sha256_prefix, v2.sha256_prefix) == ("0676ba61", "11ad3fa6")
    assert v1.arch == v2.arch == "resnet50"
    path = cached_weights_path("IMAGENET1K_V2")
    assert path == Path(torch.hub.get_dir()) / "checkpoints" / "resnet50-11ad3fa6.pth"
    with pytest.raises(WeightsError, match="Unknown weights"):
        cached_weights_path("IMAGENET1K_V9")


def test_download_succeeds_with_progress(server, hub):
    seen = []
    path = download_weights("TEST", progress=lambda done, total: seen.append((done, total)), url=f"{server}/ok")
    assert path == hub / f"resnet18-{PREFIX}.pth" and path.read_bytes() == PAYLOAD
    assert seen[0] == (0, len(PAYLOAD)) and seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and len(seen) > 2
    assert sorted(p.name for p in hub.iterdir()) == [path.name]
    assert cached_weights_path("TEST").is_file()
    # cached and intact: returned without touching the network
    assert download_weights("TEST", url="http://127.0.0.1:1/never") == path


@pytest.mark.parametrize(
    ("route", "pattern"),
    [
        ("/corrupted", f"corrupted: its checksum starts .*expected {PREFIX}"),
        ("/interrupted", r"interrupted.*Nothing was saved"),
        ("/missing", r"refused the download \(404"),
    ],
)
def test_failed_downloads_leave_nothing_behind(server, hub, route, pattern):
    with pytest.raises(WeightsError, match=pattern):
        download_weights("TEST", url=f"{server}{route}")
    assert not any(hub.iterdir())
    assert not cached_weights_path("TEST").is_file()


def test_cancelled_download_leaves_nothing(server, hub):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled, match="cancelled"):
        download_weights("TEST", cancelled=cancelled, url=f"{server}/ok")
    assert not any(hub.iterdir())


def test_offline_says_check_your_connection(hub):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(WeightsError, match=r"Could not reach 127.0.0.1:\d+: check your connection, or load a weights file"):
        download_weights("TEST", url=f"http://127.0.0.1:{port}/x", timeout=5)
    assert not any(hub.iterdir())


def test_corrupted_cache_file_is_replaced(server, hub):
    hub.mkdir(parents=True)
    (hub / f"resnet18-{PREFIX}.pth").write_bytes(b"half a file")
    path = download_weights("TEST", url=f"{server}/ok")
    assert path.read_bytes() == PAYLOAD


def test_a_downloaded_file_loads_as_its_imagenet_source(hub):
    state = resnet18(seed=1).state_dict()
    state["fc.bias"] = torch.linspace(-1, 1, 1000)
    hub.mkdir(parents=True)
    path = hub / f"resnet18-{PREFIX}.pth"
    torch.save(state, path)
    source = imagenet_source("TEST", path)
    assert source.kind == "imagenet" and "TEST" in source.label and source.path == str(path)
    model = load_weights("resnet18", load_state_dict_file(source.path))
    assert torch.equal(model.fc.bias, state["fc.bias"])
