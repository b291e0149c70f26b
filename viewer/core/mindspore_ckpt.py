"""MindSpore's ``.ckpt`` files, read and written without MindSpore.

A checkpoint is a run of serialized protobuf ``Checkpoint`` messages with no header (protobuf
merges concatenated messages, so the whole file parses as one)::

    message Checkpoint  { repeated Value value = 1;
                          message Value { required string tag = 1;
                                          oneof value { TensorProto tensor = 2; MapTensorProto maptensor = 3; } } }
    message TensorProto { repeated int64 dims = 1; required string tensor_type = 2; required bytes tensor_content = 3; }

Three messages are all there is, so this module reads the protobuf wire format itself (a few
dozen lines, no generated code and no ``protobuf`` dependency). Tensor bytes are raw C-order
little-endian; ``tensor_type`` names the dtype (``Float32``, ``BFloat16``, ``Int64``, ``str`` ...).
MindSpore's variants: a parameter over 512 MiB is split into consecutive values with the same
tag (joined here); an optional 17-byte trailer ``b"crc_num"`` + a 10-byte big-endian CRC32 of
everything before it (checked here); encrypted files, recognisable by a little-endian magic
number in their first 4 bytes (named here: they cannot be read without their key).

The writer produces what ``mindspore.save_checkpoint`` produces, byte for byte: one
``Checkpoint`` message per parameter (or per 512 MiB slice of one), in the order given.
Only numpy is needed, so that reading a 100 MB ResNet50 checkpoint costs little more than
reading the file.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.core.i18n import QT_TRANSLATE_NOOP
from viewer.core.weights import WeightsError

__all__ = [
    "ENCRYPTION_MAGICS",
    "Checkpoint",
    "checkpoint_bytes",
    "encryption_mode",
    "looks_like_checkpoint",
    "parse_checkpoint",
    "read_checkpoint",
    "write_checkpoint",
]

#: little-endian magic number of MindSpore's encrypted files -> the encryption mode
ENCRYPTION_MAGICS = {0x7F3A5ED8: "AES-GCM", 0x7F3A5ED9: "AES-CBC", 0x7F3A5EDA: "SM4-CBC"}
#: MindSpore's ``tensor_type`` -> numpy dtype (BFloat16 is read as its raw 16 bits, then widened)
TENSOR_TYPES = {
    "Float16": "<f2", "Float32": "<f4", "Float64": "<f8", "BFloat16": "<u2",
    "Int8": "i1", "UInt8": "u1", "Int16": "<i2", "UInt16": "<u2", "Int32": "<i4", "UInt32": "<u4",
    "Int64": "<i8", "UInt64": "<u8", "Bool": "?",
}
_TYPE_OF_DTYPE = {np.dtype(code).str: name for name, code in TENSOR_TYPES.items() if name != "BFloat16"}
_CRC_MARK = b"crc_num"
_CRC_TRAILER = len(_CRC_MARK) + 10
#: MindSpore splits a parameter's bytes into pieces of at most this size
SLICE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class Checkpoint:
    """What a checkpoint holds, in file order: ``values`` maps each tag to a numpy array (float32
    for BFloat16) or, for ``str`` entries, a Python string; ``tensor_types`` keeps MindSpore's
    type name of each. ``crc_checked`` says whether the file carried a CRC trailer (it matched,
    or reading would have failed); ``map_tensors`` names the MapTensor entries, which hold no
    plain tensor and are left out."""

    values: dict[str, np.ndarray | str]
    tensor_types: dict[str, str]
    crc_checked: bool
    map_tensors: tuple[str, ...] = ()


class _Truncated(Exception):
    """The data ends inside a field."""


class _Malformed(Exception):
    """The bytes are not the protobuf messages of a checkpoint."""


def encryption_mode(head: bytes) -> str | None:
    """The encryption mode an encrypted MindSpore file's first 4 bytes name, else None."""
    if len(head) < 4:
        return None
    return ENCRYPTION_MAGICS.get(int.from_bytes(head[:4], "little"))


def looks_like_checkpoint(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a MindSpore checkpoint (plain or encrypted).

    A plain one starts with the key of ``Checkpoint.value`` (field 1, length-delimited: 0x0A)
    followed by a ``Value`` whose first field is its tag (0x0A again, after the length).
    """
    if encryption_mode(head) is not None:
        return True
    if len(head) < 3 or head[0] != 0x0A:
        return False
    try:
        _, pos = _varint(head, 1, len(head))
    except (_Truncated, _Malformed):
        return False
    return pos < len(head) and head[pos] == 0x0A


def read_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Read a ``.ckpt`` file (see :func:`parse_checkpoint`); WeightsError with a sentence when it
    cannot be read, is encrypted, damaged, truncated or not a checkpoint."""
    file = Path(path)
    if not file.is_file():
        raise WeightsError(f"There is no file at {file}." if not file.exists() else f"{file.name} is a folder, not a checkpoint.")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "Cannot read {0}: {1}.").format(file, error.strerror or error)) from None
    return parse_checkpoint(data, file.name)


