"""Excerpts and highlighting of search hits."""
from core.search.snippets import excerpt, highlight


def test_the_excerpt_comes_from_the_first_text_with_a_match():
    assert str(excerpt(["没有关系的内容", "楼上卫生间漏水"], ["漏水"])) == "楼上卫生间<mark>漏水</mark>"


def test_without_a_match_the_excerpt_is_the_start_of_the_first_text_and_none_without_text():
    assert str(excerpt(["", "  ", "第一段\n 文字", "第二段"], ["漏水"])) == "第一段 文字"
    assert excerpt(["", " \n "], ["漏水"]) is None


def test_texts_after_the_first_match_are_not_read():
    read = []

    def texts():
        for text in ("卫生间漏水", "运单 SF123"):
            read.append(text)
            yield text

    excerpt(texts(), ["漏水"])
    assert read == ["卫生间漏水"]


def test_a_long_text_is_cut_around_its_match_and_escaped():
    text = "前" * 200 + "<b>漏水</b>" + "后" * 200
    piece = str(excerpt([text], ["漏水"], width=40))
    assert piece.startswith("…") and piece.endswith("…") and "&lt;b&gt;<mark>漏水</mark>&lt;/b&gt;" in piece
    assert str(highlight("Router 坏了", ["router"])) == "<mark>Router</mark> 坏了"


def test_latin_words_match_whole_and_chinese_beside_them_ends_a_word():
    assert str(highlight("WiFi密码", ["fi"])) == "WiFi密码"
    assert str(highlight("8号台 18号台", ["8号台"])) == "<mark>8号台</mark> 18<mark>号台</mark>"
