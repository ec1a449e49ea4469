"""The sentence-embedding signal (the `embeddings` extra): names embedded once and kept in the
database, meaning found where words are not shared, scores still probabilities."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sentence_transformers", reason="the embeddings extra is not installed")

from jobforge.classify import Corpus, Name, Origin, System, TitleClassifier, TitleClassifiers, read_corpus
from jobforge.classify.classifier import description_of
from jobforge.classify.embeddings import Encoder, model_key
from jobforge.classify.rules import ACCEPT_WITH_EMBEDDINGS
from jobforge.classify.tables import TitleVector
from jobforge.classify.text import normalize
from jobforge.classify.vector_store import name_vectors
from jobforge.knowledge_base import KnowledgeBase
from tests.classify.test_classifier import every_seventh_alternate_title


class Counting:
    """The real encoder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return Encoder.encode(texts)


def top_codes(kb: KnowledgeBase, title: str, system: str = "onet", k: int = 5) -> list[str]:
    return [candidate.code for candidate in kb.classify([title], system, k)[0].candidates]


def test_vectors_are_stored_once_per_model_and_read_back_on_every_backend(kb):
    texts = {"registered nurse", "truck driver", "barista"}
    first = Counting()
    stored = name_vectors(kb.engine, texts, "model-a==1", first)
    assert sorted(first.texts) == sorted(texts)
    again = Counting()
    read = name_vectors(kb.engine, texts | {"data scientist"}, "model-a==1", again)
    assert again.texts == ["data scientist"]  # only the new name
    for text in texts:
        assert read[text].dtype == np.float32 and np.allclose(read[text], stored[text], atol=2e-3)
        assert abs(float(np.linalg.norm(read[text])) - 1) < 1e-2
    other = Counting()
    name_vectors(kb.engine, texts, "model-b==1", other)
    assert sorted(other.texts) == sorted(texts)  # another model embeds anew


def test_bfloat16_products_give_the_vectors_float32_gives(monkeypatch):
    """Emulated where the CPU lacks it (slower, but the same answer), so this runs everywhere."""
    texts = ["registered nurse", "heavy and tractor trailer truck drivers", "barista", "chief executive officer"]
    Encoder.encode(texts[:1])  # loaded first: loading sets the flag from the hardware
    monkeypatch.setattr(Encoder, "_bfloat16", False)
    exact = Encoder.encode(texts)
    monkeypatch.setattr(Encoder, "_bfloat16", True)
    fast = Encoder.encode(texts)

    assert fast.dtype == np.float32 and np.allclose(np.linalg.norm(fast, axis=1), 1, atol=1e-5)
    assert (np.sum(exact * fast, axis=1) > 0.999).all()
    assert not np.array_equal(exact, fast)  # the products did run in bfloat16


def test_meaning_ranks_an_occupation_whose_names_share_no_word_with_the_title():
    corpus = Corpus(
        System.onet,
        {
            "35-3023.01": "Baristas",
            "53-3032.00": "Heavy and Tractor-Trailer Truck Drivers",
            "29-1141.00": "Registered Nurses",
        },
        [
            Name("Baristas", "35-3023.01", Origin.title),
            Name("Espresso Bar Attendant", "35-3023.01", Origin.alternate),
            Name("Heavy and Tractor-Trailer Truck Drivers", "53-3032.00", Origin.title),
            Name("Long Haul Driver", "53-3032.00", Origin.alternate),
            Name("Registered Nurses", "29-1141.00", Origin.title),
            Name("Staff Nurse", "29-1141.00", Origin.alternate),
        ],
    )

    def embed(texts: set[str]) -> dict[str, np.ndarray]:
        ordered = sorted(texts)
        return dict(zip(ordered, Encoder.encode(ordered)))

    words, fused = TitleClassifier(corpus), TitleClassifier(corpus, embed=embed)
    assert fused.semantic is not None and words.semantic is None
    for title, code in (
        ("cappuccino maker", "35-3023.01"),
        ("lorry hauler", "53-3032.00"),
        ("hospital RN", "29-1141.00"),
    ):
        assert fused.classify([title], k=3)[0].candidates[0].code == code
    coffee_words = words.classify(["cappuccino maker"], k=3)[0].candidates
    coffee_fused = fused.classify(["cappuccino maker"], k=3)[0].candidates
    assert coffee_fused[0].score > coffee_words[0].score or coffee_words[0].code != "35-3023.01"