def parse_checkpoint(data: bytes | memoryview, name: str = "The file") -> Checkpoint:
    """The parameters serialized in ``data`` (a whole ``.ckpt`` file's bytes); ``name`` names
    the file in error messages."""
    if not data:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is empty (0 bytes): it holds no weights.").format(name))
    mode = encryption_mode(data)
    if mode is not None:
        raise WeightsError(
            f"{name} is an encrypted MindSpore checkpoint ({mode}): it cannot be read without its key. "
            f"Decrypt it in MindSpore (load_checkpoint with dec_key and dec_mode={mode!r}) and save it "
            f"again without enc_key."
        )
    if not looks_like_checkpoint(data[:32]):
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is not a MindSpore checkpoint: its first bytes are not a checkpoint's.").format(name))
    crc_checked = data[-_CRC_TRAILER:-10] == _CRC_MARK
    if crc_checked:
        expected = int.from_bytes(data[-10:], "big")
        data = memoryview(data)[:-_CRC_TRAILER]  # a view: slicing bytes would copy the whole file
        if zlib.crc32(data) != expected:
            raise WeightsError(
                f"{name} is damaged: its CRC check fails (the bytes do not match the checksum MindSpore "
                f"wrote at its end). Copy or download the file again."
            )
    try:
        pieces, map_tensors = _values(data)
    except _Truncated:
        last = _last_tag(data)
        where = f" inside the parameter {last!r}" if last else ""
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is truncated: it ends too early{1}. Copy or download the file again.").format(name, where)) from None
    except _Malformed as error:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is damaged or not a MindSpore checkpoint: {1}.").format(name, error)) from None
    values: dict[str, np.ndarray | str] = {}
    types: dict[str, str] = {}
    for tag, (dims, tensor_type, chunks) in pieces.items():
        values[tag] = _decode(name, tag, dims, tensor_type, chunks)
        types[tag] = tensor_type
    return Checkpoint(values, types, crc_checked, tuple(map_tensors))


def _values(data: bytes) -> tuple[dict[str, tuple[list[int], str, list[memoryview]]], list[str]]:
    """Each tag's dims, type and content pieces (consecutive values with one tag are one split parameter)."""
    view = memoryview(data)
    pieces: dict[str, tuple[list[int], str, list[memoryview]]] = {}
    map_tensors: list[str] = []
    previous = None
    for field, wire, (start, stop) in _fields(data, 0, len(data)):
        if field != 1 or wire != 2:
            continue
        tag, tensor, is_map = _value(data, view, start, stop)
        if is_map:
            map_tensors.append(tag)
            previous = None
            continue
        if tensor is None:
            raise _Malformed(f"the entry {tag!r} holds no tensor")
        if tag == previous:  # the next slice of a split parameter
            pieces[tag][2].append(tensor[2])
        else:
            pieces[tag] = (tensor[0], tensor[1], [tensor[2]])
        previous = tag
    return pieces, map_tensors


def _value(data: bytes, view: memoryview, pos: int, end: int):
    """(tag, (dims, tensor_type, content) or None, is_map) of one ``Checkpoint.Value``."""
    tag, tensor, is_map = None, None, False
    for field, wire, (start, stop) in _fields(data, pos, end):
        if wire != 2:
            continue
        if field == 1:
            tag = _text(view[start:stop], "a parameter name")
        elif field == 2:
            tensor = _tensor(data, view, start, stop)
        elif field == 3:
            is_map = True
    if tag is None:
        raise _Malformed("an entry has no name")
    return tag, tensor, is_map


def _tensor(data: bytes, view: memoryview, pos: int, end: int) -> tuple[list[int], str, memoryview]:
    dims: list[int] = []
    tensor_type, content = None, None
    for field, wire, value in _fields(data, pos, end):
        if field == 1 and wire == 0:
            dims.append(_signed(value[0]))
        elif field == 1 and wire == 2:  # packed dims
            inner, stop = value
            while inner < stop:
                dim, inner = _varint(data, inner, stop)
                dims.append(_signed(dim))
        elif field == 2 and wire == 2:
            tensor_type = _text(view[value[0]:value[1]], "a tensor type")
        elif field == 3 and wire == 2:
            content = view[value[0]:value[1]]
    if tensor_type is None:
        raise _Malformed("a tensor has no type")
    return dims, tensor_type, content if content is not None else view[0:0]


