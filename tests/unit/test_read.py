"""Reading articles from text, HTML, JSONL, stdin and WARC: good inputs, bad files, hostile records."""
from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.model import Status
from tacitus.readers import base
from tacitus.readers import (
    InputError, article_from_html, article_from_text, decode, iter_jsonl, parse_date, read_path,
    stable_id,
)
from tacitus.readers.base import MAX_BYTES

STORY = (
    "Kenya and Somalia agreed on Monday to reopen their shared border after twelve years of closure, "
    "officials in both capitals said. The interior ministers met in Nairobi and signed a plan that lets "
    "traders and families cross at three points from next month. Security officers will screen travellers "
    "at each crossing, and the two governments will review the arrangement after six months, the ministers "
    "told reporters after the meeting."
)
SECOND = ("The border was closed in 2011 after a wave of cross-border attacks and kidnappings blamed on "
          "armed groups operating from Somalia.")


def page(body: str = STORY, *, published: str | None = "2023-03-14T08:00:00Z",
         title: str = "Kenya and Somalia agree to reopen border") -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
            f'<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
            f"<main><article><h1>{title}</h1><p>{body}</p><p>{SECOND}</p></article></main>"
            f"<footer>Copyright 2023 The Example Times</footer></body></html>")


def one_line(err: pytest.ExceptionInfo) -> str:
    message = str(err.value)
    assert message and "\n" not in message
    return message


# --- plain text ------------------------------------------------------------------------------------------

def test_read_stable_id_is_content_hash_and_repeatable():
    a, b = article_from_text(STORY), article_from_text(STORY)
    assert a.id == b.id
    assert re.fullmatch(r"[0-9a-f]{16}", a.id)
    assert article_from_text(STORY + " More.").id != a.id
    assert stable_id(STORY, "given-id") == "given-id"


def test_read_text_file_id_is_file_stem_and_text_kept(tmp_path):
    path = tmp_path / "kenya_border.txt"
    path.write_text(STORY + "\n", encoding="utf-8")
    [art] = list(read_path(path))
    assert art.id == "kenya_border"
    assert art.text == STORY + "\n"
    assert art.raw == art.text
    assert art.status is Status.PENDING
    assert art.published is None


def test_read_published_date_is_parsed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STORY, encoding="utf-8")
    [art] = list(read_path(path, published="2023-03-14"))
    assert art.published == date(2023, 3, 14)
    [art] = list(read_path(path, published=date(2022, 1, 2)))
    assert art.published == date(2022, 1, 2)
    assert article_from_text(STORY, published="2023-03-14T10:30:00Z").published == date(2023, 3, 14)


def test_read_bad_published_date_raises_input_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STORY, encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_path(path, published="not a date at all"))
    assert "date" in one_line(err)


def test_read_parse_date_forms():
    assert parse_date(None) is None
    assert parse_date("") is None
    assert parse_date("2023-03-14") == date(2023, 3, 14)
    assert parse_date(" 2023-03-14 ") == date(2023, 3, 14)
    assert parse_date("March 14, 2023") == date(2023, 3, 14)
    with pytest.raises(InputError):
        parse_date("2023-02-30")


def test_read_stdin_reads_bytes_and_hashes_id():
    [art] = list(read_path("-", stdin=io.BytesIO(STORY.encode("utf-8")), published="2023-03-14"))
    assert art.text == STORY
    assert art.id == stable_id(STORY)
    assert art.published == date(2023, 3, 14)


def test_read_stdin_over_max_bytes_is_refused(monkeypatch):
    monkeypatch.setattr(base, "MAX_BYTES", 100)
    with pytest.raises(InputError) as err:
        list(read_path("-", stdin=io.BytesIO(b"x" * 101)))
    assert "larger than" in one_line(err)


def test_read_missing_file_raises_input_error(tmp_path):
    with pytest.raises(InputError) as err:
        list(read_path(tmp_path / "nope.txt"))
    assert "no such file" in one_line(err)


def test_read_missing_jsonl_and_warc_raise_input_error(tmp_path):
    for name in ("nope.jsonl", "nope.warc.gz", "nope.html"):
        with pytest.raises(InputError) as err:
            list(read_path(tmp_path / name))
        assert "no such file" in one_line(err)


