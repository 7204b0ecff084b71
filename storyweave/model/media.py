"""Word lists that recognise news publications: the one home of every media noun and title word.

Which publication an article credits is decided by compare (compare/_provenance.py: the primary
source of each account), the owner of that rule. The stages before it only gather evidence,
each with the lists below: clean finds credits by their shape in the text (`Article.cites`,
model/credits.py), nlp marks parsed speakers that are publications (`Attribution.is_publication`,
nlp/speech.py). Data only, so every stage can import it without a cycle.
"""

from __future__ import annotations

# Words that end the names of news publications ("Wall Street Journal", "The Sun").
TITLE_LAST_WORDS = frozenset({
    "journal", "times", "post", "news", "guardian", "telegraph", "herald", "tribune", "gazette",
    "observer", "independent", "monitor", "chronicle", "express", "mirror", "mail", "standard",
    "economist", "magazine", "daily", "weekly", "press", "radio", "tv", "television", "broadcasting",
    "wire", "insider", "inquirer", "bulletin", "dispatch", "courier", "register", "globe",
    "examiner", "enquirer", "newsweek", "online", "reporter", "review", "sentinel", "times-dispatch",
    "post-gazette", "newswire", "network", "today", "ledger", "record", "star", "sun", "leader",
    "advertiser", "argus", "beacon", "bee", "citizen", "clarion", "democrat", "eagle", "free press",
    "journal-constitution", "nation", "pioneer", "republic", "republican", "statesman", "tab",
    "telegram", "voice", "world",
})
# Words that open the names of news publications ("Daily Mail", "Evening Standard").
TITLE_FIRST_WORDS = frozenset({"daily", "evening", "morning", "sunday", "weekly"})
# Wire services and broadcasters, credited by name alone.
KNOWN_MEDIA = frozenset({
    "reuters", "afp", "ap", "associated press", "agence france-presse", "bloomberg", "bbc", "cnn",
    "nbc", "cbs", "abc", "npr", "pbs", "fox news", "msnbc", "al jazeera", "al arabiya", "xinhua",
    "tass", "ria novosti", "interfax", "kyodo", "yonhap", "anadolu", "dpa", "efe", "ansa", "upi",
    "sputnik", "politico", "axios", "haaretz", "der spiegel", "le monde", "el pais", "vice",
    "buzzfeed", "propublica", "vox", "slate", "salon", "the atlantic", "time", "forbes", "cnbc",
    "sky news", "itv", "france 24", "euronews", "deutsche welle", "dw", "rt", "irna", "wafa",
    "petra", "sana", "kuna", "wam", "spa", "mena", "ptv", "nhk",
    # the initials news writers use for the big papers and trades ("THR is reporting")
    "thr", "wsj", "nyt", "ft", "wapo", "tmz",
})
# News agencies whose copy other outlets run: someone who "told The Associated Press" gave the
# interview to the agency, so an article quoting it carries the agency's report (compare).
WIRE_SERVICES = frozenset({
    "reuters", "afp", "ap", "associated press", "agence france-presse", "xinhua", "dpa", "efe",
    "ansa", "upi", "kyodo", "yonhap", "anadolu", "press association", "pa", "bloomberg", "tass",
    "interfax", "ria novosti",
})
# Social platforms: people post on them, nobody reports through them ("Brooklynites on Twitter
# reported"); a platform is never a publication credited (compare).
SOCIAL_PLATFORMS = frozenset({
    "twitter", "facebook", "instagram", "youtube", "tiktok", "reddit", "snapchat", "linkedin",
    "weibo", "whatsapp", "pinterest", "tumblr",
})
# Last words that make a "The X" name an institution, not a publication.
INSTITUTION_WORDS = frozenset({
    "house", "ministry", "department", "council", "pentagon", "kremlin", "government", "army",
    "office", "agency", "court", "parliament", "senate", "congress", "commission", "committee",
    "police", "party", "union", "bank", "fund", "group", "company", "corporation", "university",
    "institute", "state", "states", "forces", "force", "navy", "service", "services", "embassy",
    "coalition", "alliance", "administration", "authority", "organization", "organisation",
    "foundation", "center", "centre", "hospital", "movement", "front", "brigade", "brigades",
})

# Nouns that say "a publication" even alone ("the newspaper", "told the channel").
_PUBLICATION_NOUNS = frozenset({
    "newspaper", "paper", "daily", "weekly", "magazine", "tabloid", "broadcaster", "publication",
    "outlet", "website", "wire", "channel",
})
# A parsed speaker with one of these words is a publication (nlp; plural "wires" too).
PUBLICATION_MARKERS = _PUBLICATION_NOUNS | {"wires"}
# Nouns that introduce a publication's name beside it ("the news agency Xinhua", "Al Mayadeen
# channel", 'on the X radio'): the publication nouns and those that alone as often name a
# government agency or a network in general (clean's credit patterns; two-word ones too).
MEDIA_NOUNS = _PUBLICATION_NOUNS | {
    "news agency", "agency", "network", "site", "news site", "tv", "television", "radio", "station",
}
# Words that make a parsed proper name a publication or broadcaster wherever they stand in it
# (nlp). Fewer than TITLE_LAST_WORDS: a title word inside another organisation's name ("World
# Bank", "Star Alliance") must not make it a newspaper.
PUBLICATION_WORDS = frozenset({
    "journal", "times", "post", "news", "guardian", "herald", "tribune", "telegraph", "gazette",
    "daily", "press", "reuters", "afp", "ap", "bbc", "cnn", "tv", "television", "radio",
    "channel", "newspaper", "magazine", "outlet", "broadcaster", "agency", "network", "mail",
    "express", "independent", "observer", "economist", "review", "monitor", "chronicle",
    "standard", "bulletin", "wire", "newswire", "publication", "report", "website", "blog",
    "weekly", "nbc", "abc", "cbs", "fox", "msnbc", "npr", "pbs", "sky", "al-jazeera",
})
