"""Saved models: save refuses what load refuses, load turns every bad file into ModelFileError."""

import functools
import io
import json
import os
import pathlib
import re
import signal
import stat
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from numpy.lib import format as npy

import jacts
import jacts.shallow as shallow
from jacts import models
from jacts._rules import RULES
from jacts.shallow import Params

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and PIDs")

# The activations a hidden layer may use, in the table's order: every rule but glu, softmax and
# log_softmax, which mix a row's entries.
ELEMENTWISE = (
  *("sigmoid", "tanh", "relu", "leaky_relu", "relu6", "hard_sigmoid", "hard_silu", "hard_tanh"),
  *("sparse_sigmoid", "softplus", "log_sigmoid", "silu", "mish", "gelu", "soft_sign"),
  *("squareplus", "sparse_plus", "elu", "celu", "selu", "log1mexp", "identity"),
)
SELU_SCALE = 1.0507009873554805  # The lowest g'(0) of selu: its sub-differential's left end.


def params(dtype=np.float32, n_x=2, n_h=4, n_y=1) -> Params:
  """Small, exactly representable weights (float16 included) of the given sizes."""
  W1 = np.arange(n_h * n_x).reshape(n_h, n_x) / 8 - 0.5
  W2 = np.arange(n_y * n_h).reshape(n_y, n_h) / 4 - 0.25
  arrays = (W1, np.full(n_h, 0.125), W2, np.full(n_y, -0.5))
  return Params(*(np.asarray(a, dtype) for a in arrays))


def valid_model(**changes) -> models.Model:
  """A relu model that save and load accept, with ``changes`` to its fields."""
  return models.Model(params(), "relu", derivative_at_zero=0.0)._replace(**changes)


def saved(tmp_path: pathlib.Path, model: models.Model | None = None) -> pathlib.Path:
  path = tmp_path / "model.npz"
  models.save(path, valid_model() if model is None else model)
  return path


def with_param(field: str, value, model=None) -> models.Model:
  """``model`` (a valid one by default) with one weight replaced."""
  model = valid_model() if model is None else model
  return model._replace(params=model.params._replace(**{field: value}))


def npy_bytes(array: np.ndarray, version=None) -> bytes:
  buffer = io.BytesIO()
  npy.write_array(buffer, array, version=version, allow_pickle=False)
  return buffer.getvalue()


def npy_header(descr: str, shape: tuple) -> bytes:
  buffer = io.BytesIO()
  npy.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
  return buffer.getvalue()


def members_of(path: pathlib.Path) -> dict[str, bytes]:
  with zipfile.ZipFile(path) as archive:
    return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: pathlib.Path, members, compression=None) -> None:
  """Writes ``members`` ({name: bytes} or [(name, bytes)]); ``compression`` {name: method}."""
  items = members.items() if isinstance(members, dict) else members
  with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name; wanted.
    with zipfile.ZipFile(path, "w") as archive:
      for name, data in items:
        archive.writestr(name, data, compress_type=(compression or {}).get(name, 0))


def replace_members(path: pathlib.Path, changes: dict, compression=None) -> None:
  """Rewrites the archive at ``path`` with ``changes`` ({name: bytes, or None to drop})."""
  members = members_of(path) | changes
  write_zip(path, {name: data for name, data in members.items() if data is not None}, compression)


def patch_member(path: pathlib.Path, member: str, *, flag_bits=0, method=None, data=None) -> None:
  """Edits a member's local and central headers (flags, method) and compressed bytes in place."""
  raw = bytearray(path.read_bytes())
  with zipfile.ZipFile(path) as archive:
    info = archive.getinfo(member)
  local, name = info.header_offset, member.encode()
  central = raw.index(b"PK\x01\x02")  # The central directory entry with this name.
  while struct.unpack_from("<H", raw, central + 28)[0] != len(name) or (
    raw[central + 46 : central + 46 + len(name)] != name
  ):
    central = raw.index(b"PK\x01\x02", central + 4)
  name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
  for header, flags_at in ((local, 6), (central, 8)):
    struct.pack_into("<H", raw, header + flags_at, info.flag_bits | flag_bits)
    if method is not None:
      struct.pack_into("<H", raw, header + flags_at + 2, method)
  if data is not None:
    start = local + 30 + name_length + extra_length
    raw[start : start + len(data)] = data
  path.write_bytes(bytes(raw))


def bad_crc(path):
  """Flips the last data byte of the stored member W1.npy, leaving its CRC as it was."""
  data = members_of(path)["W1.npy"]
  patch_member(path, "W1.npy", data=data[:-1] + bytes([data[-1] ^ 0xFF]))


def corrupt_deflate(path):
  """Deflates W1.npy, then overwrites its compressed bytes with ones zlib cannot inflate."""
  replace_members(path, {}, {"W1.npy": zipfile.ZIP_DEFLATED})
  with zipfile.ZipFile(path) as archive:
    size = archive.getinfo("W1.npy").compress_size
  patch_member(path, "W1.npy", data=b"\xff" * size)  # Block type 3: reserved, invalid.