def test_the_names_of_a_load_are_embedded_once_and_a_new_process_embeds_only_its_titles(fused_kb, monkeypatch):
    from sqlalchemy import func, select

    with fused_kb.engine.connect() as connection:
        stored = connection.scalar(
            select(func.count()).select_from(TitleVector).where(TitleVector.model == model_key())
        )
        corpora = [read_corpus(connection, system) for system in System]
    names = {normalize(name.text) for corpus in corpora for name in corpus.names}
    descriptions = {description_of(corpus, code) for corpus in corpora for code in corpus.codes}
    assert stored == len(names | descriptions)

    asked: list[str] = []
    real = Encoder.encode.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Encoder, "encode", classmethod(lambda cls, texts: asked.extend(texts) or real(cls, texts)))
    fresh = TitleClassifiers(fused_kb.engine, folder=None, embeddings=True)  # another process: nothing kept
    fused = fresh(["Registered Nurse"], "onet", 3)
    assert asked == ["registered nurse"]
    assert fused == fused_kb.classify(["Registered Nurse"], "onet", 3)  # vectors as stored: the same scores


def test_an_index_kept_on_disk_with_embeddings_is_not_the_one_without(fused_kb):
    folder = fused_kb.index_folder()
    assert folder is not None and any(folder.glob("onet-*-e*.index.pickle"))
    expected = fused_kb.classify(["Registred Nurse"], "onet", 3)
    kept = TitleClassifiers(fused_kb.engine, folder, embeddings=True)
    assert kept.get(System.onet).semantic is not None
    assert kept(["Registred Nurse"], "onet", 3) == expected  # read back, not rebuilt: the same scores
    assert TitleClassifiers(fused_kb.engine, None, embeddings=False).get(System.onet).semantic is None


def test_warming_loads_the_encoder_so_that_the_first_title_does_not_wait_for_it(fused_kb, monkeypatch):
    monkeypatch.setattr(Encoder, "_model", None)  # a new process: indexes kept on disk, no encoder yet
    TitleClassifiers(fused_kb.engine, fused_kb.index_folder(), embeddings=True).warm()
    assert Encoder._model is not None


def test_switching_embeddings_off_keeps_the_index_with_them_on_disk(fused_kb):
    folder = fused_kb.index_folder()
    assert folder is not None
    fused_kb.classify.get(System.onet)
    # run-started-CODE-eMODEL: the code's 12-character hash may itself start with an e
    with_embeddings = sorted(folder.glob("onet-*-????????????-e*.pickle"))
    assert len(with_embeddings) == 2  # the index and its explanations

    TitleClassifiers(fused_kb.engine, folder, embeddings=False).get(System.onet)  # built and kept beside
    assert sorted(folder.glob("onet-*-????????????-e*.pickle")) == with_embeddings
    assert len(list(folder.glob("onet-*.pickle"))) == 4


def test_fused_titles_still_find_their_occupation_in_both_systems_and_languages(fused_kb):
    assert top_codes(fused_kb, "Registered Nurse")[0] == "29-1141.00"
    assert top_codes(fused_kb, "RN - ICU nights")[0].startswith("29-1141")
    # the word model reads the typo corrected, the sentence model as typed: the best stay the same
    assert top_codes(fused_kb, "Registred Nurse")[:3] == top_codes(fused_kb, "Registered Nurse")[:3]
    assert top_codes(fused_kb, "civil engineer", "noc")[0] == "21300"
    assert top_codes(fused_kb, "Infirmière autorisée", "noc")[0] == "31301"


def test_fused_scores_are_probabilities_in_rank_order_and_the_decision_follows_its_rule(fused_kb):
    titles = ["Registered Nurse", "Data Wrangler", "Chief Nursing Officer", "statistician", "Lab Tech"]
    for system in ("onet", "noc"):
        rule = ACCEPT_WITH_EMBEDDINGS[System(system)]
        for result in fused_kb.classify(titles, system, k=10):
            scores = [c.score for c in result.candidates]
            assert len(scores) == 10 and scores == sorted(scores, reverse=True)
            assert scores[-1] >= 0 and scores[0] <= 1
            accepted = scores[0] >= rule.score and scores[0] - scores[1] >= rule.margin
            assert result.needs_review is not accepted


def test_fused_held_out_sample_titles_do_at_least_as_well_as_words_alone(fused_kb):
    """Every 7th distinct alternate title of the sample held out, as the word model's guard does."""
    with fused_kb.engine.connect() as connection:
        corpus = read_corpus(connection, System.onet)
    held_out = every_seventh_alternate_title(corpus)
    index = corpus.without(set(held_out))
    embed = fused_kb.classify._embed

    def shortlisted(classifier: TitleClassifier) -> float:
        results = classifier.classify(list(held_out), k=5)
        return sum(any(c.code in held_out[r.title] for c in r.candidates) for r in results) / len(results)

    assert shortlisted(TitleClassifier(index, embed=embed)) >= shortlisted(TitleClassifier(index)) + 0.01
