"""Saved models: a shallow network's parameters and configuration in one ``.npz`` file.

Format version 2: a zip archive of exactly these ``<field>.npy`` members, stored or deflated as
:func:`numpy.savez` writes them (no pickles), each checked on saving and on loading:

=========================  =====================================================================
``format``                 0-d unicode string "jacts.shallow"
``format_version``         0-d integer 2 (1: the same fields but ``arguments``; still read)
``W1``, ``b1``             shapes (n_h, n_x), (n_h,)
``W2``, ``b2``             shapes (n_y, n_h), (n_y,); the four share one dtype (float16, float32
                           or float64; bfloat16 has no ``.npy`` form) and hold finite values only
``activation``             0-d unicode string, a name in :data:`ACTIVATIONS` (every elementwise
                           rule's: softmax, log_softmax and glu cannot be a hidden activation)
``negative_slope``         0-d float, finite: leaky_relu's slope. Stored, unused, for relu,
                           sigmoid and tanh; for the other activations it must keep its default
                           0.01 (give theirs in ``arguments``)
``derivative_at_zero``     0-d float, finite: g'(0) of relu, in [0, 1], and of leaky_relu,
                           between the slope and 1 (the sub-differential at 0). Stored, unused,
                           for sigmoid and tanh; for the other activations it must keep its
                           default 1.0 (selu's and elu's go in ``arguments``)
``arguments``              0-d unicode string: a JSON object of the activation's other keyword
                           arguments, name -> finite number, true/false or null, e.g.
                           ``{"alpha": 0.5}`` or ``{"approximate": false}``; each one the
                           activation takes (never its input), checked as the activation checks it.
                           ``{}`` for the lecture's four, whose arguments are the two fields above
``n_x``, ``n_h``, ``n_y``  0-d integers, at least 1, equal to the weights' shapes
=========================  =====================================================================

Both :func:`save` and :func:`load` run ``_checked``, so ``save`` refuses (``ValueError`` or
``TypeError`` naming the field, before writing anything) every model ``load`` refuses. ``load``
reads each member's header before its data, refusing one that declares other than the bytes held;
every problem is a one-line :class:`ModelFileError` naming the file and the field. A float64
model needs JAX's 64-bit mode (``load`` refuses it rather than round it to float32). ``save``
writes version 2; ``load`` reads versions 1 and 2.

Files are written atomically: to ``.<name>.<pid>.<random>.tmp`` in the same folder, flushed, then
renamed over the target; a new file gets the mode the umask gives, an overwritten one keeps its
own. The next save to a target removes temporary files left by killed saves whose PID is dead.
"""

from jacts.models._arguments import Argument
from jacts.models._files import (
  ACTIVATIONS,
  FORMAT,
  FORMAT_VERSION,
  READ_VERSIONS,
  Model,
  ModelFileError,
  load,
  save,
)

# Printed, documented and pickled as jacts.models.<name>, where users import them from.
for _name in ("Model", "ModelFileError", "load", "save"):
  globals()[_name].__module__ = __name__
del _name

__all__ = (
  "ACTIVATIONS",
  "FORMAT",
  "FORMAT_VERSION",
  "READ_VERSIONS",
  "Argument",
  "Model",
  "ModelFileError",
  "load",
  "save",
)
