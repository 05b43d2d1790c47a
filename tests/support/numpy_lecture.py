"""The course's training loop in NumPy, as written there: examples as columns, a Python loop.

The reference the tests hold jacts.shallow to, and the baseline the benchmarks measure it
against.
"""

import numpy as np


def train(X, Y, W1, W2, *, steps, learning_rate=1.2, log_every=1000, dtype=np.float64):
  """Gradient descent on the one-hidden-layer tanh network, the course's equations verbatim.

  X (m, n_x) and Y (m, 1) are examples as rows (jacts' layout) and are transposed here to the
  course's columns. Returns ((W1, b1, W2, b2), costs) with biases as 1-D arrays.
  """
  X, Y = np.asarray(X, dtype).T, np.asarray(Y, dtype).T
  W1, W2 = np.asarray(W1, dtype), np.asarray(W2, dtype)
  b1 = np.zeros((W1.shape[0], 1), dtype)
  b2 = np.zeros((W2.shape[0], 1), dtype)
  m = X.shape[1]
  costs = []
  for i in range(steps):
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = 1 / (1 + np.exp(-Z2))
    if i % log_every == 0:
      logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
      costs.append(float(-np.sum(logprobs) / m))
    dZ2 = A2 - Y
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    W1 = W1 - learning_rate * dW1
    b1 = b1 - learning_rate * db1
    W2 = W2 - learning_rate * dW2
    b2 = b2 - learning_rate * db2
  return (W1, b1.ravel(), W2, b2.ravel()), np.array(costs)
