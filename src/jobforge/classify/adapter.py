"""A map of the sentence embeddings, learned at each index build from the index's own names.

all-MiniLM-L6-v2 was trained on general sentence pairs: it puts "Nurse Practitioner" near
"Nurse Anesthetist" because both are about nurses, while an occupation's names ("Barista",
"Coffee Bar Attendant") may sit apart. The index already holds tens of thousands of names grouped
by occupation, so a map is learned that draws names of one occupation together and pushes those
of others apart (in-batch contrastive loss, as sentence encoders are fine-tuned; the encoder
itself stays frozen). Titles and names are mapped alike before their similarity, and the map is
learned from whatever data is loaded, so no weights ship.

The map is a 384 × 384 linear map plus a small residual network beside it (one hidden layer of
768 rectified units, started at nothing, so training begins from the linear map's identity). The
linear part alone made the closest name right ~5 points more often on held-out titles (NOC
0.655 → 0.718, O*NET 0.443 → 0.482, seed 1); the hidden layer, which can bend the space where
one word changes the occupation ("nurse practitioner" against "nurse aide"), took that to 0.749
and 0.502 (bench/classify_eval.py; the figures in README, *With sentence embeddings*).

Borrowed names (the other system's, through the crosswalk) are mapped but not learned from: one
NOC unit group's names land in several O*NET-SOC occupations, which would pull those together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPOCHS = 6
BATCH = 256
HIDDEN = 768
SCALE = 20.0  # the contrastive loss's inverse temperature over cosine similarities
LEARNING_RATE = 1e-3


@dataclass(frozen=True, eq=False)
class EmbeddingMap:
    """x ↦ x·linear + relu(x·hidden + hidden_bias)·out + out_bias, back to unit length: plain
    numpy, so coding a title with a kept index needs torch only for the encoder."""

    linear: np.ndarray  # dimensions × dimensions
    hidden: np.ndarray  # dimensions × HIDDEN
    hidden_bias: np.ndarray
    out: np.ndarray  # HIDDEN × dimensions
    out_bias: np.ndarray

    @classmethod
    def identity(cls, dimensions: int) -> EmbeddingMap:
        zeros = np.zeros((dimensions, 1), np.float32)
        return cls(np.eye(dimensions, dtype=np.float32), zeros, np.zeros(1, np.float32), zeros.T, zeros[:, 0])

    def mapped(self, vectors: np.ndarray) -> np.ndarray:
        """Rows mapped and back to unit length (cosine similarity is then a dot product)."""
        hidden = vectors @ self.hidden
        hidden += self.hidden_bias
        np.maximum(hidden, 0, out=hidden)
        result = vectors @ self.linear + hidden @ self.out + self.out_bias
        return result / np.maximum(np.linalg.norm(result, axis=1, keepdims=True), 1e-12)


def fitted_map(vectors: np.ndarray, owners: np.ndarray, seed: int = 0) -> EmbeddingMap:
    """The map learned from unit-length `vectors` whose occupations are `owners`: each name is
    paired with another name of its occupation (itself when it is alone), every other pair of the
    batch whose occupations differ is a negative. Deterministic for a seed (every weight drawn from
    a seeded generator); 20–25 s for the 50,000 O*NET names on 2 cores."""
    import torch

    dimensions = vectors.shape[1]
    if len(vectors) < BATCH:
        return EmbeddingMap.identity(dimensions)
    order = np.argsort(owners, kind="stable")
    owners = owners[order]
    x = torch.from_numpy(np.ascontiguousarray(vectors[order], dtype=np.float32))
    owner_ids = torch.from_numpy(owners)
    starts = np.searchsorted(owners, owners, side="left")
    counts = np.searchsorted(owners, owners, side="right") - starts
    random = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    bound = dimensions**-0.5  # the usual initial scale of a layer's weights
    linear = torch.eye(dimensions).requires_grad_()
    hidden = ((torch.rand(dimensions, HIDDEN, generator=generator) * 2 - 1) * bound).requires_grad_()
    hidden_bias = ((torch.rand(HIDDEN, generator=generator) * 2 - 1) * bound).requires_grad_()
    out = torch.zeros(HIDDEN, dimensions, requires_grad=True)
    out_bias = torch.zeros(dimensions, requires_grad=True)
    parts = [linear, hidden, hidden_bias, out, out_bias]
    optimiser = torch.optim.Adam(parts, lr=LEARNING_RATE)

    def forward(rows: torch.Tensor) -> torch.Tensor:
        mapped = rows @ linear + torch.relu(rows @ hidden + hidden_bias) @ out + out_bias
        return torch.nn.functional.normalize(mapped, dim=1)

    same_row = torch.eye(BATCH, dtype=torch.bool)
    targets = torch.arange(BATCH)
    for _ in range(EPOCHS):
        shuffled = torch.randperm(len(x), generator=generator).numpy()
        for start in range(0, len(x) - BATCH + 1, BATCH):
            anchors = shuffled[start : start + BATCH]
            partners = starts[anchors] + (random.random(BATCH) * counts[anchors]).astype(np.int64)
            same_occupation = owner_ids[anchors][:, None] == owner_ids[anchors][None, :]
            logits = (SCALE * forward(x[anchors]) @ forward(x[partners]).T).masked_fill(
                same_occupation & ~same_row, -1e4
            )
            loss = torch.nn.functional.cross_entropy(logits, targets)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return EmbeddingMap(*(part.detach().numpy().copy() for part in parts))
