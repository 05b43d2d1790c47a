import jax
import pytest

# A script run in its own process (it sets XLA_FLAGS and x64 for that process): never import it
# here, not even to look for doctests.
collect_ignore = ["parallel_checks.py"]


@pytest.fixture
def x64():
  """Runs one test with 64-bit types enabled, as float64 references need."""
  with jax.enable_x64(True):
    yield


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