def test_read_directory_raises_input_error(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        list(read_path(folder))
    assert "directory" in one_line(err)


def test_read_directory_named_like_warc_raises_input_error(tmp_path):
    folder = tmp_path / "crawl.warc.gz"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        list(read_path(folder))
    one_line(err)


def test_read_binary_file_raises_input_error(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError) as err:
        list(read_path(path))
    assert "binary" in one_line(err)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n", b"\xef\xbb\xbf"])
def test_read_empty_file_raises_input_error(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        list(read_path(path))
    assert "empty" in one_line(err)


def test_read_utf8_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode("utf-8"))
    [art] = list(read_path(path))
    assert art.text == STORY


def test_read_a_few_invalid_utf8_bytes_are_replaced(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(STORY.encode("utf-8") + " The caf\xe9 on the Rue de la Paix reopened.".encode("latin-1"))
    [art] = list(read_path(path))
    assert "\ufffd" in art.text
    assert art.text.startswith(STORY)


def test_read_mostly_invalid_utf8_raises_input_error(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"\xff\xfe\xc3" * 400)
    with pytest.raises(InputError) as err:
        list(read_path(path))
    assert "UTF-8" in one_line(err)


def test_read_20_mb_text_reads_whole(tmp_path):
    assert MAX_BYTES >= 20 * 1024 * 1024
    sentence = "The ministers met in Nairobi on Monday and agreed to reopen the border. \n"
    count = 20 * 1024 * 1024 // len(sentence) + 1
    path = tmp_path / "big.txt"
    path.write_text(sentence * count, encoding="utf-8")
    [art] = list(read_path(path))
    assert len(art.text) == len(sentence) * count
    assert art.status is Status.PENDING


def test_read_file_over_max_bytes_is_refused_clearly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:            # sparse: the size check must come before reading
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError) as err:
        list(read_path(path))
    message = one_line(err)
    assert "larger than" in message and str(MAX_BYTES // 2**20) in message


# --- HTML ------------------------------------------------------------------------------------------------

def test_read_html_file_extracts_article_title_and_date(tmp_path):
    path = tmp_path / "kenya.html"
    path.write_text(page(), encoding="utf-8")
    [art] = list(read_path(path))
    assert art.status is Status.PENDING
    assert art.id == "kenya"
    assert "Kenya and Somalia agreed on Monday" in art.text
    assert "Home" not in art.text.split() and "Copyright" not in art.text
    assert art.title == "Kenya and Somalia agree to reopen border"
    assert art.published == date(2023, 3, 14)
    assert art.raw.startswith("<!DOCTYPE html>")


def test_read_html_without_stated_date_does_not_guess_from_years_in_text(tmp_path):
    # No date metadata; the story mentions 2011 and the footer 2023. Neither is the publication date.
    path = tmp_path / "undated.html"
    path.write_text(page(published=None), encoding="utf-8")
    [art] = list(read_path(path))
    assert "Kenya and Somalia agreed on Monday" in art.text
    assert art.published is None


def test_read_html_stated_published_wins_over_page_date(tmp_path):
    path = tmp_path / "kenya.htm"
    path.write_text(page(), encoding="utf-8")
    [art] = list(read_path(path, published="2023-03-20"))
    assert art.published == date(2023, 3, 20)


def test_read_html_in_txt_file_is_detected(tmp_path):
    path = tmp_path / "saved_page.txt"
    path.write_text("\n  " + page(), encoding="utf-8")
    [art] = list(read_path(path))
    assert "<p>" not in art.text
    assert "Kenya and Somalia agreed on Monday" in art.text


def test_read_html_without_article_raises_input_error_for_a_file(tmp_path):
    index = Path(__file__).resolve().parents[2] / "examples" / "html" / "04_section_index.html"
    with pytest.raises(InputError) as err:
        list(read_path(index))
    assert "no article" in one_line(err)


def test_read_article_from_html_without_article_is_skipped():
    art = article_from_html("<html><body><nav><a href='/'>Home</a></nav><p>Short teaser.</p></body></html>")
    assert art.status is Status.SKIPPED
    assert art.reason == "no article in page"
    assert art.text == ""


# --- JSONL -----------------------------------------------------------------------------------------------

def test_read_jsonl_bad_lines_become_failed_articles_in_order(tmp_path):
    lines = [
        json.dumps({"id": "good-1", "text": STORY, "published": "2023-03-14", "title": "Border"}),
        '{"id": "broken", "text": "Kenya and Somalia',                     # malformed JSON
        "",                                                                  # blank: no article
        json.dumps({"id": "no-text", "title": "A headline only"}),         # lacks "text"
        json.dumps([{"id": "in-array", "text": STORY}]),                     # a JSON array, not an object
        "   ",
        json.dumps({"id": "good-2", "text": SECOND}),
        json.dumps({"id": "bad-date", "text": SECOND, "published": "the day after the war"}),
        json.dumps({"id": "text-not-string", "text": ["a", "list"]}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts = list(read_path(path, published="2022-01-01"))
    assert [a.id for a in arts] == ["good-1", "batch.jsonl:2", "no-text", "batch.jsonl:5", "good-2", "bad-date",
                                    "text-not-string"]
    status = {a.id: a for a in arts}
    assert status["good-1"].status is Status.PENDING and status["good-1"].text == STORY
    assert status["good-1"].published == date(2023, 3, 14) and status["good-1"].title == "Border"
    assert status["good-2"].status is Status.PENDING and status["good-2"].published == date(2022, 1, 1)
    for rid, word in (("batch.jsonl:2", "malformed JSON on line 2"), ("no-text", '"text"'),
                      ("batch.jsonl:5", "not a JSON object"), ("bad-date", "date"), ("text-not-string", '"text"')):
        assert status[rid].status is Status.FAILED, rid
        assert word in status[rid].reason, (rid, status[rid].reason)
        assert "\n" not in status[rid].reason


def test_read_jsonl_html_field_is_extracted():
    [art] = list(iter_jsonl([json.dumps({"id": "p1", "html": page(), "url": "https://news.example/kenya"})]))
    assert art.id == "p1"
    assert art.status is Status.PENDING
    assert "Kenya and Somalia agreed on Monday" in art.text
    assert art.url == "https://news.example/kenya"
    assert art.published == date(2023, 3, 14)


def test_read_jsonl_numeric_id_is_kept_as_string():
    [art] = list(iter_jsonl([json.dumps({"id": 7, "text": STORY})]))
    assert art.id == "7"


def test_read_jsonl_crlf_and_invalid_utf8_lines(tmp_path):
    path = tmp_path / "crlf.ndjson"
    path.write_bytes(json.dumps({"id": "a", "text": STORY}).encode() + b"\r\n"
                     + b'{"id": "b", "text": "caf\xe9 talks"}\r\n')
    arts = list(read_path(path))
    assert [a.id for a in arts] == ["a", "b"]
    assert arts[1].text == "caf\ufffd talks"


def test_read_jsonl_utf8_bom_does_not_fail_first_line(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "first", "text": STORY}).encode() + b"\n"
                     + json.dumps({"id": "second", "text": SECOND}).encode() + b"\n")
    arts = list(read_path(path))
    assert [(a.id, a.status) for a in arts] == [("first", Status.PENDING), ("second", Status.PENDING)]


def test_read_jsonl_deeply_nested_line_becomes_failed_not_exception():
    lines = [json.dumps({"id": "ok", "text": STORY}), "[" * 100_000, json.dumps({"id": "ok2", "text": SECOND})]
    arts = list(iter_jsonl(lines, name="deep.jsonl"))
    assert [a.id for a in arts] == ["ok", "deep.jsonl:2", "ok2"]
    assert arts[1].status is Status.FAILED


def test_read_jsonl_html_with_non_string_url_becomes_failed_not_exception():
    lines = [json.dumps({"id": "p1", "html": page(), "url": ["https://news.example/kenya"]}),
             json.dumps({"id": "p2", "text": STORY})]
    arts = list(iter_jsonl(lines))
    assert [a.id for a in arts] == ["p1", "p2"]
    assert arts[0].status in (Status.FAILED, Status.PENDING)
    assert arts[1].status is Status.PENDING


# --- WARC ------------------------------------------------------------------------------------------------

def write_warc(path: Path, *, gzip: bool = True, html: str | None = None) -> list[int]:
    """A request, an HTML response with a real article and a PNG response; returns member end offsets."""
    ends = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        request = StatusAndHeaders("GET /kenya HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://news.example/kenya", "request",
                                                      payload=io.BytesIO(b""), http_headers=request))
        ends.append(out.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://news.example/kenya", "response", payload=io.BytesIO((html or page()).encode("utf-8")),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2023-03-15T10:00:00Z",
                               "WARC-Record-ID": "<urn:uuid:0f6c1d2e-4a5b-4c6d-8e9f-0a1b2c3d4e5f>"}))
        ends.append(out.tell())
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://news.example/logo.png", "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256))), http_headers=image))
        ends.append(out.tell())
    return ends


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_read_warc_yields_one_article_from_html_response(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gzip=name.endswith(".gz"))
    arts = list(read_path(path))
    assert len(arts) == 1
    [art] = arts
    assert art.status is Status.PENDING, art.reason
    assert art.id == "0f6c1d2e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
    assert art.url == "https://news.example/kenya"
    assert "Kenya and Somalia agreed on Monday" in art.text
    assert len(art.text.split()) >= 60
    assert art.published == date(2023, 3, 14)          # the page's own date, not the crawl date


