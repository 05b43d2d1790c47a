"""What ``import jacts`` and the command line need before JAX is imported, so that neither waits
for it: the rule table's names in its order and the seeds NumPy's RandomState takes. The table
(:mod:`jacts._rules`) checks at import that its rules are exactly these names, so the two cannot
drift."""

ELEMENTWISE = (
  "sigmoid", "tanh", "relu", "leaky_relu", "relu6", "hard_sigmoid", "hard_silu", "hard_tanh",
  "sparse_sigmoid", "softplus", "log_sigmoid", "silu", "mish", "gelu", "soft_sign", "squareplus",
  "sparse_plus", "elu", "celu", "selu", "log1mexp", "identity",
)  # fmt: skip
"""The rules whose output entry depends on its input entry alone: the possible hidden
activations."""

NOT_ELEMENTWISE = ("glu", "softmax", "log_softmax")
"""The rules that mix the entries along an axis."""

RULE_NAMES = (*ELEMENTWISE, *NOT_ELEMENTWISE)
"""Every rule's name, in the table's order."""

RANDOMSTATE_SEEDS = range(2**32)
"""The seeds NumPy's RandomState (the lecture's initialization) takes; jax.random.key takes them
too."""
