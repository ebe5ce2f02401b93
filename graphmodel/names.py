"""Name normalisation shared by the loader, the front-door search and record linkage."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

__all__ = ["NICKNAMES", "canonical_given", "family_key", "name_key", "person_name", "phonetic", "postcode_display",
           "postcode_key"]

# nickname or short form -> canonical given name (lower case)
NICKNAMES: dict[str, str] = {
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
    "bill": "william", "billy": "william", "will": "william", "liam": "william", "willy": "william",
    "jim": "james", "jimmy": "james", "jamie": "james", "jimmie": "james",
    "mike": "michael", "mick": "michael", "micky": "michael", "mikey": "michael",
    "dave": "david", "davey": "david", "davy": "david",
    "steve": "stephen", "stevie": "stephen", "steven": "stephen",
    "tom": "thomas", "tommy": "thomas",
    "chris": "christopher", "kit": "christopher",
    "dan": "daniel", "danny": "daniel",
    "joe": "joseph", "joey": "joseph",
    "jack": "john", "johnny": "john", "jon": "john",
    "tony": "anthony", "ant": "anthony",
    "andy": "andrew", "drew": "andrew",
    "matt": "matthew", "matty": "matthew",
    "alex": "alexander", "sandy": "alexander", "xander": "alexander",
    "sam": "samuel", "sammy": "samuel",
    "ben": "benjamin", "benny": "benjamin",
    "josh": "joshua",
    "harry": "henry", "hal": "henry", "hank": "henry",
    "charlie": "charles", "chas": "charles", "chuck": "charles",
    "ed": "edward", "eddie": "edward", "ted": "edward", "ned": "edward",
    "fred": "frederick", "freddie": "frederick", "freddy": "frederick",
    "nick": "nicholas", "nicky": "nicholas",
    "pete": "peter",
    "rick": "richard", "ricky": "richard", "dick": "richard", "rich": "richard",
    "ollie": "oliver", "olly": "oliver",
    "alfie": "alfred", "alf": "alfred",
    "archie": "archibald",
    "theo": "theodore",
    "lizzie": "elizabeth", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth",
    "kate": "katherine", "katie": "katherine", "kath": "katherine", "kathy": "katherine", "kat": "katherine",
    "catherine": "katherine",
    "maggie": "margaret", "meg": "margaret", "peggy": "margaret",
    "jenny": "jennifer", "jen": "jennifer",
    "becky": "rebecca", "becca": "rebecca",
    "vicky": "victoria", "tori": "victoria",
    "sue": "susan", "suzy": "susan",
    "mandy": "amanda",
    "abby": "abigail", "abbie": "abigail",
    "ellie": "eleanor", "nell": "eleanor", "nora": "eleanor",
    "millie": "amelia", "milly": "amelia",
    "izzy": "isabella", "bella": "isabella",
    "sophie": "sophia",
    "debbie": "deborah", "deb": "deborah",
    "pat": "patricia", "trish": "patricia",
    "jess": "jessica", "jessie": "jessica",
    "lou": "louise", "lulu": "louise",
    "mo": "maureen",
    "sarah": "sara",
    "nat": "natalie",
    "tash": "natasha", "tasha": "natasha",
    "gemma": "jemma",
    "chloe": "chloe",
    "evie": "eve",
    "rosie": "rose",
}

_NON_ALPHA = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE_SPACE = re.compile(r"\s+")


def name_key(text: str | None) -> str:
    """Lower-case ASCII letters and single spaces: 'O'Brien-Smith ' -> 'obrien smith'."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("-", " ")
    return _SPACES.sub(" ", _NON_ALPHA.sub("", ascii_text)).strip()


def canonical_given(text: str | None) -> str:
    """The canonical form of a given name's first word, mapping nicknames ('Bob' -> 'robert')."""
    key = name_key(text).split(" ")[0] if text else ""
    return NICKNAMES.get(key, key)


def family_key(text: str | None) -> str:
    """A family name without spaces or punctuation ('O'Brien' -> 'obrien')."""
    return name_key(text).replace(" ", "")


def phonetic(text: str | None) -> str:
    """A phonetic key (Metaphone) of a family name, tolerant of common misspellings."""
    key = family_key(text)
    return jellyfish.metaphone(key) if key else ""


def postcode_display(key: str | None) -> str | None:
    """A postcode key shown the usual way ('CB12AB' -> 'CB1 2AB')."""
    if not key:
        return None
    return f"{key[:-3]} {key[-3:]}" if len(key) > 4 else key


def postcode_key(text: str | None) -> str:
    """An upper-case postcode without spaces ('cb1 2ab' -> 'CB12AB')."""
    return _POSTCODE_SPACE.sub("", text or "").upper()


def person_name(given: str | None, family: str | None) -> str:
    """A person's name to show; a record loaded without names (a data-quality note) says so."""
    return " ".join(part for part in (given, family) if part) or "(name not recorded)"