def changed(**members):
  """A crafter that stores each of ``members`` ({field: array}) as `<field>.npy`."""
  return lambda path: replace_members(path, {f"{k}.npy": npy_bytes(v) for k, v in members.items()})


CRAFTED = {
  "encrypted member": (
    lambda path: patch_member(path, "W1.npy", flag_bits=0x1),
    "W1",
    "`W1` is encrypted",
  ),
  "lzma member": (
    lambda path: replace_members(path, {}, {"W1.npy": zipfile.ZIP_LZMA}),
    "W1",
    "`W1` uses zip method 14; only stored and deflated are read",
  ),
  "bzip2 member": (
    lambda path: replace_members(path, {}, {"b2.npy": zipfile.ZIP_BZIP2}),
    "b2",
    "`b2` uses zip method 12; only stored and deflated are read",
  ),
  "unknown compression method": (
    lambda path: patch_member(path, "n_x.npy", method=99),
    "n_x",
    "`n_x` uses zip method 99; only stored and deflated are read",
  ),
  "corrupt deflate data": (corrupt_deflate, "W1", "`W1` is unreadable (Error -3 "),
  "bad crc": (bad_crc, "W1", "`W1` is unreadable (Bad CRC-32 for file 'W1.npy')"),
  "member without .npy": (
    lambda path: replace_members(path, {"W1.npy": None, "W1": npy_bytes(params().W1)}),
    "W1",
    "not a jacts model file (unexpected member 'W1')",
  ),
  "unknown extra member": (
    lambda path: replace_members(path, {"notes.npy": npy_bytes(np.array("hi"))}),
    "notes",
    "not a jacts model file (unexpected member 'notes.npy')",
  ),
  "duplicate member": (
    lambda path: write_zip(path, [*members_of(path).items(), ("b1.npy", b"")]),
    "b1",
    "not a jacts model file (unexpected member 'b1.npy')",
  ),
  "missing member": (
    lambda path: replace_members(path, {"W2.npy": None}),
    "W2",
    "not a jacts model file (no `W2`)",
  ),
  "header declaring 32 TiB": (
    lambda path: replace_members(path, {"W1.npy": npy_header("<f8", (2**41, 2)) + bytes(64)}),
    "W1",
    "`W1`: its header declares shape (2199023255552, 2) of float64 (35184372088832 bytes); "
    "the member holds 64",
  ),
  "truncated member": (
    lambda path: replace_members(path, {"W1.npy": npy_bytes(params().W1)[:-4]}),
    "W1",
    "`W1`: its header declares shape (4, 2) of float32 (32 bytes); the member holds 28",
  ),
  "not a .npy member": (
    lambda path: replace_members(path, {"b1.npy": b"garbage, not numpy"}),
    "b1",
    "`b1` is unreadable (the magic string is not correct",
  ),
  "npy version 3.0": (
    lambda path: replace_members(path, {"b1.npy": npy_bytes(params().b1, version=(3, 0))}),
    "b1",
    "`b1` is .npy version (3, 0); only 1.0 and 2.0 are read",
  ),
  "object array": (
    lambda path: replace_members(path, {"b1.npy": npy_header("|O", (4,)) + bytes(32)}),
    "b1",
    "`b1` must be a float16, float32 or float64 array; got object of shape (4,)",
  ),
  "float format_version 1.9": (
    changed(format_version=np.array(1.9)),
    "format_version",
    "`format_version` must be a 0-d integer array; got float64 of shape ()",
  ),
  "infinite format_version": (
    changed(format_version=np.array(np.inf)),
    "format_version",
    "`format_version` must be a 0-d integer array; got float64 of shape ()",
  ),
  "infinite n_x": (
    changed(n_x=np.array(np.inf)),
    "n_x",
    "`n_x` must be a 0-d integer array; got float64 of shape ()",
  ),
  "float n_h 1.9": (
    changed(n_h=np.array(1.9)),
    "n_h",
    "`n_h` must be a 0-d integer array; got float64 of shape ()",
  ),
  "boolean n_y": (
    changed(n_y=np.array(True)),
    "n_y",
    "`n_y` must be a 0-d integer array; got bool of shape ()",
  ),
  "longdouble W1": (
    changed(W1=params(np.longdouble).W1),
    "W1",
    f"`W1` must be a float16, float32 or float64 array; got {np.dtype(np.longdouble)} of shape "
    "(4, 2)",
  ),
  "integer weights": (
    changed(b2=np.array([1])),
    "b2",
    "`b2` must be a float16, float32 or float64 array; got int64 of shape (1,)",
  ),
  "integer activation": (
    changed(activation=np.array(3)),
    "activation",
    "`activation` must be a 0-d unicode string array; got int64 of shape ()",
  ),
  "format as a list": (
    changed(format=np.array(["jacts.shallow"])),
    "format",
    "`format` must be a 0-d unicode string array; got <U13 of shape (1,)",
  ),
  "integer negative_slope": (
    changed(negative_slope=np.array(1)),
    "negative_slope",
    "`negative_slope` must be a 0-d float16, float32 or float64 array; got int64 of shape ()",
  ),
  "string derivative_at_zero": (
    changed(derivative_at_zero=np.array("1")),
    "derivative_at_zero",
    "`derivative_at_zero` must be a 0-d float16, float32 or float64 array; got <U1 of shape ()",
  ),
  "integer arguments": (
    changed(arguments=np.array(3)),
    "arguments",
    "`arguments` must be a 0-d unicode string array; got int64 of shape ()",
  ),
  "missing arguments": (
    lambda path: replace_members(path, {"arguments.npy": None}),
    "arguments",
    "not a jacts model file (no `arguments`)",
  ),
  "arguments in format version 1": (
    changed(format_version=np.array(1)),
    "arguments",
    "not a jacts model file (`arguments` in format version 1)",
  ),
  "arguments not JSON": (
    changed(arguments=np.array("{alpha: 1}")),
    "arguments",
    "`arguments` is not valid JSON (Expecting property name enclosed in double quotes at "
    "character 1); got '{alpha: 1}'.",
  ),
  "arguments a JSON list": (
    changed(arguments=np.array("[0.5]")),
    "arguments",
    "`arguments` must be a JSON object of name: value, e.g. {\"alpha\": 0.5}; got '[0.5]'.",
  ),
  "arguments naming one twice": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": 0.5, "alpha": 1}')),
    "arguments",
    '`arguments` gives `alpha` twice; got \'{"alpha": 0.5, "alpha": 1}\'.',
  ),
  "arguments nested deeply": (
    changed(arguments=np.array("[" * 100_000 + "]" * 100_000)),
    "arguments",
    "`arguments` is nested too deep; got '" + "[" * 57 + "...'.",
  ),
  "arguments holding NaN": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": NaN}')),
    "arguments",
    "`arguments`: `alpha` must be a finite number, a bool or None; got nan.",
  ),
  "arguments holding 1e400": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": 1e400}')),
    "arguments",
    "`arguments`: `alpha` must be a finite number, a bool or None; got inf.",
  ),
  "arguments holding a list": (
    changed(activation=np.array("squareplus"), arguments=np.array('{"b": [4]}')),
    "arguments",
    "`arguments`: `b` must be a finite number, a bool or None; got [4].",
  ),
  "arguments holding a string": (
    changed(activation=np.array("gelu"), arguments=np.array('{"approximate": "tanh"}')),
    "arguments",
    "`arguments`: `approximate` must be a finite number, a bool or None; got 'tanh'.",
  ),
  "stored sizes against shapes": (
    changed(n_x=np.array(3)),
    "W1",
    "`W1` has shape (4, 2); stored sizes need (4, 3)",
  ),
  "zero sizes": (
    changed(
      W1=np.zeros((0, 2), np.float32),
      b1=np.zeros(0, np.float32),
      W2=np.zeros((1, 0), np.float32),
      n_h=np.array(0),
    ),
    "W1",
    "`W1` and `W2` must be 2-d, sizes >= 1; got (0, 2) and (1, 0).",
  ),
}


