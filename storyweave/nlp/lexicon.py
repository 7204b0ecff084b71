"""General English word lists the rules use. None names a story, outlet or person."""

from __future__ import annotations

# The publication words are shared with clean: one home, model/media.py.
from ..model.media import PUBLICATION_MARKERS as PUBLICATION_MARKERS
from ..model.media import PUBLICATION_WORDS as PUBLICATION_WORDS

# Lower-case particles that belong inside personal names ("Charles de Gaulle", "Omar al-Bashir").
NAME_PARTICLES = frozenset({
    "le", "la", "les", "de", "du", "des", "del", "della", "di", "da", "dos", "das", "do", "van",
    "von", "der", "den", "ter", "ten", "op", "zu", "al", "el", "bin", "ibn", "bint", "abu", "ben",
    "st", "st.", "mac", "y",
})

HONORIFICS = frozenset({
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "prof", "prof.", "sir", "dame",
    "lord", "lady", "sen", "sen.", "rep", "rep.", "gov", "gov.", "gen", "gen.", "col", "col.",
    "capt", "capt.", "lt", "lt.", "sgt", "sgt.", "rev", "rev.", "fr", "fr.", "sheikh", "imam",
})

# Nouns that name a post or occupation: the last word of a role ("National Intelligence
# Coordinator", "secret service coordinator", "Prime Minister").
TITLE_NOUNS = frozenset({
    # posts named with "master" and other civic posts ("harbour master Elin Vosk", "the warden")
    "master", "harbourmaster", "harbormaster", "headmaster", "headmistress", "postmaster",
    "quartermaster", "stationmaster", "warden", "ombudsman", "curator", "trustee", "skipper",
    "chairperson",
    "president", "vice-president", "minister", "secretary", "director", "coordinator", "chief",
    "spokesman", "spokeswoman", "spokesperson", "adviser", "advisor", "officer", "official",
    "ambassador", "envoy", "diplomat", "consul", "general", "colonel", "commander", "captain",
    "lieutenant", "sergeant", "major", "admiral", "marshal", "senator", "representative",
    "congressman", "congresswoman", "lawmaker", "legislator", "mp", "governor", "mayor", "king",
    "queen", "prince", "princess", "emir", "sheikh", "sultan", "judge", "justice", "prosecutor",
    "attorney", "lawyer", "professor", "doctor", "chairman", "chairwoman", "chair", "ceo", "cfo",
    "founder", "co-founder", "head", "leader", "deputy", "analyst", "researcher", "expert",
    "pope", "bishop", "cardinal", "imam", "rabbi", "cleric", "reverend", "agent", "inspector",
    "superintendent", "detective", "chancellor", "premier", "ayatollah", "councillor",
    "councilman", "councilwoman", "correspondent", "editor", "reporter", "journalist",
    "columnist", "economist", "scientist", "manager", "coach", "executive", "strategist",
    "negotiator", "mediator", "commissioner", "administrator", "inspector-general", "chief-of-staff",
    "sheriff", "constable", "magistrate", "treasurer", "auditor", "dean", "rector", "provost",
    "principal", "chaplain", "monarch", "dictator", "warlord", "spy", "spymaster", "czar", "tsar",
})

