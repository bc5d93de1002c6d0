"""Clean: keep the story, drop what is not (navigation, bylines, photo captions and
their credit lines, "Read more" links), and lift the dateline out of the first sentence.

Every dropped line is kept in `Article.removed` so a user can audit the cleaning.
"""
from __future__ import annotations

import re

from ..merge import fingerprint
from ..model import Article, Status
from ..readers.base import InputError, parse_date

AGENCIES = (r"Reuters|AP|AFP|Associated Press|Agence France-Presse|Getty Images|Getty|EPA|EPA-EFE|EFE|dpa|"
            r"Bloomberg|Anadolu Agency|Anadolu|Xinhua|TASS|Sputnik|Photolure|Pool|Shutterstock|Yonhap|"
            r"Kyodo|ANSA|UPI|NurPhoto|SOPA Images|LightRocket|WireImage|Alamy|Sipa|Abaca|Handout")
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}"
CREDIT = re.compile(
    rf"^\s*(?:(?:[Pp]hoto|[Pp]icture|[Ii]mage|[Cc]redit)s?\s*(?:by)?\s*[:\-–]?\s*)?(?:{_NAME}\s*(?:[|/]|for|via)?\s*)?"
    rf"(?:{AGENCIES})(?:\s*(?:[|/,]|via)\s*(?:{AGENCIES}|{_NAME}))*\s*\.?\s*$")
BYLINE = re.compile(rf"^\s*(?:By|Written by|Reporting by|Story by)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
                    r"(?:\s*(?:,|in)\s*[A-Z][\w ]*)?\s*$")
BOILERPLATE = re.compile(
    r"^\s*(?:Advertisement|ADVERTISEMENT|Sponsored|Skip to (?:main )?content|Share(?: this(?: article)?)?|"
    r"Subscribe\b.*|Sign up\b.*|Read more\s*[:»].*|Related\s*:.*|See also\s*:.*|Most read\b.*|"
    r"Follow us\b.*|Click here\b.*|Watch\s*:.*|Listen to this article.*|\(?Reporting by .*|"
    r"Editing by .*|Copyright .*|©.*|All rights reserved.*)\s*$")
DATE_LINE = re.compile(
    r"^\s*(?:(?:Published|Updated|Posted)(?: on)?:?\s*)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[,\s]+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$")
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,30}?)?)\s*(?:\((?P<agency>[^)]{1,30})\))?\s*"
    r"(?:[–—-]{1,2}|:)\s+(?=\S)")
AGENCY_NAMES = {"reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
                "agence france-presse": "AFP", "agence france presse": "AFP", "xinhua": "Xinhua",
                "tass": "TASS", "dpa": "dpa", "efe": "EFE", "anadolu": "Anadolu", "anadolu agency": "Anadolu",
                "yonhap": "Yonhap", "kyodo": "Kyodo", "ansa": "ANSA", "upi": "UPI", "bloomberg": "Bloomberg",
                "sputnik": "Sputnik", "pti": "PTI", "ians": "IANS", "bernama": "Bernama", "pa": "PA"}
# "NAIROBI (Reuters) -" in the first lines: the wire agency that wrote the story.
_AGENCY_CREDIT = re.compile(r"\((" + "|".join(sorted(map(re.escape, AGENCY_NAMES), key=len, reverse=True))
                            + r")\)\s*[-–—:]", re.IGNORECASE)
STANDALONE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][a-z][\w.'’ -]{1,30}?)?),\s*"
    r"(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*"
    r"(?:\((?P<agency>[^)]{1,30})\))?\s*$")
CAPTION_MAX_WORDS = 45
NOT_PLACES = {"UN", "NATO", "EU", "AU", "IMF", "WHO", "OPEC", "ASEAN", "ICC", "IAEA", "UNICEF", "UNHCR", "ECOWAS",
              "OSCE", "WTO", "FIFA", "AP", "AFP", "BBC", "CNN"}


def clean(article: Article) -> Article:
    """The stage: clean the text, then skip (with a reason) what cannot be coded."""
    return screen(clean_article(article))


def is_credit(line: str) -> bool:
    return bool(CREDIT.match(line)) and len(line.split()) <= 10