@pytest.mark.parametrize(("craft", "field", "message"), CRAFTED.values(), ids=CRAFTED.keys())
def test_load_refuses_a_crafted_file_naming_the_path_and_the_field(tmp_path, craft, field, message):
  path = saved(tmp_path)
  craft(path)
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {message}")) as caught:
    models.load(path)
  assert type(caught.value) is models.ModelFileError
  assert field in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
  ("spoil", "message"),
  [
    (
      lambda path: path.write_bytes(path.read_bytes()[:200]),
      "not a jacts model file (not an .npz archive)",
    ),
    (lambda path: path.write_bytes(b""), "not a jacts model file (not an .npz archive)"),
    (lambda path: (path.unlink(), path.mkdir()), "not a jacts model file (unreadable: "),
    (lambda path: path.unlink(), "no such file"),
  ],
  ids=["truncated archive", "empty file", "a folder", "missing"],
)
def test_load_refuses_a_file_that_is_no_archive_in_one_line(tmp_path, spoil, message):
  path = saved(tmp_path)
  spoil(path)
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {message}")):
    models.load(path)


def test_load_reads_deflated_big_endian_and_fortran_order_members(tmp_path):
  path = saved(tmp_path)
  W1 = np.asfortranarray(params().W1.astype(">f4"))
  compression = dict.fromkeys(members_of(path), zipfile.ZIP_DEFLATED)
  replace_members(path, {"W1.npy": npy_bytes(W1), "n_x.npy": npy_bytes(np.array(2, ">i2"))})
  replace_members(path, {"b1.npy": npy_bytes(params().b1, version=(2, 0))}, compression)
  loaded = models.load(path)
  for got, want in zip(loaded.params, params(), strict=True):
    assert got.dtype == jnp.float32
    np.testing.assert_array_equal(got, want)


