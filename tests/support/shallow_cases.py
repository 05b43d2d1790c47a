"""The course's planar flower and small random networks on it: what the tests of jacts.shallow
(tests/networks/test_shallow.py, test_shallow_training.py) train."""

import jax

import jacts.shallow as shallow
from jacts.datasets import planar_flower

X, Y = planar_flower()


def random_params(n_h=4, scale=0.5, seed=0):
  return shallow.init_params(jax.random.key(seed), 2, n_h, 1, scale=scale)
