"""The data sets are generated locally, deterministically by seed, and planar_flower is the
course's own."""

import numpy as np
import pytest

from jacts import datasets


def course_load_planar_dataset():
  """The course's planar_utils.load_planar_dataset, verbatim (its legacy global generator too)."""
  np.random.seed(1)  # noqa: NPY002
  m = 400
  N = int(m / 2)
  D = 2
  X = np.zeros((m, D))
  Y = np.zeros((m, 1), dtype="uint8")
  a = 4
  for j in range(2):
    ix = range(N * j, N * (j + 1))
    t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2  # noqa: NPY002
    r = a * np.sin(4 * t) + np.random.randn(N) * 0.2  # noqa: NPY002
    X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    Y[ix] = j
  return X.T, Y.T


def test_planar_flower_is_the_courses_data_set_as_rows():
  X, Y = datasets.planar_flower()
  course_X, course_Y = course_load_planar_dataset()
  np.testing.assert_array_equal(X, course_X.T)
  np.testing.assert_array_equal(Y, course_Y.T)
  assert X.dtype == np.float64 and Y.dtype == np.float64


GENERATORS = [
  datasets.noisy_circles,
  datasets.noisy_moons,
  datasets.blobs,
  datasets.gaussian_quantiles,
]


@pytest.mark.parametrize("generate", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(generate):
  X, Y = generate(seed=4)
  again_X, again_Y = generate(seed=4)
  np.testing.assert_array_equal(X, again_X)
  np.testing.assert_array_equal(Y, again_Y)
  assert not np.array_equal(X, generate(seed=5)[0])


@pytest.mark.parametrize("generate", GENERATORS)
@pytest.mark.parametrize("m", [50, 201])
def test_shapes_and_binary_balanced_labels(generate, m):
  X, Y = generate(m=m)
  assert X.shape == (m, 2) and Y.shape == (m, 1)
  assert set(np.unique(Y)) == {0.0, 1.0}
  assert abs(Y.mean() - 0.5) < 0.1
  assert np.all(np.isfinite(X))


def test_circles_put_class_one_inside():
  X, Y = datasets.noisy_circles(noise=0.0)
  radius = np.linalg.norm(X, axis=1)
  np.testing.assert_allclose(radius[Y[:, 0] == 1], 0.5)
  np.testing.assert_allclose(radius[Y[:, 0] == 0], 1.0)


@pytest.mark.parametrize(
  ("make", "pattern"),
  [
    (lambda: datasets.gaussian_quantiles(variance=-1), r"`variance` must be a finite number > 0"),
    (lambda: datasets.gaussian_quantiles(variance=0.0), r"`variance` must be a finite number > 0"),
    (lambda: datasets.blobs(centers=0), r"`centers` must be an integer >= 1; got 0"),
    (lambda: datasets.blobs(spread=float("nan")), r"`spread` must be a finite number >= 0"),
    (lambda: datasets.noisy_circles(noise=-0.1), r"`noise` must be a finite number >= 0"),
    (lambda: datasets.noisy_circles(factor=float("inf")), r"`factor` must be a finite number"),
    (lambda: datasets.noisy_moons(m=0), r"`m` must be an integer >= 1; got 0"),
    (lambda: datasets.noisy_moons(m=10.0), r"`m` must be an integer >= 1; got 10.0"),
    (lambda: datasets.noisy_moons(seed=-3), r"`seed` must be an integer >= 0; got -3"),
    (lambda: datasets.planar_flower(seed=2**32), r"`seed` must be an integer in \[0, 4294967295\]"),
  ],
)
def test_arguments_that_would_give_nan_or_no_data_are_refused_by_name(make, pattern):
  with pytest.raises(ValueError, match=r"`jacts\.datasets\.\w+`: " + pattern):
    make()
