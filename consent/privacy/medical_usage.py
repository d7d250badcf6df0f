"""Uses of medical words that say nothing about a person's health.

Two kinds, both seen in labelled reports that were wrongly refused:

- **figurative**: a diagnostic adjective said of a thing, an animal or a policy ("schizofreen
  beleid", "de lift is depressief traag", "de hond is psychotisch");
- **a place or a business**: a care place named as a landmark or an address ("jongeren rond de
  methadonpost", "de cosmetische kliniek op nummer 12").

Both step back as soon as a person or a care act is in view: "de buurman met de hond is
psychotisch" and "hij haalt zijn dosis bij de methadonpost" stay medical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Token = tuple[str, int, int]  # (folded token, start, end)
ClauseEnd = Callable[[int], bool]

# Diagnostic adjectives that Dutch also uses as a figure of speech.
FIGURATIVE_WORDS = frozenset(
    """schizofreen schizofrene psychotisch psychotische paranoide depressief depressieve manisch
    manische bipolair bipolaire autistisch autistische hysterisch hysterische neurotisch
    neurotische dement demente""".split()
)

# Things, animals and policies such an adjective is said of.
_THINGS = frozenset(
    """beleid gemeente gemeentes regels regeling regelingen wet wetgeving systeem systemen overheid
    organisatie corporatie woningcorporatie politiek kabinet bestuur bureaucratie procedure
    gebouw pand lift liften flat trappenhuis portiek deur deuren verwarming ketel cv installatie
    weer klimaat economie markt beurs planning rooster dienstregeling hond honden hondje kat katten
    poes dier dieren paard vogel vogels papegaai konijn parkiet auto fiets computer telefoon wifi
    internet printer wasmachine app website software tuin muziek film serie boek ontwerp
    architectuur verkeer bus trein tram stoplicht alarm brandalarm thermostaat""".split()
)

# Words between a subject and its adjective: "de lift is echt zo depressief traag".
_COPULAS = frozenset("is zijn was waren wordt worden werd lijkt lijken leek voelt klinkt blijft".split())
_FILLERS = frozenset(
    """zo erg heel echt compleet totaal volledig gewoon een beetje nogal best behoorlijk wat soms
    vaak altijd weer ronduit bijna af en toe nu tegenwoordig""".split()
)

# Persons: their presence means the adjective may be about them.
_PERSONS = frozenset(
    """hij zij ze hem haar meneer mevrouw mw dhr mvr client cliente clienten bewoner bewoonster
    bewoners buurman buurvrouw buren zoon dochter vader moeder man vrouw huurder huurster
    betrokkene jongen meisje partner broer zus opa oma echtgenoot echtgenote vriend vriendin
    eigenaar melder kind kinderen""".split()
)


def figurative(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "schizofreen beleid" (before a thing) or "het beleid is schizofreen" (said of one)."""
    if i + 1 < len(tokens) and not clause_end(i) and tokens[i + 1][0] in _THINGS:
        return True
    k = i - 1
    while k >= 0 and tokens[k][0] in _FILLERS and not clause_end(k):
        k -= 1
    if k < 0 or tokens[k][0] not in _COPULAS or clause_end(k):
        return False
    # The subject's head is its first thing or person: "de hond van de buren" is a dog,
    # "de buurman met de hond" a neighbour.
    first = k
    while first > max(0, k - 7) and not clause_end(first - 1):
        first -= 1
    for j in range(first, k):
        if tokens[j][0] in _PERSONS:
            return False
        if tokens[j][0] in _THINGS:
            return True
    return False


# Care places that are also landmarks and addresses.
PLACE_SUFFIXES = ("post", "posten", "kliniek", "klinieken", "centrum", "apotheek")

_LOCATION_BEFORE = frozenset(
    """naast tegenover achter langs rond rondom nabij vlakbij omgeving buurt richting voorbij
    straat""".split()
)
_PLACE_WORDS = frozenset(
    """pand gebouw ingang deur parkeerplaats parkeerplaatsen eigenaar eigenaren bezoekers klanten
    vestiging winkel bedrijf portiek stoep hoek plein gevel terras verbouwing vergunning
    hangjongeren rondhangen hangen afval zwerfafval vuilnis geparkeerd parkeren bouw
    nummer""".split()
)
# A care act by or for someone: then the place is where it happened to them.
_CARE_ACTS = frozenset(
    """haalt halen haalde gehaald krijgt kreeg krijgen dosis opgenomen opname behandeld behandeling
    behandelaar gebracht overgebracht verblijft verbleef ligt lag zit zat patient patiente
    patienten client cliente ingeschreven afspraak""".split()
)
_NON_CARE_CLINIC = frozenset("cosmetische cosmetisch esthetische esthetisch schoonheids".split())


def place_use(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "Jongeren rond de methadonpost", "de methadonpost op de hoek", "de cosmetische kliniek
    aan de Dam": a landmark, an address or a business, not someone's care."""
    window = {t[0] for t in tokens[max(0, i - 5) : i + 6]}
    if window & _CARE_ACTS:
        return False
    if i > 0 and tokens[i - 1][0] in _NON_CARE_CLINIC:
        return True
    before = {t[0] for t in tokens[max(0, i - 3) : i]}
    if before & _LOCATION_BEFORE or window & _PLACE_WORDS:
        return True
    after = [t[0] for t in tokens[i + 1 : i + 4]]
    return after[:2] == ["aan", "de"] or after[:2] == ["op", "de"] and "hoek" in after


FIGURATIVE_VETOES: dict[str, Callable[[Sequence[Token], int, ClauseEnd], bool]] = {
    word: figurative for word in FIGURATIVE_WORDS
}