def _fields(data: bytes, pos: int, end: int):
    """The fields of the message in ``data[pos:end]`` as (number, wire type, value): a varint's
    value is ``(number, None)``, a length-delimited field's its ``(start, stop)`` span; fixed-width
    fields, which a checkpoint never holds, are stepped over (a newer writer may add fields)."""
    while pos < end:
        key, pos = _varint(data, pos, end)
        field, wire = key >> 3, key & 7
        if wire == 0:
            number, pos = _varint(data, pos, end)
            yield field, wire, (number, None)
        elif wire == 2:
            length, pos = _varint(data, pos, end)
            stop = pos + length
            if stop > end:
                raise _Truncated
            yield field, wire, (pos, stop)
            pos = stop
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
            if pos > end:
                raise _Truncated
        else:
            raise _Malformed(f"field {field} has wire type {wire}, which a checkpoint never uses")


def _decode(name: str, tag: str, dims: list[int], tensor_type: str, chunks: list[memoryview]) -> np.ndarray | str:
    content = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if tensor_type == "str":
        return bytes(content).decode("utf-32-le").rstrip("\0")
    code = TENSOR_TYPES.get(tensor_type)
    if code is None:
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0}: the parameter {1} has a type this viewer cannot read ({2}).").format(name, repr(tag), tensor_type))
    shape = () if dims == [0] else tuple(dims)
    if any(d < 0 for d in shape):
        raise WeightsError(QT_TRANSLATE_NOOP("UserError", "{0} is damaged: the parameter {1} has a negative size {2}.").format(name, repr(tag), shape))
    itemsize = np.dtype(code).itemsize
    needed = int(np.prod(shape, dtype=np.int64)) * itemsize
    if len(content) != needed:
        raise WeightsError(
            f"{name} is damaged: the parameter {tag!r} holds {len(content)} bytes, but its shape "
            f"{'x'.join(map(str, shape)) or 'scalar'} ({tensor_type}) needs {needed}."
        )
    array = np.frombuffer(content, dtype=code).reshape(shape)
    if tensor_type == "BFloat16":  # the upper half of a float32: widening is exact
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return array


def _varint(data: bytes, pos: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= end:
            raise _Truncated
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise _Malformed("a number runs over 10 bytes")


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _text(raw: memoryview, what: str) -> str:
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise _Malformed(f"{what} is not text") from None


def _last_tag(data: bytes) -> str | None:
    """The name of the last parameter that starts in ``data`` (for a truncation message)."""
    pos, end, last = 0, len(data), None
    try:
        while pos < end:
            _, pos = _varint(data, pos, end)
            length, start = _varint(data, pos, end)
            if data[start] == 0x0A:
                size, at = _varint(data, start + 1, end)
                last = bytes(data[at : at + size]).decode("utf-8", "replace")
            pos = start + length
    except (_Truncated, _Malformed, IndexError):
        pass
    return last


# ---------------------------------------------------------------------------------- writing


def checkpoint_bytes(values: Mapping[str, np.ndarray | str], *, crc: bool = False,
                     slice_bytes: int = SLICE_BYTES) -> bytes:
    """The bytes ``mindspore.save_checkpoint`` writes for ``values`` (name -> array or string),
    with the CRC trailer when ``crc``. Arrays are written as they are (C order, little-endian);
    a float32 array becomes a ``Float32`` tensor, and so on."""
    out = bytearray()
    for tag, value in values.items():
        if isinstance(value, str):
            dims, tensor_type = [0], "str"
            content = np.array(value).astype(f"<U{max(1, len(value))}").tobytes()
        else:
            array = np.asarray(value)  # tobytes() writes C order whatever the layout
            tensor_type = _TYPE_OF_DTYPE.get(array.dtype.newbyteorder("<").str)
            if tensor_type is None:
                raise ValueError(f"{tag}: a MindSpore checkpoint cannot hold {array.dtype} values")
            dims = list(array.shape)
            content = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        pieces = [content[i : i + slice_bytes] for i in range(0, len(content), slice_bytes)] or [b""]
        for piece in pieces:
            out += _field(1, _field(1, tag.encode("utf-8")) + _field(2, _tensor_bytes(dims, tensor_type, piece)))
    if crc:
        out += _CRC_MARK + zlib.crc32(out).to_bytes(10, "big")
    return bytes(out)


def write_checkpoint(path: str | os.PathLike[str], values: Mapping[str, np.ndarray | str], *, crc: bool = False) -> Path:
    """Write ``values`` as a ``.ckpt`` file that ``mindspore.load_checkpoint`` reads (see
    :func:`checkpoint_bytes`); OSError when the file cannot be written."""
    out = Path(path)
    out.write_bytes(checkpoint_bytes(values, crc=crc))
    return out


def _tensor_bytes(dims: list[int], tensor_type: str, content: bytes) -> bytes:
    head = b"".join(b"\x08" + _varint_bytes(d & ((1 << 64) - 1)) for d in dims)
    return head + _field(2, tensor_type.encode("ascii")) + _field(3, content)


def _field(number: int, payload: bytes) -> bytes:
    return _varint_bytes(number << 3 | 2) + _varint_bytes(len(payload)) + payload


def _varint_bytes(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
