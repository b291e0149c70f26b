"""MindSpore's .ckpt wire format, against files real MindSpore 2.10.0 wrote (tests/data).

The fixtures come from ``tests/data/make_mindspore_fixtures.py`` (run once with MindSpore); the
expected values are what MindSpore's own ``load_checkpoint`` read back from them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from viewer.core.mindspore_ckpt import (
    checkpoint_bytes,
    encryption_mode,
    looks_like_checkpoint,
    parse_checkpoint,
    read_checkpoint,
    write_checkpoint,
)
from viewer.core.weights import WeightsError

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = DATA / "mindspore_small.ckpt"
SMALL_CRC = DATA / "mindspore_small_crc.ckpt"


@pytest.fixture(scope="module")
def expected():
    """name -> (value, MindSpore dtype) as MindSpore's load_checkpoint read the small checkpoint."""
    with np.load(DATA / "mindspore_small.npz") as arrays:
        values = {key: arrays[key] for key in arrays.files}
    out = {}
    for key, value in values.items():
        if key.startswith("str:"):
            out[key[4:]] = (str(value), "str")
        elif not key.startswith("dtype:"):
            out[key] = (value, str(values[f"dtype:{key}"]))
    return out


def test_every_value_is_what_mindspore_reads(expected):
    checkpoint = read_checkpoint(SMALL)
    assert list(checkpoint.values) == list(expected)  # file order kept
    assert not checkpoint.crc_checked
    for name, (value, dtype) in expected.items():
        assert checkpoint.tensor_types[name] == dtype
        ours = checkpoint.values[name]
        if dtype == "str":
            assert ours == value == "trained on CIFAR-10"
        else:
            assert ours.shape == value.shape and ours.dtype == value.dtype, name
            assert np.array_equal(ours, value), name
    assert checkpoint.tensor_types["brain"] == "BFloat16" and checkpoint.values["brain"].dtype == np.float32
    assert checkpoint.values["epoch_num"].shape == () and int(checkpoint.values["epoch_num"]) == 3


def test_the_crc_trailer_is_checked_and_stripped(expected):
    checkpoint = read_checkpoint(SMALL_CRC)
    assert checkpoint.crc_checked
    assert "brain" not in checkpoint.values
    for name, value in checkpoint.values.items():
        want = expected[name][0]
        assert value == want if isinstance(value, str) else np.array_equal(value, want)


def test_the_writer_reproduces_mindspores_file_byte_for_byte():
    original = SMALL_CRC.read_bytes()
    values = read_checkpoint(SMALL_CRC).values
    assert checkpoint_bytes(values, crc=True) == original
    assert checkpoint_bytes(values) == original[:-17]


def test_a_damaged_byte_fails_the_crc_check():
    data = bytearray(SMALL_CRC.read_bytes())
    data[300] ^= 0x01
    with pytest.raises(WeightsError, match="CRC check fails"):
        parse_checkpoint(bytes(data), "net.ckpt")


@pytest.mark.parametrize("cut", [5, 150, 600, 950])
def test_a_truncated_file_says_so(cut):
    data = SMALL.read_bytes()[:cut]
    with pytest.raises(WeightsError, match=r"net\.ckpt is truncated: it ends too early"):
        parse_checkpoint(data, "net.ckpt")


def test_truncation_names_the_parameter_it_ends_in():
    data = SMALL.read_bytes()
    cut = data.index(b"conv.weight") + 100
    with pytest.raises(WeightsError, match="inside the parameter 'conv.weight'"):
        parse_checkpoint(data[:cut], "net.ckpt")


