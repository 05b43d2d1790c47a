import os

import jax
import pytest

# The command line's compilation cache stays off in tests (in-process and in the subprocesses,
# which inherit the environment) except where a test turns it on in a folder of its own.
os.environ["JACTS_NO_CACHE"] = "1"

# The only conftest.py under tests/, for the fixtures of every folder: without __init__.py files,
# a conftest.py in a subfolder would be imported as the module `conftest` too, and
# --doctest-modules, which collects each, fails on the second ("import file mismatch").

# A script run in its own process (it sets XLA_FLAGS and x64 for that process): never import it
# here, not even to look for doctests.
collect_ignore = ["support/parallel_checks.py"]

# The command's assertion helpers (tests/support/cli_helpers.py) stand for its tests' own asserts:
# pytest rewrites them as it does a test module's, so that a failure shows the values compared.
pytest.register_assert_rewrite("cli_helpers")


@pytest.fixture
def x64():
  """Runs one test with 64-bit types enabled, as float64 references need."""
  with jax.enable_x64(True):
    yield


@pytest.fixture
def optax_promotion():
  """Standard dtype promotion for one test: optax's adam raises its int32 step count to float
  powers, which the strict promotion of the test configuration refuses (optax, not jacts)."""
  with jax.numpy_dtype_promotion("standard"):
    yield


@pytest.fixture
def keep_x64():
  """Restores JAX's 64-bit flag after a test that runs `jacts train` in-process."""
  before = jax.config.jax_enable_x64
  yield
  jax.config.update("jax_enable_x64", before)


@pytest.fixture(scope="session")
def compilations():
  """A counter of XLA backend compilations, to prove that a call did not recompile."""
  events = []

  def listener(name, *args, **kwargs):
    del args, kwargs
    if name == "/jax/core/compile/backend_compile_duration":
      events.append(name)

  jax.monitoring.register_event_duration_secs_listener(listener)
  return events