SAVE_REFUSALS = {
  "NaN weight": (
    with_param("W1", params().W1 * np.nan),
    ValueError,
    "`model.params.W1` holds NaN or infinite values.",
  ),
  "infinite bias": (
    with_param("b2", np.array([np.inf], np.float32)),
    ValueError,
    "`model.params.b2` holds NaN or infinite values.",
  ),
  "relu derivative_at_zero 5": (
    valid_model(derivative_at_zero=5),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of relu at 0, [0.0, 1.0]; "
    "got 5.0.",
  ),
  "leaky_relu derivative_at_zero below the slope": (
    valid_model(activation="leaky_relu", negative_slope=0.25, derivative_at_zero=0.125),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of leaky_relu at 0, "
    "[0.25, 1.0]; got 0.125.",
  ),
  "leaky_relu derivative_at_zero above a slope over 1": (
    valid_model(activation="leaky_relu", negative_slope=2.0, derivative_at_zero=3.0),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of leaky_relu at 0, "
    "[1.0, 2.0]; got 3.0.",
  ),
  "NaN negative_slope": (
    valid_model(negative_slope=np.nan),
    ValueError,
    "`model.negative_slope` must be a finite real number; got nan.",
  ),
  "infinite negative_slope": (
    valid_model(activation="tanh", negative_slope=-np.inf),
    ValueError,
    "`model.negative_slope` must be a finite real number; got -inf.",
  ),
  "infinite derivative_at_zero for sigmoid": (
    valid_model(activation="sigmoid", derivative_at_zero=np.inf),
    ValueError,
    "`model.derivative_at_zero` must be a finite real number; got inf.",
  ),
  "unknown activation": (
    valid_model(activation="swish"),
    ValueError,
    f"`model.activation`: unknown activation 'swish'; one of {sorted(ELEMENTWISE)}.",
  ),
  "softmax, not elementwise": (
    valid_model(activation="softmax"),
    ValueError,
    "`model.activation`: softmax is not elementwise, so it cannot be a hidden activation; one "
    f"of {sorted(ELEMENTWISE)}.",
  ),
  "an argument elu does not take": (
    models.Model(params(), "elu", arguments=(("beta", 1.0),)),
    ValueError,
    "`model.arguments`: `beta` is not an argument to store; elu takes `alpha`, "
    "`derivative_at_zero`.",
  ),
  "z as an argument": (
    models.Model(params(), "celu", arguments=(("z", 1.0),)),
    ValueError,
    "`model.arguments`: `z` is not an argument to store; celu takes `alpha`.",
  ),
  "an argument for tanh": (
    valid_model(activation="tanh", arguments=(("alpha", 1.0),)),
    ValueError,
    "`model.arguments`: `alpha` is not an argument to store; tanh takes none.",
  ),
  "relu's derivative_at_zero in arguments": (
    valid_model(arguments=(("derivative_at_zero", 0.0),)),
    ValueError,
    "`model.arguments`: `derivative_at_zero` is not an argument to store; relu's "
    "`derivative_at_zero` is the field `model.derivative_at_zero`.",
  ),
  "selu derivative_at_zero outside the sub-differential": (
    models.Model(params(), "selu", arguments=(("derivative_at_zero", 1.0),)),
    ValueError,
    "`model.arguments`: `jacts.selu`: `derivative_at_zero` must lie in the sub-differential at "
    f"z = 0, [{SELU_SCALE}, 1.7580993408473766]; got 1.0.",
  ),
  "elu derivative_at_zero outside the sub-differential for its alpha": (
    models.Model(params(), "elu", arguments={"alpha": 0.5, "derivative_at_zero": 0.25}),
    ValueError,
    "`model.arguments`: `jacts.elu`: `derivative_at_zero` must lie in the sub-differential at "
    "z = 0, [0.5, 1.0]; got 0.25.",
  ),
  "selu derivative_at_zero None": (
    models.Model(params(), "selu", arguments=(("derivative_at_zero", None),)),
    TypeError,
    "`model.arguments`: `jacts.selu`: `derivative_at_zero` must be a finite Python number",
  ),
  "elu alpha inf": (
    models.Model(params(), "elu", arguments=(("alpha", np.inf),)),
    ValueError,
    "`model.arguments`: `alpha` must be a finite number, a bool or None; got inf.",
  ),
  "squareplus b NaN": (
    models.Model(params(), "squareplus", arguments=(("b", np.nan),)),
    ValueError,
    "`model.arguments`: `b` must be a finite number, a bool or None; got nan.",
  ),
  "celu alpha 0": (
    models.Model(params(), "celu", arguments=(("alpha", 0.0),)),
    ValueError,
    "`model.arguments`: `jacts.celu`: `alpha` must be greater than 0.0; got 0.0.",
  ),
  "gelu approximate a number": (
    models.Model(params(), "gelu", arguments=(("approximate", 1.0),)),
    TypeError,
    "`model.arguments`: `jacts.gelu`: `approximate` must be True or False; got 1.0.",
  ),
  "selu derivative_at_zero changed by the legacy field": (
    valid_model(activation="selu", derivative_at_zero=SELU_SCALE),
    ValueError,
    "`model.derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); give "
    f"selu's `derivative_at_zero` in `model.arguments`; got {SELU_SCALE}.",
  ),
  "negative_slope for elu": (
    models.Model(params(), "elu", negative_slope=0.5),
    ValueError,
    "`model.negative_slope` applies to leaky_relu only (leave it at 0.01); elu takes no "
    "`negative_slope`; got 0.5.",
  ),
  "derivative_at_zero for softplus": (
    models.Model(params(), "softplus", derivative_at_zero=0.5),
    ValueError,
    "`model.derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); softplus "
    "takes no `derivative_at_zero`; got 0.5.",
  ),
  "mixed dtypes": (
    with_param("W2", params(np.float64).W2),
    TypeError,
    "`model.params.W1`, `model.params.b1`, `model.params.W2`, `model.params.b2` must share one "
    "dtype; got float32, float32, float64, float32.",
  ),
  "zero sizes": (
    valid_model(params=params(n_h=0)),
    ValueError,
    "`model.params.W1` and `model.params.W2` must be 2-d, sizes >= 1; got (0, 2) and (1, 0).",
  ),
}
# Load checks a file's stored sizes first, in its own words (see CRAFTED).
SAVE_ONLY_REFUSALS = {
  "inconsistent shapes": (
    with_param("b1", np.zeros(3, np.float32)),
    ValueError,
    "`model.params.b1` has shape (3,); W1 and W2 imply (4,).",
  ),
  "bfloat16 params": (
    valid_model(params=Params(*(jnp.asarray(p, jnp.bfloat16) for p in params()))),
    TypeError,
    "`model.params.W1` is bfloat16, which .npz cannot store: convert to float32.",
  ),
  "longdouble params": (
    valid_model(params=params(np.longdouble)),
    TypeError,
    f"`model.params.W1` must be a float16, float32 or float64 array; got "
    f"{np.dtype(np.longdouble)}.",
  ),
  "integer params": (
    valid_model(params=params(np.int32)),
    TypeError,
    "`model.params.W1` must be a float16, float32 or float64 array; got int32.",
  ),
  "a list for a weight": (
    with_param("b2", [0.5]),
    TypeError,
    "`model.params.b2` must be an array; got list.",
  ),
  "a plain tuple for params": (
    valid_model(params=tuple(params())),
    TypeError,
    "`model.params` must be a jacts.shallow.Params; got tuple.",
  ),
  "boolean negative_slope": (
    valid_model(negative_slope=True),
    TypeError,
    "`model.negative_slope` must be a finite real number; got True.",
  ),
  "string derivative_at_zero": (
    valid_model(derivative_at_zero="1"),
    TypeError,
    "`model.derivative_at_zero` must be a finite real number; got '1'.",
  ),
  "an int beyond float's range": (
    valid_model(derivative_at_zero=10**400),
    ValueError,
    "`model.derivative_at_zero` must be a finite real number; got 1000",
  ),
  "arguments not pairs": (
    models.Model(params(), "elu", arguments=0.5),
    TypeError,
    '`model.arguments` must be (name, value) pairs, e.g. (("alpha", 0.5),); got 0.5.',
  ),
  "an argument given twice": (
    models.Model(params(), "elu", arguments=(("alpha", 0.5), ("alpha", 1.0))),
    ValueError,
    "`model.arguments` gives `alpha` twice.",
  ),
  "an array argument": (
    models.Model(params(), "elu", arguments=(("alpha", np.ones(4)),)),
    TypeError,
    "`model.arguments`: `alpha` must be a finite number, a bool or None; got an array of shape "
    "(4,).",
  ),
  "a string argument": (
    models.Model(params(), "gelu", arguments=(("approximate", "tanh"),)),
    TypeError,
    "`model.arguments`: `approximate` must be a finite number, a bool or None; got 'tanh'.",
  ),
  "not a Model": (
    tuple(valid_model()),
    TypeError,
    "`model` must be a jacts.models.Model; got tuple.",
  ),
}