def test_read_warc_crawl_date_used_when_page_has_none(tmp_path):
    path = tmp_path / "undated.warc.gz"
    write_warc(path, html=page(published=None))
    [art] = list(read_path(path))
    assert art.status is Status.PENDING, art.reason
    assert art.published == date(2023, 3, 15)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_read_warc_truncated_gz_gives_failed_article(tmp_path, fraction):
    whole = tmp_path / "whole.warc.gz"
    ends = write_warc(whole)
    start, end = ends[0], ends[1]              # cut inside the gzip member of the HTML response
    cut = start + max(1, int((end - start) * fraction))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole.read_bytes()[:cut])
    arts = list(read_path(path))               # must not raise
    assert len(arts) == 1
    assert arts[0].status is Status.FAILED
    assert arts[0].reason


def test_read_warc_truncated_inside_record_header_does_not_raise(tmp_path):
    whole = tmp_path / "whole.warc"
    ends = write_warc(whole, gzip=False)
    data = whole.read_bytes()
    cut = data.index(b"WARC-Target-URI", ends[1]) + 5    # inside the PNG record's headers
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    arts = list(read_path(path))
    assert arts[0].status is Status.PENDING, arts[0].reason
    assert arts[-1].status is Status.FAILED


# --- untrusted input: properties --------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)
records = st.fixed_dictionaries({}, optional={"id": json_values, "text": json_values | st.text(),
                                              "published": json_values | st.sampled_from(["2023-03-14", "yesterday"]),
                                              "title": json_values, "url": json_values,
                                              "html": json_values | st.text()})
