"""The product's own knowledge of given names (front door and record linkage): nicknames and registered names.

Nicknames come from the maintained `nicknames` package (a hand-curated English list) plus a short UK list
below. Two names count as nicknames of each other only when one is listed as a nickname or canonical form
of the other, never because both shorten a third name (Jack and Jake both shorten Jacob; twins are named
Jack and Jake). The test generator keeps its own tables (seed/names_data.py); the two never share one.
"""

from __future__ import annotations

import functools

__all__ = ["REGISTERED_GIVEN", "UK_NICKNAMES", "nickname_related", "related_names"]

UK_NICKNAMES: dict[str, tuple[str, ...]] = {
    "william": ("liam", "will", "billy"), "alfred": ("alfie", "alf"), "oliver": ("ollie", "olly"),
    "archibald": ("archie",), "frederick": ("freddie", "freddy", "fred"), "theodore": ("theo", "teddy"),
    "edward": ("teddy", "ted", "eddie", "ned"), "henry": ("harry", "hal"), "john": ("jack", "johnny"),
    "charles": ("charlie", "chaz"), "thomas": ("tommy", "tom"), "joseph": ("joe", "joey"),
    "james": ("jamie", "jim", "jimmy"), "samuel": ("sam", "sammy"), "daniel": ("danny", "dan"),
    "alexander": ("alex", "xander", "sandy"), "zachary": ("zach", "zak"), "muhammad": ("mohammed", "mohammad", "mo"),
    "amelia": ("millie", "milly"), "eleanor": ("ellie", "nell", "nora"), "isabella": ("izzy", "bella"),
    "isabelle": ("izzy", "bella"), "elizabeth": ("lizzie", "libby", "beth", "liz", "eliza"),
    "charlotte": ("lottie", "charlie"), "evelyn": ("evie",), "katherine": ("kate", "katie", "kat"),
    "catherine": ("kate", "katie", "cat"), "margaret": ("maggie", "peggy", "meg"), "rebecca": ("becky", "becca"),
    "victoria": ("vicky", "tori"), "jessica": ("jess", "jessie"), "natasha": ("tash", "tasha"),
    "abigail": ("abbie", "abby"), "madison": ("maddie",), "matilda": ("tilly", "tilda"),
    "florence": ("flo", "florrie"), "josephine": ("josie",), "penelope": ("penny",), "rosemary": ("rosie",),
    "sarah": ("sara",), "gemma": ("jemma",), "stephen": ("steven", "steve"), "mohammed": ("mo",),
}
"""UK forms the package lacks (Liam for William, Alfie for Alfred, ...): full name -> short forms."""

REGISTERED_GIVEN: frozenset[str] = frozenset((
    "olivia", "amelia", "isla", "ava", "mia", "ivy", "lily", "isabella", "rosie", "sophia", "grace", "willow",
    "freya", "florence", "emily", "ella", "poppy", "evie", "elsie", "charlotte", "evelyn", "sienna", "sofia",
    "daisy", "phoebe", "sophie", "alice", "harper", "matilda", "ruby", "emilia", "maya", "millie", "isabelle",
    "eva", "luna", "jessica", "chloe", "hannah", "holly", "megan", "lauren", "amy", "bethany", "leah",
    "abigail", "eleanor", "georgia", "katie", "zara", "rebecca", "ellie", "esme", "erin", "layla", "lara",
    "lola", "mila", "maisie", "aria", "hallie", "nancy", "violet", "bonnie", "eliza", "iris", "orla", "thea",
    "ada", "edith", "oliver", "george", "noah", "arthur", "muhammad", "leo", "harry", "oscar", "archie",
    "henry", "theodore", "freddie", "jack", "charlie", "thomas", "jacob", "alfie", "finley", "lucas", "isaac",
    "edward", "joshua", "james", "william", "samuel", "daniel", "joseph", "alexander", "benjamin", "max",
    "ethan", "logan", "mason", "riley", "dylan", "harrison", "jayden", "tyler", "kai", "reggie", "ronnie",
    "tommy", "teddy", "albie", "louie", "frankie", "jake", "harvey", "luca", "toby", "jude", "ezra", "hugo",
    "elijah", "louis", "ollie", "finn", "rory", "mohammed", "adam", "jaxon", "carter", "hunter", "rowan",
    "sonny", "stanley", "finlay", "reuben", "harley", "ralph", "jenson", "bobby", "leon", "aiden", "aidan",
    "jayden", "zachary", "tobias", "mohammad", "ibrahim", "yusuf", "lila", "lilly", "mollie", "gracie",
    "darcie", "darcy", "lucy", "molly", "sophie", "imogen", "florence", "harriet", "bella", "elsie", "heidi",
))
"""Common registered given names in England and Wales (ONS baby names, recent top 100s): two different
names from this list that look alike (Ava/Eva, Jack/Jake, Harry/Harvey, Ella/Ellie) are two names, not a
typo. Names frequent in the data being linked count as registered too (features.py)."""


@functools.cache
def _namer() -> object:
    from nicknames import NickNamer

    return NickNamer()


@functools.cache
def related_names(name: str) -> frozenset[str]:
    """The name with its nicknames and canonical forms, lower case ('robert' -> bob, rob, robbie...)."""
    if not name:
        return frozenset()
    namer = _namer()
    out = {name, *namer.nicknames_of(name), *namer.canonicals_of(name)}  # type: ignore[attr-defined]
    for full, shorts in UK_NICKNAMES.items():
        if name == full:
            out.update(shorts)
        elif name in shorts:
            out.add(full)
    return frozenset(out)


def nickname_related(a: str, b: str) -> bool:
    """True when one name is listed as a nickname or full form of the other."""
    return bool(a) and bool(b) and (b in related_names(a) or a in related_names(b))