@pytest.mark.parametrize(
  ("model", "error", "message"),
  [*SAVE_REFUSALS.values(), *SAVE_ONLY_REFUSALS.values()],
  ids=[*SAVE_REFUSALS, *SAVE_ONLY_REFUSALS],
)
def test_save_refuses_before_writing_and_leaves_the_old_file_byte_for_byte(
  tmp_path, model, error, message
):
  path = saved(tmp_path)
  before = path.read_bytes()
  with pytest.raises(error, match=re.escape(message)):
    models.save(path, model)
  assert path.read_bytes() == before
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def stored_contents(model: models.Model) -> dict[str, np.ndarray]:
  """What save would write for ``model``, written here without any check."""
  W1, b1, W2, b2 = (np.asarray(p) for p in model.params)
  return {
    "format": np.array(models.FORMAT),
    "format_version": np.array(models.FORMAT_VERSION),
    **{"W1": W1, "b1": b1, "W2": W2, "b2": b2},
    "activation": np.array(model.activation),
    "negative_slope": np.array(float(model.negative_slope)),
    "derivative_at_zero": np.array(float(model.derivative_at_zero)),
    "arguments": np.array(json.dumps(dict(model.arguments))),
    **{"n_x": np.array(W1.shape[1]), "n_h": np.array(W1.shape[0]), "n_y": np.array(W2.shape[0])},
  }


