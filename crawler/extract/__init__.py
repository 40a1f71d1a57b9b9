"""Page extraction: pure functions from fetched bytes to the dataclasses of `model`.

Public entry points (the spider calls exactly these):

- `encoding.decode_html(body, header_charset=None) -> (text, encoding)`
- `dates.parse_date_text(s, ref)`, `dates.date_from_url(url)`,
  `dates.find_publication_date(doc, url, ref)`
- `lists.extract_listing(doc, url, ref)`, `lists.parse_datastore_xml(text, url, ref)`
- `page.extract_page(body, url, *, ref, content_type=None, header_charset=None,
  is_start_page=False)`
- `attachments.extract_attachment_text(body, ext, *, max_chars, max_unzipped_bytes)`,
  `attachments.attachment_ext(url, text="")`
"""
from .attachments import (
    ATTACHMENT_EXTS, AttachmentError, attachment_ext, extract_attachment_text,
)
from .dates import date_from_url, find_publication_date, parse_date_text
from .encoding import decode_html
from .lists import extract_listing, parse_datastore_xml
from .page import extract_page

__all__ = [
    "ATTACHMENT_EXTS", "AttachmentError", "attachment_ext", "date_from_url", "decode_html",
    "extract_attachment_text", "extract_listing", "extract_page", "find_publication_date",
    "parse_date_text", "parse_datastore_xml",
]
