"""Each activation, its custom-VJP gradient and naive autodiff's gradient, side by side.

Run: python examples/compare_gradients.py
"""

import jax
import jax.numpy as jnp

import jacts

Z = [-3e38, -1e4, -100.0, -10.0, -1.0, 0.0, 1.0, 10.0, 100.0, 1e4, 3e38]
PAIRS = [
  ("sigmoid", jacts.sigmoid, jacts.naive.sigmoid),
  ("tanh", jacts.tanh, jacts.naive.tanh),
  ("relu", jacts.relu, jacts.naive.relu),
  ("leaky_relu", jacts.leaky_relu, jacts.naive.leaky_relu),
]


def main() -> None:
  z = jnp.array(Z, jnp.float32)
  print("float32; g' is jax.grad of each form. NaN marks where naive autodiff breaks.\n")
  for name, activation, naive in PAIRS:
    values = activation(z)
    custom = jax.vmap(jax.grad(activation))(z)
    autodiff = jax.vmap(jax.grad(naive))(z)
    print(f"{name}")
    print(f"  {'z':>10} {'g(z)':>12} {'jacts g_prime':>14} {'naive g_prime':>14}")
    for row in zip(Z, values.tolist(), custom.tolist(), autodiff.tolist(), strict=True):
      zi, g, gc, gn = row
      flag = "  <- naive is NaN" if gn != gn else ""
      print(f"  {zi:>10.3g} {g:>12.5g} {gc:>14.6g} {gn:>14.6g}{flag}")
    print()
  print("At z = 0: jacts takes the lecture's ReLU'(0) = 1 (derivative_at_zero=0.0 gives 0);")
  print("autodiff of max(0, z) splits the tie and gives 0.5, neither convention.")


if __name__ == "__main__":
  main()
