"""The paper's autoencoder in NumPy: dense, no biases, ReLU encoder and decoder, MSE loss, Adam.

h = relu(E x), y = relu(D h) with E (k x n) the encoder and D (n x k) the decoder; the loss of one
sample is l(x) = |y - x|^2 / n (mean squared error over pixels) and the training loss its mean.
``activation="linear"`` drops both ReLUs (the linear autoencoder of the closed-form checks and of the
bridge to the pairing rules). Backward passes are written out (:func:`per_sample_encoder_gradients`,
:func:`loss_and_gradients`) and checked against finite differences in the tests. Training is Adam
(Kingma and Ba; the paper's alpha = 0.001, betas 0.9 and 0.999) on shuffled mini-batches from a seeded
generator, so the same seed gives the same weights; a non-finite loss stops training with the step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("relu", "linear")


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite: the model is not pruned (its Fisher would mean nothing)."""


@dataclass(frozen=True)
class Autoencoder:
    encoder: np.ndarray  # (k, n)
    decoder: np.ndarray  # (n, k)
    activation: str = "relu"

    def _act(self, values):
        return np.maximum(values, 0.0) if self.activation == "relu" else values

    def forward(self, x: np.ndarray):
        """(pre-activations of h, h, pre-activations of y, y) for samples x (m, n)."""
        h_pre = x @ self.encoder.T
        h = self._act(h_pre)
        y_pre = h @ self.decoder.T
        return h_pre, h, y_pre, self._act(y_pre)

    def sample_losses(self, x: np.ndarray) -> np.ndarray:
        return np.mean((self.forward(x)[3] - x) ** 2, axis=1)

    def loss(self, x: np.ndarray) -> float:
        return float(np.mean(self.sample_losses(x)))

    def with_encoder(self, encoder: np.ndarray) -> Autoencoder:
        return Autoencoder(encoder, self.decoder, self.activation)


def check_shapes(n_inputs: int, latent: int) -> None:
    if latent >= n_inputs:
        raise ValueError(f"bayes_rg.latent: a latent width of {latent} is not a compression of {n_inputs} inputs "
                         "(it must be smaller)")
    if latent < 1:
        raise ValueError(f"bayes_rg.latent: expected a positive width, got {latent}")


def initial_autoencoder(n_inputs: int, latent: int, rng: np.random.Generator, activation: str = "relu") -> Autoencoder:
    """Glorot-uniform weights (the Keras default the paper's code would have used)."""
    check_shapes(n_inputs, latent)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {ACTIVATIONS}, got {activation!r}")
    limit = np.sqrt(6.0 / (n_inputs + latent))
    return Autoencoder(rng.uniform(-limit, limit, (latent, n_inputs)), rng.uniform(-limit, limit, (n_inputs, latent)),
                       activation)


def _backward(model: Autoencoder, x: np.ndarray):
    """Per-sample dl/d(h_pre) (m, k) and dl/d(y_pre) (m, n) of l = |y - x|^2 / n."""
    h_pre, h, y_pre, y = model.forward(x)
    d_y_pre = 2.0 * (y - x) / x.shape[1]
    if model.activation == "relu":
        d_y_pre = d_y_pre * (y_pre > 0)
    d_h_pre = d_y_pre @ model.decoder
    if model.activation == "relu":
        d_h_pre = d_h_pre * (h_pre > 0)
    return h, d_h_pre, d_y_pre


def loss_and_gradients(model: Autoencoder, x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(mean loss, dL/dE, dL/dD) over the samples x."""
    h, d_h_pre, d_y_pre = _backward(model, x)
    m = x.shape[0]
    return model.loss(x), d_h_pre.T @ x / m, d_y_pre.T @ h / m


def per_sample_encoder_gradients(model: Autoencoder, x: np.ndarray) -> np.ndarray:
    """dl_s/dE for every sample, flattened row-major: (m, k n)."""
    _, d_h_pre, _ = _backward(model, x)
    return (d_h_pre[:, :, None] * x[:, None, :]).reshape(x.shape[0], -1)


def train(x: np.ndarray, *, latent: int, epochs: int, batch_size: int, seed: int, learning_rate: float = 1e-3,
          activation: str = "relu") -> tuple[Autoencoder, np.ndarray]:
    """(trained model, training loss after every epoch). Adam with the paper's settings."""
    x = np.asarray(x, dtype=np.float64)
    rng = np.random.default_rng(seed)
    model = initial_autoencoder(x.shape[1], latent, rng, activation)
    params = [model.encoder.copy(), model.decoder.copy()]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-7
    step, history = 0, []
    for epoch in range(epochs):
        order = rng.permutation(x.shape[0])
        for start in range(0, x.shape[0], batch_size):
            batch = x[order[start:start + batch_size]]
            with np.errstate(over="ignore", invalid="ignore"):  # a non-finite loss is caught just below
                loss, grad_e, grad_d = loss_and_gradients(Autoencoder(params[0], params[1], activation), batch)
            step += 1
            if not np.isfinite(loss):
                raise TrainingDiverged(f"bayes_rg training: the loss is {loss} at step {step} (epoch {epoch + 1}); "
                                       "lower the learning rate or check the data for NaN or huge values")
            for p, g, m1, m2 in zip(params, (grad_e, grad_d), first, second):
                m1 *= beta1
                m1 += (1 - beta1) * g
                m2 *= beta2
                m2 += (1 - beta2) * g * g
                p -= learning_rate * (m1 / (1 - beta1 ** step)) / (np.sqrt(m2 / (1 - beta2 ** step)) + eps)
        history.append(Autoencoder(params[0], params[1], activation).loss(x))
        if not np.isfinite(history[-1]):
            raise TrainingDiverged(f"bayes_rg training: the loss is {history[-1]} after epoch {epoch + 1} (step {step})")
    return Autoencoder(params[0], params[1], activation), np.array(history)
