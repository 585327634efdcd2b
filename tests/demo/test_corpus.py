"""Tests for the deterministic customer-service text generator (core.demo.corpus)."""

import re

import pytest

from core.demo.corpus import CATEGORIES, INDUSTRIES, Corpus, TicketText

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
MOBILE = re.compile(r"1[3-9]\d{9}")
SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")
SLOT_LEFTOVER = re.compile(r"[{}]")


@pytest.fixture(scope="module")
def sample() -> list[TicketText]:
    corpus = Corpus(20240601)
    return [corpus.ticket_text() for _ in range(5000)]


def draw_everything(seed: int) -> list[object]:
    corpus = Corpus(seed)
    out: list[object] = []
    for i in range(50):
        name = corpus.person_name()
        out += [name, corpus.phone(), corpus.email(name), corpus.email(), corpus.company(),
                corpus.address(), corpus.ticket_text(), corpus.note_text(),
                corpus.reply_text("complaint"), corpus.comment_for_rating(1 + i % 5)]
    return out


def test_same_seed_gives_same_sequence():
    assert draw_everything(7) == draw_everything(7)


def test_different_seeds_give_different_sequences():
    assert draw_everything(7) != draw_everything(8)


def test_label_constants():
    assert set(CATEGORIES) == {"inquiry", "query", "complaint", "repair", "suggestion",
                               "service_request", "urgent"}
    assert set(INDUSTRIES) == {"generic", "property", "utility", "catering", "logistics"}
    for labels in (*CATEGORIES.values(), *INDUSTRIES.values()):
        assert HAN.search(labels["zh"]) and labels["en"].isascii() and labels["en"]
    assert CATEGORIES["complaint"]["zh"] == "投诉"


@pytest.mark.parametrize("industry", list(INDUSTRIES))
@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_category_and_industry_yields_text(category, industry):
    corpus = Corpus(1)
    for _ in range(40):
        text = corpus.ticket_text(category, industry)
        assert (text.category, text.industry) == (category, industry)
        assert 6 <= len(text.title) <= 25, text.title
        assert text.body.strip()
        assert not SLOT_LEFTOVER.search(text.title + text.body)


def test_random_draws_cover_all_categories_and_industries(sample):
    assert {t.category for t in sample} == set(CATEGORIES)
    assert {t.industry for t in sample} == set(INDUSTRIES)


def test_chinese_in_at_least_80_percent_of_bodies(sample):
    share = sum(1 for t in sample if HAN.search(t.body)) / len(sample)
    assert share >= 0.8


def test_some_texts_mix_in_english(sample):
    share = sum(1 for t in sample if LATIN_WORD.search(t.title + t.body)) / len(sample)
    assert 0.05 <= share <= 0.3
    assert any(not HAN.search(t.title + t.body) for t in sample), "no English-speaking customer"


def test_titles_within_length_bounds(sample):
    assert all(6 <= len(t.title) <= 25 for t in sample)


def test_bodies_have_one_to_four_sentences(sample):
    counts = [len(SENTENCE_END.findall(t.body)) for t in sample]
    assert min(counts) >= 1 and max(counts) <= 4


def test_no_unfilled_template_slots(sample):
    corpus = Corpus(3)
    staff_text = [corpus.reply_text(c, i) for c in CATEGORIES for i in (None, *INDUSTRIES)]
    staff_text += [corpus.note_text(i) for i in (None, *INDUSTRIES) for _ in range(20)]
    staff_text += [corpus.comment_for_rating(s) for s in range(1, 6) for _ in range(20)]
    for text in [t.title + t.body for t in sample] + staff_text:
        assert not SLOT_LEFTOVER.search(text), text


def test_phone_numbers_valid():
    corpus = Corpus(11)
    phones = [corpus.phone() for _ in range(1000)]
    assert all(MOBILE.fullmatch(p) for p in phones)
    assert len(set(phones)) > 990


def test_names_unique_enough():
    corpus = Corpus(5)
    names = [corpus.person_name() for _ in range(1000)]
    assert len(set(names)) >= 150
    chinese = [n for n in names if HAN.search(n)]
    assert len(chinese) >= 900
    assert all(2 <= len(n) <= 4 for n in chinese)


def test_email_follows_name_hint():
    corpus = Corpus(2)
    pattern = re.compile(r"[a-z0-9._]+@[a-z.]*example\.(com|cn|net|org)")
    assert all(pattern.fullmatch(corpus.email()) for _ in range(200))
    assert all("wang" in corpus.email("王伟") for _ in range(20))
    assert all("ouyang" in corpus.email("欧阳娜") for _ in range(20))
    assert all("miller" in corpus.email("David Miller") for _ in range(20))
    assert corpus.email("某某某").startswith("user")


def test_company_and_address_look_real():
    corpus = Corpus(4)
    for _ in range(200):
        assert corpus.company().endswith(("公司", "医院", "学校", "小学", "中学", "学院", "图书馆",
                                          "办公室", "中心"))
        address = corpus.address()
        assert "市" in address and address.endswith("室") and "单元" in address


def test_reply_is_polite_and_fits_category():
    corpus = Corpus(6)
    for category in CATEGORIES:
        for industry in (None, *INDUSTRIES):
            reply = corpus.reply_text(category, industry)
            assert "您好" in reply[:12]
    assert any("投诉" in corpus.reply_text("complaint") or "歉意" in corpus.reply_text("complaint")
               for _ in range(20))


def test_comment_tracks_score():
    corpus = Corpus(8)
    praise = [corpus.comment_for_rating(5) for _ in range(50)]
    blame = [corpus.comment_for_rating(1) for _ in range(50)]
    assert any("满意" in c or "点赞" in c or "Excellent" in c for c in praise)
    assert any("不满意" in c or "没解决" in c or "disappointed" in c for c in blame)
    with pytest.raises(ValueError):
        corpus.comment_for_rating(0)


def test_unknown_keys_are_rejected():
    corpus = Corpus(1)
    with pytest.raises(ValueError):
        corpus.ticket_text(category="spam")
    with pytest.raises(ValueError):
        corpus.ticket_text(industry="mining")
    with pytest.raises(ValueError):
        corpus.reply_text("spam")
    with pytest.raises(ValueError):
        corpus.note_text("mining")
