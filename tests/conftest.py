import jax
import pytest


@pytest.fixture
def x64():
  """Runs one test with 64-bit types enabled, as float64 references need."""
  with jax.enable_x64(True):
    yield