@pytest.mark.parametrize("name, mode", [("aes_gcm", "AES-GCM"), ("aes_cbc", "AES-CBC"), ("sm4_cbc", "SM4-CBC")])
def test_encrypted_files_are_named_not_parsed(name, mode):
    path = DATA / f"mindspore_small_{name}.ckpt"
    assert encryption_mode(path.read_bytes()[:4]) == mode
    assert looks_like_checkpoint(path.read_bytes()[:16])
    with pytest.raises(WeightsError, match=f"encrypted MindSpore checkpoint \\({mode}\\): it cannot be read without its key"):
        read_checkpoint(path)


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(40), b"PK\x03\x04" + bytes(40), b"hello world, this is text", b"\x0a\x05\x12\x03abc"],
)
def test_other_files_are_not_checkpoints(data):
    with pytest.raises(WeightsError, match="not a MindSpore checkpoint|damaged or not a MindSpore checkpoint"):
        parse_checkpoint(data, "x.ckpt")


def test_empty_missing_and_folder(tmp_path):
    with pytest.raises(WeightsError, match="empty"):
        parse_checkpoint(b"", "x.ckpt")
    with pytest.raises(WeightsError, match="There is no file"):
        read_checkpoint(tmp_path / "none.ckpt")
    with pytest.raises(WeightsError, match="is a folder"):
        read_checkpoint(tmp_path)


def test_a_shape_that_does_not_match_the_bytes_is_damage():
    data = checkpoint_bytes({"w": np.zeros((2, 3), np.float32)})
    damaged = data.replace(b"\x08\x02\x08\x03", b"\x08\x02\x08\x04")  # dims 2x3 -> 2x4
    with pytest.raises(WeightsError, match="holds 24 bytes, but its shape 2x4 \\(Float32\\) needs 32"):
        parse_checkpoint(damaged, "x.ckpt")


def test_split_parameters_are_joined():
    big = np.arange(1000, dtype=np.float32).reshape(10, 100)
    data = checkpoint_bytes({"a": np.ones(3, np.float32), "big": big, "z": np.zeros(2, np.int64)}, slice_bytes=1000)
    assert data.count(b"\x0a\x03big") == 4  # 4000 bytes in four values of one tag, as MindSpore splits
    read = parse_checkpoint(data).values
    assert list(read) == ["a", "big", "z"] and np.array_equal(read["big"], big)


def test_packed_dims_and_unknown_fields_are_read():
    """protobuf lets a writer pack repeated numbers and add fields; a reader must cope."""
    content = np.arange(6, dtype=np.float32).tobytes()
    tensor = b"\x0a\x02\x02\x03" + b"\x12\x07Float32" + b"\x1a\x18" + content + b"\x20\x07"  # packed dims, field 4
    value = b"\x0a\x01w" + b"\x12" + bytes([len(tensor)]) + tensor + b"\x25\x00\x00\x00\x00"  # fixed32 field 4
    data = b"\x0a" + bytes([len(value)]) + value
    assert np.array_equal(parse_checkpoint(data).values["w"], np.arange(6, dtype=np.float32).reshape(2, 3))


_DTYPES = st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.uint8, np.int16, np.uint16,
                           np.int32, np.uint32, np.int64, np.uint64, np.bool_])


@given(st.dictionaries(
    st.text(st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=1, max_size=12),
    st.one_of(
        _DTYPES.flatmap(lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))),
        # MindSpore's str tensors are NUL-padded, so a text's trailing NULs are not kept (as in numpy)
        st.text(max_size=8).map(lambda text: text.rstrip("\0")),
    ),
    max_size=5,
), st.booleans())
def test_write_then_read_gives_the_values_back(values, crc):
    read = parse_checkpoint(checkpoint_bytes(values, crc=crc) or b"", "x") if values else None
    if read is None:
        return
    assert list(read.values) == list(values) and read.crc_checked == crc
    for name, value in values.items():
        if isinstance(value, str):
            assert read.values[name] == value
        else:
            got = read.values[name]
            assert got.shape == value.shape and got.dtype == value.dtype
            assert np.array_equal(got, value, equal_nan=value.dtype.kind == "f")


def test_write_checkpoint_writes_the_file(tmp_path):
    path = write_checkpoint(tmp_path / "w.ckpt", {"w": np.ones((2, 2), np.float32)}, crc=True)
    assert read_checkpoint(path).crc_checked
    with pytest.raises(ValueError, match="cannot hold complex64"):
        checkpoint_bytes({"c": np.zeros(2, np.complex64)})