lines_strategy = st.lists(st.one_of(st.text(), records.map(json.dumps), json_values.map(json.dumps),
                                    st.binary().map(lambda b: b.replace(b"\n", b""))), max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
@example(['{"html": "<p>0</p>", "url": [null]}'])
def test_read_iter_jsonl_one_article_per_nonblank_line(lines):
    arts = list(iter_jsonl(lines, name="fuzz.jsonl"))
    def blank(line):
        return not (line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line).strip()
    assert len(arts) == sum(1 for line in lines if not blank(line))
    for art in arts:
        assert art.status in (Status.PENDING, Status.FAILED, Status.SKIPPED)     # SKIPPED: "html" with no article
        assert isinstance(art.id, str) and art.id
        if art.status is Status.FAILED:
            assert art.reason and "\n" not in art.reason


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=4096))
def test_read_decode_returns_str_or_input_error(data):
    try:
        text = decode(data, "fuzz")
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(text, str)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\d{1,5}[-/. ]\d{1,2}[-/. ]\d{1,5}", fullmatch=True),
                 st.text(alphabet="0123456789-:TZ +/.,MarchJunDecyesterdayago", max_size=30)))
def test_read_parse_date_returns_date_none_or_input_error(value):
    try:
        result = parse_date(value)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert result is None or isinstance(result, date)
