"""HTML pages: the main text and metadata of a news page through trafilatura."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Status
from .base import article_from_text, parse_date, stable_id


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None
    date: str | None
    url: str | None


def extract_html(html: str, *, url: str | None = None) -> Extracted | None:
    """Main text and metadata of a news page through trafilatura; None when there is no article."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")      # signals do not work off the main thread
    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=False,
                                      include_images=False, favor_precision=True, with_metadata=True,
                                      config=config,
                                      # the page's own date, never a year guessed from the text or footer
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None
    text = (doc.text or "").strip()
    if len(text.split()) < 25:     # index pages and teasers: no article to code
        return None
    return Extracted(text=text, title=doc.title, date=doc.date, url=doc.url or url)


def article_from_html(html: str, *, id: str | None = None, published=None, url: str | None = None,
                      source: str | None = None) -> Article:
    extracted = extract_html(html, url=url)
    if extracted is None:
        art = Article.unread(stable_id(html, id), "no article in page", Status.SKIPPED)
        art.raw, art.url, art.source, art.published = html, url, source, parse_date(published)
        return art
    art = article_from_text(extracted.text, id=id, published=published or extracted.date,
                            title=extracted.title, url=url or extracted.url, source=source)
    art.raw = html
    return art
