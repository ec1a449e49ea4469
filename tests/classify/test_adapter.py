"""The embedding map learned from the index's own names: it draws an occupation's names together,
is the same map every time for the same names, and is what the index scores titles through."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("torch", reason="the embeddings extra is not installed")

from jobforge.classify import Name, Origin, System
from jobforge.classify.adapter import BATCH, EmbeddingMap, fitted_map
from jobforge.classify.classifier import _fitted_adapter
from jobforge.classify.text import normalize


def same(first: EmbeddingMap, second: EmbeddingMap) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(dataclasses.astuple(first), dataclasses.astuple(second)))


def clusters(seed: int = 0, occupations: int = 40, per: int = 60, dimensions: int = 384):
    """Names of each occupation around a centre, swamped by variation along a few directions
    every occupation shares (as "senior", "assistant" or a sector word move any title): raw
    nearest neighbours mostly cross occupations; a linear map can flatten those directions."""
    random = np.random.default_rng(seed)
    centres = random.normal(size=(occupations, dimensions))
    shared = random.normal(size=(8, dimensions))
    shared /= np.linalg.norm(shared, axis=1, keepdims=True)
    owners = np.repeat(np.arange(occupations), per)
    vectors = (
        centres[owners]
        + random.normal(size=(len(owners), 8)) * 30 @ shared
        + random.normal(size=(len(owners), dimensions)) * 0.3
    )
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32), owners


def nearest_neighbour_accuracy(vectors: np.ndarray, owners: np.ndarray) -> float:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    return float(np.mean(owners[np.argmax(similarity, axis=1)] == owners))


def test_the_map_draws_names_of_one_occupation_together():
    vectors, owners = clusters(per=120)
    train = np.arange(len(owners)) % 5 != 0  # the map never sees every fifth name
    learned = fitted_map(vectors[train], owners[train])
    held, held_owners = vectors[~train], owners[~train]

    before = nearest_neighbour_accuracy(held, held_owners)
    after = nearest_neighbour_accuracy(learned.mapped(held), held_owners)
    assert before < 0.2 and after > 0.9, (before, after)


def test_the_map_draws_together_names_no_linear_map_can():
    """Each occupation's names lie on both sides of the origin (±its centre): a linear map sends
    −x to −(its image of x), so the two halves stay opposite however it is fitted; the hidden
    layer is what can bring them together."""
    random = np.random.default_rng(4)
    occupations, per, dimensions = 16, 256, 384  # enough batches for the hidden layer to learn
    centres = random.normal(size=(occupations, dimensions))
    owners = np.repeat(np.arange(occupations), per)
    signs = np.where(np.arange(len(owners)) % 2 == 0, 1.0, -1.0)[:, None]
    vectors = centres[owners] * signs + random.normal(size=(len(owners), dimensions)) * 0.3
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    result = fitted_map(vectors, owners).mapped(vectors)
    similarity = result @ result.T
    one_occupation, halves = owners[:, None] == owners[None, :], signs * signs.T
    assert (vectors @ vectors.T)[one_occupation & (halves < 0)].mean() < -0.8
    assert similarity[one_occupation & (halves < 0)].mean() > similarity[~one_occupation].mean() + 0.3


def test_the_map_is_the_same_for_the_same_names_and_seed():
    vectors, owners = clusters(seed=1)
    assert same(fitted_map(vectors, owners), fitted_map(vectors, owners))
    assert not same(fitted_map(vectors, owners, seed=0), fitted_map(vectors, owners, seed=1))


def test_too_few_names_to_learn_from_leave_the_vectors_as_they_are():
    vectors, owners = clusters(occupations=4, per=BATCH // 4 - 1)
    unchanged = fitted_map(vectors, owners)
    assert same(unchanged, EmbeddingMap.identity(vectors.shape[1]))
    assert np.allclose(unchanged.mapped(vectors), vectors, atol=1e-6)


def test_mapped_rows_are_unit_length():
    vectors, owners = clusters(seed=2)
    result = fitted_map(vectors, owners).mapped(vectors)
    assert np.allclose(np.linalg.norm(result, axis=1), 1, atol=1e-5)


def test_the_index_scores_titles_through_its_map(fused_kb):
    from jobforge.classify.embeddings import Encoder

    classifier = fused_kb.classify.get(System.onet)
    assert classifier.adapter.linear.shape == (384, 384)
    title = "espresso bar attendant"
    embedded = Encoder.encode([normalize(title)])  # the sentence model reads the words as typed
    closest, _ = classifier.semantic.similarity(classifier.adapter.mapped(embedded))
    signals = classifier.signals([title], [classifier.normalized(title)])
    assert np.allclose(signals.closest, closest, atol=1e-5)
    raw, _ = classifier.semantic.similarity(embedded)
    assert not np.allclose(signals.closest, raw, atol=1e-3)


def test_the_index_learns_the_same_map_whatever_order_the_database_returns_its_names_in():
    """Two API workers on one PostgreSQL read the names in whatever order it returns them."""
    vectors, owners = clusters(seed=3, occupations=20, per=20)
    codes = [f"11-{owner:04d}.00" for owner in owners]
    names = [Name(f"name{i}", code, Origin.alternate) for i, code in enumerate(codes)]
    names.append(Name("borrowed name", codes[0], Origin.borrowed))
    texts = {f"name{i}": vector for i, vector in enumerate(vectors)} | {"borrowed name": vectors[-1]}
    position = {code: i for i, code in enumerate(sorted(set(codes)))}
    shuffled = names[::-1]
    first = _fitted_adapter(names, position, texts)
    assert same(first, _fitted_adapter(shuffled, position, texts))
    assert not same(first, EmbeddingMap.identity(384))