# Reporting verbs seen framing direct quotes ('"...," Mr. Trump recounted'): speech verbs, but
# weak ones (a source's cue only with a clause).
QUOTE_REPORTING_VERBS = frozenset({
    "recounted", "conceded", "cautioned", "quipped", "reiterated", "retorted", "lamented", "vowed",
    "emphasized", "emphasised",
    # utterances beside "shouted" and "screamed": crowds chant, people yell
    "chant", "chants", "chanted", "chanting", "yell", "yells", "yelled", "yelling",
})
# Verbs (as inflected forms) and phrases that introduce reported speech or a credited claim.
SPEECH_VERBS = frozenset({
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "add", "adds", "added",
    "adding", "explain", "explains", "explained", "note", "notes", "noted", "state", "states",
    "stated", "claim", "claims", "claimed", "insist", "insists", "insisted", "warn", "warns",
    "warned", "ask", "asks", "asked", "reply", "replies", "replied", "confirm", "confirms",
    "confirmed", "write", "writes", "wrote", "text", "texts", "texted", "tweet", "tweets",
    "tweeted", "post", "posted", "acknowledge", "acknowledged", "admit", "admits", "admitted",
    "argue", "argues", "argued", "comment", "commented", "declare", "declared", "describe",
    "described", "estimate", "estimates", "estimated", "report", "reports", "reported", "stress",
    "stressed", "suggest", "suggested", "recall", "recalled", "continue", "continued", "conclude",
    "concluded", "announce", "announced", "deny", "denied", "predict", "predicted", "urge",
    "urged", "quote", "quoted", "quoting", "cite", "cites", "cited", "citing", "reveal", "revealed", "disclose",
    "disclosed", "allege", "alleged", "assert", "asserted", "maintain", "maintained", "believe",
    "believes", "believed", "observe", "observed", "remark", "remarked", "exclaim", "exclaimed",
    "shout", "shouted", "whisper", "whispered", "mutter", "muttered", "scream", "screamed",
    "cry", "cried", "answer", "answered", "respond", "responded", "complain", "complained",
    "pleaded", "begged", "boasted", "joked", "mused",
    "wondered", "agreed", "testified", "indicated", "show", "showed", "shows", "found", "finds",
    "think", "thinks", "thought", "feel", "feels", "felt", "hope", "hoped", "fear", "feared",
    "refer", "refers", "referred", "call", "calls", "called", "calling", "dub", "dubbed", "label", "labelled",
    "labeled", "brand", "branded", "term", "termed",
}) | QUOTE_REPORTING_VERBS
# Verbs whose object, not subject, is the speaker ("the newspaper quoted X").
OBJECT_SPEAKER_VERBS = frozenset({"quote", "quoted", "quotes", "quoting", "cite", "cited", "cites", "citing"})
# Verbs that only count as reporting when they introduce a clause or quote (too common otherwise).
WEAK_SPEECH_VERBS = frozenset({
    "show", "showed", "shows", "found", "finds", "think", "thinks", "thought", "feel", "feels",
    "felt", "hope", "hoped", "fear", "feared", "believe", "believes", "believed", "continue",
    "continued", "post", "posted", "refer", "refers", "referred", "write", "writes", "wrote",
    "describe", "described", "estimate", "estimates", "estimated", "indicated", "agreed",
    "call", "calls", "called", "calling", "dub", "dubbed", "label", "labelled", "labeled", "brand", "branded",
    "term", "termed",
}) | QUOTE_REPORTING_VERBS  # they report a direct quote; as a source's cue they need a clause

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their", "its", "our", "my", "your"})

# Nouns that, as a speaker or source, name no one in particular ("sources", "officials").
UNNAMED_SOURCE_NOUNS = frozenset({
    "source", "sources", "official", "officials", "diplomat", "diplomats", "spokesman",
    "spokeswoman", "spokesperson", "analyst", "analysts", "expert", "experts", "witness",
    "witnesses", "resident", "residents", "observer", "observers", "insider", "insiders",
    "officer", "officers", "authorities", "people", "person", "aide", "aides", "police",
    "investigators", "investigator", "agency", "ministry", "government", "report", "reports",
})

# Nouns that stand for a business named before ("the software maker said": Microsoft).
COMPANY_NOUNS = frozenset({
    "company", "firm", "maker", "giant", "manufacturer", "automaker", "carmaker", "airline",
    "carrier", "retailer", "insurer", "lender", "developer", "chain", "conglomerate", "corporation",
    "startup", "operator", "provider", "utility", "producer", "brewer", "supplier", "vendor",
})

# Nouns that label members of an organisation, beyond the neutral "members", "fighters".
MEMBER_LABEL_STEMS = (
    "jihadist", "jihadi", "extremist", "takfiri", "insurgent", "terrorist", "radical",
    "islamist", "fundamentalist", "mujahid", "mujahideen", "mujahedeen", "mujahedin",
    "separatist", "zealot", "fanatic", "guerrilla", "guerilla", "rebel", "thug", "militiaman",
    "militiamen", "supremacist", "anarchist", "cultist", "loyalist", "hardliner", "firebrand",
)

# Words that make a capitalised name an organisation ("X group", "Boko Haram fighters").
ORG_HEAD_NOUNS = frozenset({"group", "organisation", "organization", "movement", "network",
                            "militia", "faction", "party", "front", "army", "brigade", "cell",
                            "fighters", "militants", "members", "commander", "commanders",
                            "gunmen", "supporters", "loyalists", "operatives", "leadership",
                            "spokesman", "insurgents", "militiamen", "recruits", "affiliates",
                            "stronghold", "strongholds", "propaganda", "ranks"})

# Titles written with a period before a name ("Dist. Atty. Steve Cooley", "Lt. Gerry Scherlinck").
TITLE_ABBREVIATIONS = frozenset({
    "dist", "atty", "lt", "sgt", "gov", "sen", "rep", "capt", "cpl", "det", "insp", "supt", "maj",
    "adm", "cmdr", "prof", "hon", "dr", "mr", "mrs", "ms", "asst", "pvt", "lieut",
})
# US states as news style abbreviates them ("Mohave County, Ariz., said"); only the unambiguous.
STATE_ABBREVIATIONS = frozenset({
    "ariz", "az", "calif", "colo", "conn", "fla", "kan", "ky", "mich", "minn", "mont", "neb", "nev",
    "okla", "tenn", "tex", "wis", "wyo",
})