@pytest.mark.parametrize(
  ("model", "message"),
  [(model, message) for model, _, message in SAVE_REFUSALS.values()],
  ids=list(SAVE_REFUSALS),
)
def test_load_refuses_what_save_refuses_with_the_same_message(tmp_path, model, message):
  path = tmp_path / "model.npz"
  np.savez(path, **stored_contents(model))
  in_file = message.replace("`model.params.", "`").replace("`model.", "`")
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {in_file}")):
    models.load(path)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(
  "model",
  [
    valid_model(activation="sigmoid", negative_slope=-3.5, derivative_at_zero=-7),
    valid_model(activation="tanh"),
    valid_model(activation="relu", derivative_at_zero=1),
    valid_model(activation="leaky_relu", negative_slope=2.0, derivative_at_zero=1.5),
    valid_model(activation="leaky_relu", negative_slope=np.float32(0.5), derivative_at_zero=0.5),
  ],
  ids=["sigmoid", "tanh", "relu", "leaky_relu slope 2", "leaky_relu numpy slope"],
)
def test_save_then_load_keeps_every_field_and_the_dtype(tmp_path, model, dtype):
  model = model._replace(params=params(dtype))
  loaded = models.load(saved(tmp_path, model))
  for got, want in zip(loaded.params, model.params, strict=True):
    assert isinstance(got, jax.Array) and got.dtype == dtype
    np.testing.assert_array_equal(got, want)
  assert loaded[1:] == (model.activation, model.negative_slope, model.derivative_at_zero, ())
  assert all(type(number) is float for number in loaded[2:4])


def test_a_float64_model_is_refused_while_64_bit_mode_is_off(tmp_path):
  path = saved(tmp_path, valid_model(params=params(np.float64)))
  with pytest.raises(
    models.ModelFileError,
    match=re.escape(
      f"{path}: the model is float64 but JAX's 64-bit mode is off, which would round it to "
      'float32; enable it first with jax.config.update("jax_enable_x64", True) or load inside '
      "`with jax.enable_x64(True):`"
    ),
  ):
    models.load(path)


def test_a_float64_model_loads_exactly_in_64_bit_mode(tmp_path, x64):
  model = valid_model(params=params(np.float64)._replace(b1=np.full(4, 0.1)))
  loaded = models.load(saved(tmp_path, model))
  for got, want in zip(loaded.params, model.params, strict=True):
    assert got.dtype == jnp.float64
    np.testing.assert_array_equal(got, want)


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o000])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask):
  old = os.umask(umask)
  try:
    path = saved(tmp_path)
  finally:
    os.umask(old)
  assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o444])
def test_overwriting_a_file_keeps_its_mode(tmp_path, mode):
  path = saved(tmp_path)
  path.chmod(mode)
  models.save(path, valid_model(activation="tanh"))
  assert stat.S_IMODE(path.stat().st_mode) == mode
  assert models.load(path).activation == "tanh"


def test_the_temporary_file_carries_the_writers_pid(tmp_path, monkeypatch):
  seen = []
  savez = np.savez

  def spy(file, **arrays):
    seen.extend(p.name for p in tmp_path.iterdir())
    savez(file, **arrays)

  monkeypatch.setattr(models.np, "savez", spy)
  saved(tmp_path)
  assert len(seen) == 1
  assert re.fullmatch(rf"\.model\.npz\.{os.getpid()}\.[a-z0-9_]+\.tmp", seen[0])
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def exited_pid() -> int:
  """The PID of a process that has exited and been reaped."""
  child = subprocess.Popen([sys.executable, "-c", "pass"])
  child.wait()
  return child.pid


@posix_only
def test_a_save_removes_leftovers_of_dead_writers_and_keeps_everything_else(tmp_path):
  dead = exited_pid()
  kept = [
    f".model.npz.{os.getpid()}.abc123_x.tmp",  # This live process: maybe another thread's.
    f".other.npz.{dead}.abc123_x.tmp",  # Another target's.
    f".model.npz.5.{dead}.abc123_x.tmp",  # Target "model.npz.5"'s, not "model.npz"'s.
    f".model.npz.{dead}.tmp",  # Not a name mkstemp gives.
    "model.npz.bak",
  ]
  removed = [f".model.npz.{dead}.abc123_x.tmp", f".model.npz.{dead}.zz9.tmp"]
  for name in kept + removed:
    (tmp_path / name).write_bytes(b"PK\x03\x04 half an archive")
  saved(tmp_path)
  assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "model.npz"])


KILLED_MID_SAVE = textwrap.dedent(
  """
  import sys, time
  import numpy as np
  from jacts import models
  from jacts.shallow import Params

  def stuck(file, **arrays):
    file.write(b"PK\\x03\\x04 part of an archive")
    file.flush()
    print("writing", flush=True)
    time.sleep(600)

  np.savez = stuck
  shapes = [(4, 2), (4,), (1, 4), (1,)]
  params = Params(*(np.ones(shape, np.float32) for shape in shapes))
  models.save(sys.argv[1], models.Model(params, "tanh"))
  """
)


