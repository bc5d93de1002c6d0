"""Cleaning: credits with their captions, bylines, boilerplate, date lines, datelines; screening."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tacitus.model import Article, Status
from tacitus.stages.clean import clean_article, is_credit, screen

LEAD = "Kenya and Somalia agreed on Monday to reopen their shared border after twelve years of closure."
MORE = "The interior ministers met in Nairobi and signed a plan to open three crossings next month."


def cleaned(text: str, **kw) -> Article:
    return clean_article(Article(id="t", text=text, **kw))


@pytest.mark.parametrize("credit", ["Jane Doe | Reuters", "John Smith/AFP", "Costa Papadakis Reuters",
                                    "Photo: AFP", "Amina Yusuf/Getty Images"])
def test_clean_credit_line_dropped_with_caption_above(credit):
    caption = "Soldiers stand guard at the border crossing near Mandera on Monday."
    art = cleaned(f"{LEAD}\n\n{caption}\n{credit}\n\n{MORE}")
    assert art.text == f"{LEAD}\n\n{MORE}"
    assert credit in art.removed and caption in art.removed
    assert art.captions == [caption]


def test_clean_credit_drops_caption_across_blank_line():
    caption = "Traders wait at the closed crossing."
    art = cleaned(f"{LEAD}\n\n{caption}\n\nJane Doe | Reuters\n\n{MORE}")
    assert art.text == f"{LEAD}\n\n{MORE}"
    assert art.captions == [caption]


def test_clean_sentence_naming_agency_is_not_a_credit():
    line = "Officials told Reuters on Monday that talks had stalled."
    assert not is_credit(line)
    art = cleaned(f"{LEAD}\n\n{line}\n\n{MORE}")
    assert line in art.text
    assert LEAD in art.text and art.removed == []


@pytest.mark.parametrize("byline", ["By Jane Doe and John Roe", "By Jane Doe", "By Jane Doe, John Roe and Ali Khan",
                                    "Reporting by Jane Doe; Editing by John Roe"])
def test_clean_byline_dropped(byline):
    art = cleaned(f"{byline}\n\n{LEAD}\n\n{MORE}")
    assert art.text == f"{LEAD}\n\n{MORE}"
    assert art.removed == [byline]


@pytest.mark.parametrize("line", ["Advertisement", "ADVERTISEMENT", "Read more: Why the border closed in 2011",
                                  "Read more » Somalia's long war", "Subscribe to our newsletter"])
def test_clean_boilerplate_dropped(line):
    art = cleaned(f"{LEAD}\n{line}\n{MORE}")
    assert line not in art.text
    assert art.text == f"{LEAD} {MORE}"
    assert art.removed == [line]


def test_clean_leading_date_line_sets_published_and_is_removed():
    art = cleaned(f"March 3, 2023\n\n{LEAD}")
    assert art.published == date(2023, 3, 3)
    assert art.text == LEAD
    assert art.removed == ["March 3, 2023"]


@pytest.mark.parametrize("line, expected", [("Published: 14 March 2023", date(2023, 3, 14)),
                                            ("Updated on Tuesday, March 14, 2023 10:05 GMT", date(2023, 3, 14)),
                                            ("2023-03-14", date(2023, 3, 14))])
def test_clean_leading_date_line_forms(line, expected):
    art = cleaned(f"{line}\n{LEAD}")
    assert art.published == expected
    assert art.text == LEAD


def test_clean_leading_date_line_does_not_override_given_published():
    art = cleaned(f"March 3, 2023\n\n{LEAD}", published=date(2023, 3, 4))
    assert art.published == date(2023, 3, 4)
    assert art.text == LEAD


def test_clean_date_line_inside_story_is_kept():
    art = cleaned(f"{LEAD}\n\nMarch 3, 2023\n\n{MORE}")
    assert "March 3, 2023" in art.text
    assert art.published is None


def test_clean_impossible_date_line_does_not_raise():
    art = cleaned(f"Published: 31 February 2023\n{LEAD}")
    assert art.published is None
    assert art.text == LEAD


@pytest.mark.parametrize("text, place, first", [
    ("NAIROBI – Kenya and Somalia agreed on Monday to reopen the border.", "NAIROBI",
     "Kenya and Somalia agreed on Monday to reopen the border."),
    ("ZVECAN, Kosovo – About 30 NATO peacekeepers were injured on Monday.", "ZVECAN, Kosovo",
     "About 30 NATO peacekeepers were injured on Monday."),
    ("BAMAKO (Reuters) - Mali ordered the French ambassador to leave.", "BAMAKO",
     "Mali ordered the French ambassador to leave."),
    ("ADDIS ABABA — A convoy of trucks reached Mekelle on Wednesday.", "ADDIS ABABA",
     "A convoy of trucks reached Mekelle on Wednesday."),
])
def test_clean_dateline_lifted_from_first_sentence(text, place, first):
    art = cleaned(f"{text}\n\n{MORE}")
    assert art.dateline == place
    assert art.text == f"{first}\n\n{MORE}"


@pytest.mark.parametrize("text", [
    "US Secretary of State Antony Blinken said on Monday that talks would resume.",
    "US Secretary of State Antony Blinken - speaking in Nairobi - said talks would resume.",
    "UN - the world body - said aid would resume.",
    "NATO – the Western military alliance – said on Monday it would send more troops to Kosovo.",
])
def test_clean_not_a_dateline(text):
    art = cleaned(text)
    assert art.dateline is None
    assert art.text == text


def test_clean_dateline_only_in_first_paragraph():
    second = "NAIROBI – The ministers met again on Tuesday."
    art = cleaned(f"{LEAD}\n\n{second}")
    assert art.dateline is None
    assert art.text == f"{LEAD}\n\n{second}"


def test_clean_paragraphs_joined_by_blank_lines():
    art = cleaned(f"  {LEAD}\r\nIt was the first such step.\r\n\r\n\r\n\n{MORE}  \n\n")
    assert art.text == f"{LEAD} It was the first such step.\n\n{MORE}"


def test_clean_keeps_raw_untouched():
    raw = f"By Jane Doe\n{LEAD}"
    art = Article(id="t", text=raw, raw=raw)
    clean_article(art)
    assert art.raw == raw and art.text == LEAD


def test_clean_screen_empty_text_skipped():
    for text in ("", "   ", "12 34", "— —"):
        art = screen(Article(id="t", text=text))
        assert art.status is Status.SKIPPED
        assert art.reason.startswith("empty")


def test_clean_screen_french_skipped():
    text = ("Le gouvernement français a annoncé lundi une nouvelle réforme des retraites, provoquant la colère "
            "des syndicats qui appellent à la grève dans tout le pays dès la semaine prochaine.")
    art = screen(Article(id="t", text=text))
    assert art.status is Status.SKIPPED
    assert art.reason == "not English (detected: fr)"
    assert art.language == "fr"


def test_clean_screen_english_article_pending():
    art = screen(Article(id="t", text=f"{LEAD}\n\n{MORE}"))
    assert art.status is Status.PENDING
    assert art.language == "en" and art.reason is None


@pytest.mark.parametrize("headline", ["Kenya reopens border with Somalia", "Iran fires missiles at Israel",
                                      "Mali orders French envoy out", "Russia expels Polish diplomats",
                                      "Germany sends tanks to Ukraine"])
def test_clean_screen_short_english_headline_pending(headline):
    art = screen(Article(id="t", text=headline))
    assert art.status is Status.PENDING, art.reason
    assert art.language == "en"


lines = st.sampled_from([
    "", " ", "Jane Doe | Reuters", "By Jane Doe and John Roe", "Advertisement", "Read more: the story",
    "March 3, 2023", "Published: 31 February 2023", "NAIROBI – Kenya said.", "BAMAKO (Reuters) - Mali said",
    "ZVECAN, Kosovo – Troops", "Photo: AFP", "A caption here.", "\r", "\t", LEAD,
])
texts = st.one_of(st.text(), st.lists(st.one_of(lines, st.text(max_size=30)), max_size=12).map("\n".join))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_clean_article_never_raises_never_grows(text):
    art = cleaned(text)
    assert isinstance(art.text, str)
    assert len(art.text) <= len(text)
    assert art.published is None or isinstance(art.published, date)


def test_clean_a_name_heavy_english_headline_is_english():
    from tacitus.stages.clean import detect_language

    text = "Kenyan President William Ruto meets Ghana's President Nana Akufo-Addo at Jubilee House in Accra on 4 May."
    assert detect_language(text, text.lower().split()) == "en"