def clean_article(article: Article) -> Article:
    """Rewrite `article.text` as clean paragraphs joined by blank lines; note the agency and fingerprint."""
    article.agency = credited_agency(article.text, article.source)
    lines = [ln.strip() for ln in article.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str | None] = []          # None marks a paragraph break
    stated_date: str | None = None
    for line in lines:
        if not line:
            kept.append(None)
            continue
        if is_credit(line):
            _drop_caption_before(kept, article)
            article.removed.append(line)
            continue
        if BYLINE.match(line) or BOILERPLATE.match(line):
            article.removed.append(line)
            continue
        if DATE_LINE.match(line) and _only_headline(kept):
            stated_date = stated_date or line
            article.removed.append(line)
            continue
        kept.append(line)
    first = next((i for i, line in enumerate(kept) if line is not None), None)
    split = first is not None and first + 1 < len(kept) and kept[first + 1] is not None and \
        _is_headline(kept[first]) and bool(_split_dateline(kept[first + 1])[1] or STANDALONE_DATELINE.match(kept[first + 1]))
    if split:
        kept.insert(first + 1, None)     # a headline line above the dateline is its own paragraph
    paragraphs = _paragraphs(kept)
    if len(paragraphs) > 2 and _is_headline(paragraphs[0]) and (m := STANDALONE_DATELINE.match(paragraphs[1])):
        # "KUALA LUMPUR, April 1, 1997 (AFP)" on a line of its own under the headline
        article.dateline = m.group("place").strip(" ,")
        if re.search(r"\d{4}", m.group("date")):     # a date without its year is never a publication date
            stated_date = stated_date or m.group("date")
        article.removed.append(paragraphs.pop(1))
        if article.title is None:
            article.title = paragraphs[0]
    if paragraphs and article.dateline is None:
        paragraphs[0], article.dateline = _split_dateline(paragraphs[0])
    if len(paragraphs) > 1 and article.dateline is None and _is_headline(paragraphs[0]):
        # "Kenya and Somalia agree to reopen border" above "NAIROBI - ...": a headline, then the dateline
        paragraphs[1], article.dateline = _split_dateline(paragraphs[1])
        if article.dateline is not None and article.title is None:
            article.title = paragraphs[0]
    if split and article.dateline is None:          # no dateline came of it after all: one paragraph again
        paragraphs[:2] = [" ".join(paragraphs[:2])]
    article.text = "\n\n".join(p for p in paragraphs if p)
    article.fingerprint = fingerprint(article.text)
    if article.published is None and stated_date:
        try:
            article.published = parse_date(re.sub(r"^(?:Published|Updated|Posted)(?: on)?:?\s*", "", stated_date))
        except InputError:
            pass
    return article


def credited_agency(raw: str | None, source: str | None = None) -> str | None:
    """The wire agency a story credits in its dateline, or the agency that is its feed."""
    if raw:
        m = _AGENCY_CREDIT.search(raw[:1500])
        if m:
            return AGENCY_NAMES[m.group(1).lower()]
    return AGENCY_NAMES.get((source or "").strip().lower())


def _drop_caption_before(kept: list[str | None], article: Article) -> None:
    # A photo caption is the short line just above its credit line (possibly across a blank line).
    i = len(kept) - 1
    while i >= 0 and kept[i] is None:
        i -= 1
    if i >= 0 and len(kept[i].split()) <= CAPTION_MAX_WORDS:
        article.removed.append(kept[i])
        article.captions.append(kept[i])
        del kept[i:]


def _paragraphs(kept: list[str | None]) -> list[str]:
    out, current = [], []
    for line in kept + [None]:
        if line is None:
            if current:
                out.append(" ".join(current))
            current = []
        else:
            current.append(line)
    return out


def _only_headline(kept: list[str | None]) -> bool:
    """Nothing kept yet but, at most, a headline line: a date line here is the story's own date."""
    lines = [k for k in kept if k]
    return not lines or (len(lines) == 1 and _is_headline(lines[0]))


def _is_headline(paragraph: str) -> bool:
    return len(paragraph.split()) <= 20 and not paragraph.rstrip().endswith((".", '"', "”"))


def _split_dateline(paragraph: str) -> tuple[str, str | None]:
    m = DATELINE.match(paragraph)
    if not m:
        return paragraph, None
    place = m.group("place").strip(" ,")
    letters = re.sub(r"[^A-Za-z]", "", place.split(",")[0])
    if not letters.isupper() or len(letters) < 3:      # "US Secretary - ..." is not a dateline
        return paragraph, None
    if place.split(",")[0].strip() in NOT_PLACES or re.match(r"[^–—-]{1,80}[–—-]", paragraph[m.end():]):
        return paragraph, None                          # "NATO – the alliance – said": an apposition
    return paragraph[m.end():], place


ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on was with as by at from has have had were are be been it its "
    "said will would not an this their his her they he she which who after over".split())


def screen(article: Article) -> Article:
    """Skip, with a reason, what cannot be coded: empty texts and texts not in English."""
    words = re.findall(r"[^\W\d_]+", article.text.lower())
    if len(words) < 3:
        article.status, article.reason = Status.SKIPPED, "empty: no text left after cleaning"
        return article
    language = detect_language(article.text, words)
    article.language = language
    if language != "en":
        article.status, article.reason = Status.SKIPPED, f"not English (detected: {language})"
    return article


def detect_language(text: str, words: list[str]) -> str:
    # English function words make a text English whatever py3langid would say, so they are counted
    # first: most news in an English corpus never needs the model (0.5 s to load in each worker).
    # Otherwise py3langid decides, overruled by English words on short, name-heavy sentences.
    if sum(w in ENGLISH_FUNCTION_WORDS for w in words) / len(words) >= 0.18:
        return "en"
    import py3langid

    language, _ = py3langid.classify(text[:4000])
    if language == "en":
        return "en"
    if len(words) < 15 and "en" in [lang for lang, _ in py3langid.rank(text)[:3]]:
        return "en"          # short headlines of names and verbs: too little text to overrule English
    # Names say nothing about the language ("Mike Pence meets Iceland's President Gudni Johannesson
    # at Hofdi House in Reykjavik"): judge the words written in lower case.
    common = re.findall(r"(?<![\w'’])[a-z]+\b", text[:4000])
    if len(common) >= 4 and sum(w in ENGLISH_FUNCTION_WORDS for w in common) / len(common) >= 0.3:
        return "en"
    return language