@posix_only
def test_a_save_killed_by_sigkill_leaves_a_file_the_next_save_removes(tmp_path):
  path = saved(tmp_path)
  before = path.read_bytes()
  child = subprocess.Popen(
    [sys.executable, "-c", KILLED_MID_SAVE, str(path)], stdout=subprocess.PIPE, text=True
  )
  try:
    assert child.stdout.readline() == "writing\n"
  finally:
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
  leftovers = [p.name for p in tmp_path.glob(f".model.npz.{child.pid}.*.tmp")]
  assert len(leftovers) == 1 and path.read_bytes() == before
  models.save(path, valid_model(activation="sigmoid"))
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
  assert models.load(path).activation == "sigmoid"


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_forged_directory_sizes_are_refused_before_anything_is_allocated(tmp_path, compression):
  path = saved(tmp_path)
  replace_members(path, {"W1.npy": npy_header("<f4", (2**29,))}, {"W1.npy": compression})
  data = bytearray(path.read_bytes())
  entry = data.find(b"PK\x01\x02")  # The central directory's first record.
  while entry != -1:  # Find W1.npy's record and claim 2 GiB uncompressed.
    name_length = struct.unpack_from("<H", data, entry + 28)[0]
    if data[entry + 46 : entry + 46 + name_length] == b"W1.npy":
      struct.pack_into("<I", data, entry + 24, 2**31 + 128)
      break
    entry = data.find(b"PK\x01\x02", entry + 4)
  path.write_bytes(bytes(data))
  with pytest.raises(models.ModelFileError, match=r"`W1`: the archive claims 2147483776 bytes"):
    models.load(path)


def test_save_takes_zero_dimensional_arrays_for_the_numbers(tmp_path):
  path = tmp_path / "model.npz"
  model = models.Model(params(), "leaky_relu", jnp.float32(0.25), np.array(0.5))
  models.save(path, model)
  loaded = models.load(path)
  assert (loaded.negative_slope, loaded.derivative_at_zero) == (0.25, 0.5)


def test_the_activations_are_the_elementwise_rules_in_table_order():
  assert tuple(models.ACTIVATIONS) == ELEMENTWISE
  assert tuple(models.ACTIVATIONS) == tuple(n for n, rule in RULES.items() if rule.elementwise)
  assert {"glu", "softmax", "log_softmax"} <= set(RULES) - set(models.ACTIVATIONS)
  for name, function in models.ACTIVATIONS.items():
    assert function is getattr(jacts, name)


def evaluated(model: models.Model, X: np.ndarray):
  """The model's probabilities and labels for ``X``, with its activation and stored arguments."""
  activation = model.activation_function()
  A2, _ = shallow.forward(model.params, X, activation=activation)
  return A2, shallow.predict(model.params, X, activation=activation)


def bound(model: models.Model) -> tuple:
  """(function, bound keyword arguments) of the model's activation."""
  function = model.activation_function()
  if isinstance(function, functools.partial):
    assert function.args == ()
    return function.func, function.keywords
  return function, {}


def assert_round_trip(tmp_path, model: models.Model, X: np.ndarray):
  """Saved and loaded, ``model`` gives the same probabilities and labels: values, dtypes, shapes."""
  loaded = models.load(saved(tmp_path, model))
  assert loaded.activation == model.activation
  assert bound(loaded) == bound(model)
  for got, want in zip(evaluated(loaded, X), evaluated(model, X), strict=True):
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    np.testing.assert_array_equal(got, want)
  return loaded


def round_trip_inputs(activation: str, dtype) -> tuple[Params, np.ndarray]:
  """Weights and points that give z of both signs, or z > 0 only where g is real only there."""
  X = np.array([[-2.0, 1.0], [0.5, -1.5], [3.0, 2.0], [-1.0, -3.0], [0.0, 0.0]], dtype)
  weights = params(dtype)
  if RULES[activation].domain[0] >= 0:  # log1mexp: z > 0.
    weights, X = Params(*(np.abs(p) for p in weights)), np.abs(X)
  return weights, X


@pytest.mark.parametrize("activation", ELEMENTWISE)
def test_every_elementwise_activation_round_trips_with_its_defaults(tmp_path, activation):
  weights, X = round_trip_inputs(activation, np.float32)
  loaded = assert_round_trip(tmp_path, models.Model(weights, activation), X)
  assert loaded.arguments == ()
  assert np.load(tmp_path / "model.npz")["arguments"][()] == "{}"
  if activation not in ("relu", "leaky_relu"):  # The others take no version-1 field.
    assert loaded.activation_function() is models.ACTIVATIONS[activation]


