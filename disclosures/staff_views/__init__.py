"""The staff workspace for OIT disclosures: the years, a year's completeness
board, an item's page with its documents and links, publishing, copying a
year forward and the link sheet for ITAS.

Every member of the organisation may look; only editors and administrators
change anything (anyone else's POST is a 404, as in the measures workspace).
Everything is fetched within the user's organisation.
"""

from .items import add_link, entry, entry_delete, entry_move, item, publish, upload
from .links import links, links_mine
from .years import copy_forward, start_provisional, year, years

__all__ = [
    "add_link",
    "copy_forward",
    "entry",
    "entry_delete",
    "entry_move",
    "item",
    "links",
    "links_mine",
    "publish",
    "start_provisional",
    "upload",
    "year",
    "years",
]
