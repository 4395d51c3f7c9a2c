"""Titles that read like titles: of projects, books, events, courses, headlines.

:class:`Titles` is a :class:`~.formats.Formats` over curated English adjectives, nouns and places
(``Silent Harbor``, ``The Golden Orchard``, ``Secrets of the Distant River``, ``The Lighthouse of
Lisbon``), a few hundred million distinct titles, so UNIQUE titles need no number up to far past
a million rows::

    >>> Titles(2, 6)
    title(2, 6)
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator, call_repr
from .formats import Formats

__all__ = ["Titles"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


_ADJECTIVES = _words(
    "Silent, Hidden, Golden, Broken, Distant, Endless, Forgotten, Burning, Frozen, Quiet, Wild, Silver, Crimson, "
    "Last, First, Lost, Northern, Southern, Eastern, Western, Ancient, Electric, Velvet, Hollow, Bright, Dark, "
    "Falling, Rising, Midnight, Morning, Summer, Winter, Autumn, Little, Great, Lonely, Restless, Gentle, Sacred, "
    "Crooked, Painted, Paper, Glass, Iron, Blue, Red, Green, Black, White, Scarlet, Wandering, Sleeping, Dancing, "
    "Singing, Shining, Fading, Open, Final, Perfect, Strange, Curious, Brave, Bitter, Sweet, Hungry, Invisible, "
    "Infinite, Radiant, Shattered, Stolen, Borrowed, Tender, Fierce, Deep, High, Long, Empty, Wicked, Lucky, "
    "Secondhand, Homemade, Modern, Urban, Coastal, Rural, Digital, Secret, Sunlit, Moonlit, "
    "Starlit, Weathered, Faraway, Untold, Unfinished, Unspoken, Everlasting, Wooden, Copper, Emerald, Ivory")
_NOUNS = _words(
    "Harbor, River, Garden, Mountain, Forest, Ocean, Island, Bridge, Road, Window, Door, Mirror, Letter, Promise, "
    "Shadow, Light, Fire, Storm, Rain, Sky, Star, Moon, Sun, Heart, Dream, Memory, Journey, Kingdom, Empire, City, "
    "Village, House, Tower, Castle, Lighthouse, Orchard, Meadow, Valley, Desert, Season, Song, Dance, Voice, "
    "Silence, Echo, Horizon, Frontier, Compass, Map, Lantern, Crown, Sword, Shield, Key, Clock, Hour, Night, Day, "
    "Dawn, Dusk, Tide, Wave, Wind, Feather, Wolf, Fox, Raven, Sparrow, Lion, Tiger, Bear, Deer, Whale, Tree, Rose, "
    "Lily, Seed, Root, Branch, Leaf, Stone, Salt, Sand, Snow, Ice, Thunder, Harvest, Festival, Carnival, Circus, "
    "Theater, Museum, Library, Station, Train, Ship, Voyage, Expedition, Mission, Project, Plan, Code, Signal, "
    "Network, Machine, Engine, Kitchen, Table, Painter, Poet, Stranger, Traveler, Sailor, Pilot, Teacher, Thief, "
    "King, Queen, Prince, Knight, Giant, Ghost, Angel, Wizard, Dragon, Legend, Story, Tale, Chronicle, Diary, "
    "Album, Portrait, Canvas, Ribbon, Thread, Circle, Edge, Border, Coast, Shore, Cliff, Hill, Field, Path, Trail, "
    "Gate, Wall, Room, Hall, Cabin, Secrets, Lessons, Letters, Notes, Songs, Stories")
_PLACES = _words(
    "Avalon, Babylon, Atlantis, Paris, Venice, Vienna, Lisbon, Kyoto, Cairo, Havana, Istanbul, Prague, Marrakesh, "
    "Zanzibar, Brooklyn, Manhattan, Tokyo, London, Berlin, Rome, Athens, Dublin, Edinburgh, Oslo, Stockholm, "
    "Copenhagen, Helsinki, Reykjavik, Montreal, Quebec, Chicago, Memphis, Nashville, Santa Fe, Tangier, Samarkand, "
    "Timbuktu, Patagonia, Siberia, Tuscany, Provence, Andalusia, Bavaria, Normandy, Cornwall, Yorkshire, Galway, "
    "Kerala, Bengal, Kashmir, Sahara, Arcadia, Eden, Xanadu, Camelot, Alexandria, Granada, Seville, Florence")
_TEMPLATES = (
    ("{title_adjectives} {title_nouns}", 4),
    ("The {title_adjectives} {title_nouns}", 3),
    ("{title_nouns} and {title_nouns}", 2),
    ("The {title_nouns} of {title_places}", 2),
    ("{title_nouns} of the {title_adjectives} {title_nouns}", 2),
    ("{title_adjectives} {title_nouns} in {title_places}", 1),
    ("Beyond the {title_adjectives} {title_nouns}", 1),
    ("{title_adjectives} {title_nouns} of the {title_adjectives} {title_nouns}", 1),
)
_FORMATS = Formats(_TEMPLATES, "title", vocabulary={
    "title_adjectives": _ADJECTIVES, "title_nouns": tuple(n for n in _NOUNS if n not in _ADJECTIVES),
    "title_places": _PLACES})


class Titles(Generator):
    """Title-cased phrases (headlines, subjects, project and book names); ``lo``/``hi`` are kept for the
    recipe's sake, the templates decide the length (two to seven words)."""

    def __init__(self, lo: int = 2, hi: int = 6) -> None:
        self.lo, self.hi = lo, hi
        self._repr = call_repr("title", lo, hi)

    def capacity(self, ctx: GenContext) -> int:
        """Distinct titles before a number is appended."""
        return _FORMATS.capacity(ctx)

    def domain(self, ctx: GenContext) -> int | None:
        return _FORMATS.domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return _FORMATS.at(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return _FORMATS.generate(ctx, rows)