ARGUMENTS = {
  "elu alpha 0.5": ("elu", {}, (("alpha", 0.5),), {"alpha": 0.5}),
  "squareplus b 2": ("squareplus", {}, (("b", 2.0),), {"b": 2.0}),
  "gelu exact": ("gelu", {}, (("approximate", False),), {"approximate": False}),
  "relu6 derivative_at_six 1": (
    "relu6",
    {},
    (("derivative_at_six", 1.0),),
    {"derivative_at_six": 1.0},
  ),
  "selu derivative_at_zero at its lowest": (
    "selu",
    {},
    (("derivative_at_zero", SELU_SCALE),),
    {"derivative_at_zero": SELU_SCALE},
  ),
  "leaky_relu negative_slope 0.2": (
    "leaky_relu",
    {"negative_slope": 0.2},
    (),
    {"negative_slope": 0.2, "derivative_at_zero": 1.0},
  ),
  "elu two arguments": (
    "elu",
    {},
    (("derivative_at_zero", 0.75), ("alpha", 0.5)),  # Stored sorted.
    {"alpha": 0.5, "derivative_at_zero": 0.75},
  ),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(
  ("activation", "fields", "arguments", "keywords"), ARGUMENTS.values(), ids=ARGUMENTS.keys()
)
def test_stored_arguments_round_trip_and_are_bound_to_the_activation(
  tmp_path, activation, fields, arguments, keywords, dtype
):
  weights, X = round_trip_inputs(activation, dtype)
  model = models.Model(weights, activation, arguments=arguments, **fields)
  loaded = assert_round_trip(tmp_path, model, X)
  assert loaded.arguments == tuple(sorted(arguments))
  assert all(type(value) in (float, bool) for _, value in loaded.arguments)
  assert bound(loaded) == (getattr(jacts, activation), keywords)
  stored = json.loads(np.load(tmp_path / "model.npz")["arguments"][()])
  assert stored == dict(arguments)


def test_an_argument_changes_the_values_it_should(tmp_path):
  weights, X = round_trip_inputs("elu", np.float32)
  half = models.load(saved(tmp_path, models.Model(weights, "elu", arguments=(("alpha", 0.5),))))
  A_half, _ = evaluated(half, X)
  A_one, _ = evaluated(models.Model(weights, "elu"), X)
  expected, _ = shallow.forward(weights, X, activation=functools.partial(jacts.elu, alpha=0.5))
  np.testing.assert_array_equal(A_half, expected)
  assert not np.array_equal(A_half, A_one)


def test_arguments_may_be_a_mapping_and_numbers_of_any_kind(tmp_path):
  model = models.Model(
    params(), "elu", arguments={"alpha": np.float32(0.5), "derivative_at_zero": 1}
  )
  loaded = models.load(saved(tmp_path, model))
  assert loaded.arguments == (("alpha", 0.5), ("derivative_at_zero", 1.0))
  assert [type(value) for _, value in loaded.arguments] == [float, float]


def test_elus_derivative_at_zero_may_be_stored_as_null(tmp_path):
  model = models.Model(params(), "elu", arguments=(("derivative_at_zero", None),))
  path = saved(tmp_path, model)
  assert np.load(path)["arguments"][()] == '{"derivative_at_zero": null}'
  assert models.load(path).arguments == (("derivative_at_zero", None),)


def version_1_contents(model: models.Model) -> dict[str, np.ndarray]:
  """What version 1 of save wrote for ``model``: no `arguments`."""
  contents = stored_contents(model)
  del contents["arguments"]
  return {**contents, "format_version": np.array(1)}


@pytest.mark.parametrize(
  "model",
  [
    valid_model(),
    valid_model(activation="leaky_relu", negative_slope=0.25, derivative_at_zero=0.5),
    valid_model(activation="tanh", negative_slope=-3.5, derivative_at_zero=-7.0),
    models.Model(params(), "sigmoid"),
    models.Model(params(), "elu"),
  ],
  ids=["relu", "leaky_relu", "tanh", "sigmoid", "elu"],
)
def test_a_version_1_file_still_loads(tmp_path, model):
  path = tmp_path / "model.npz"
  np.savez(path, **version_1_contents(model))
  assert "arguments.npy" not in members_of(path)
  loaded = models.load(path)
  assert loaded[1:] == model[1:]
  for got, want in zip(loaded.params, model.params, strict=True):
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
  X = round_trip_inputs(model.activation, np.float32)[1]
  for got, want in zip(evaluated(loaded, X), evaluated(model, X), strict=True):
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    np.testing.assert_array_equal(got, want)


def test_a_version_1_file_with_a_changed_field_the_activation_does_not_take_is_refused(tmp_path):
  path = tmp_path / "model.npz"
  np.savez(path, **version_1_contents(valid_model(activation="selu")))
  with pytest.raises(
    models.ModelFileError,
    match=re.escape(
      f"{path}: `derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); give "
      "selu's `derivative_at_zero` in `arguments`; got 0.0."
    ),
  ):
    models.load(path)


def test_save_writes_format_version_2(tmp_path):
  with np.load(saved(tmp_path)) as archive:
    assert int(archive["format_version"]) == models.FORMAT_VERSION == 2
    assert archive["arguments"].dtype.kind == "U" and archive["arguments"].shape == ()
