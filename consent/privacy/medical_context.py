"""Words that are medical only in context.

"Opgenomen" is an admission in "opgenomen in de kliniek" and bookkeeping in "opgenomen in het
systeem"; "behandeling" is treatment at the GGZ and routine at the woningcorporatie ("de melding
is in behandeling"). Each rule here looks at the folded tokens around the word and decides.
docs/privacy-rules.md lists the rules in prose; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from consent.privacy.care_names import (
    CARE_ORGANISATIONS,
    CARE_PLACES,
    HOSPITALS,
    NAME_LEADING_WORDS,
    PSYCHIATRIC_SITES,
)
from consent.privacy.medical_usage import FIGURATIVE_VETOES, place_use

Token = tuple[str, int, int]  # (folded token, start, end)

# Bookkeeping words: "opgenomen in het dossier", "contact opgenomen", "de telefoon niet opgenomen".
_ADMIN_WORDS = frozenset(
    """contact telefonisch telefoon gebeld dossier systeem verslag registratie ris melding
    meldingen klacht klachten gegevens notitie notities afspraak afspraken rapport rapportage plan
    foto fotos video beelden geluid camera gesprek lijst agenda overzicht procesverbaal aangifte
    contract administratie notulen register verzoek vraag punt punten actie acties brief mail
    email vermelding vermeld voicemail bericht berichten""".split()
)

_ADMISSION_PREFIX = frozenset(
    """gedwongen vrijwillig vrijwillige acuut acute klinisch klinische psychiatrisch psychiatrische
    spoed crisis opnieuw""".split()
)

_PERSONS = frozenset(
    """hij zij ze meneer mevrouw mw dhr mvr client cliente clienten bewoner bewoonster bewoners
    buurman buurvrouw zoon dochter vader moeder man vrouw huurder huurster betrokkene jongen
    meisje partner broer zus opa oma echtgenoot echtgenote vriend vriendin""".split()
)

# "z'n" tokenises to "z" + "n"; the bare "n" stands for it.
_POSSESSIVE = frozenset("zijn haar hun n".split())

_ROUTINE_CASE = frozenset(
    "melding meldingen klacht klachten zaak zaken aanvraag dossier verzoek casus".split()
)

_CASE_HANDLING = frozenset(
    """toegewezen toewijzen toewijzing partner partners hulpverlener hulpverleners regievoerder
    procesregie regie casus meldpunt""".split()
)

_LITHIUM_NOT_DRUG = frozenset(
    """accu accus batterij batterijen ion ionen polymeer ijzerfosfaat cel cellen""".split()
)

_CURSING = frozenset(
    """scheldt schelden scheldend uitgescholden uitschelden scheldwoord scheldwoorden scheldpartij
    roept riep roepen schreeuwt schreeuwde schreeuwen vloekt vloeken vloekte krijst""".split()
)

_WORKPLACE = frozenset(
    """werkt werken werkte gewerkt werkzaam werk baan dienst nachtdienst diensten stage
    nachtdiensten dagdienst dagdiensten avonddienst avonddiensten stagiair stagiaire collega
    collegas schoonmaker vrijwilliger vrijwilligerswerk solliciteert
    parkeren geparkeerd naast tegenover achter langs bij buurt""".split()
)

_STAY_VERBS = frozenset(
    """opgenomen ligt lag liggen verblijft verblijf verbleef zit zat zitten ontslagen ontslag
    terug opname""".split()
)

_INSTITUTION_STAY = frozenset(
    """gebracht overgebracht gebleven verblijft verbleef zit zat ligt lag opgenomen ontslagen
    afgevoerd terechtgekomen beland opname kliniek afdeling ontslag ic seh poli""".split()
)

_PRESCRIBERS = frozenset(
    """arts huisarts psychiater dokter specialist medicatie medicijnen pillen tabletten
    apotheek""".split()
)

_DEPOT_DRUG = frozenset(
    """zijn haar krijgt kreeg gekregen krijgen injectie prik medicatie toegediend gemist weigert
    weigerde geweigerd spv psychiater gezet zetten""".split()
)

# Tells whether token i closes its clause (followed by punctuation or the end of the text).
ClauseEnd = Callable[[int], bool]


def _window(tokens: Sequence[Token], i: int, before: int, after: int) -> set[str]:
    return {t[0] for t in tokens[max(0, i - before) : i + after + 1]} - {tokens[i][0]}


def _clause_before(tokens: Sequence[Token], i: int, n: int, clause_end: ClauseEnd) -> list[Token]:
    out = []
    for k in range(i - 1, max(-1, i - n - 1), -1):
        if clause_end(k):
            break
        out.append(tokens[k])
    return out


def _clause_after(tokens: Sequence[Token], i: int, n: int, clause_end: ClauseEnd) -> list[Token]:
    out = []
    for k in range(i + 1, min(len(tokens), i + n + 1)):
        if clause_end(k - 1):
            break
        out.append(tokens[k])
    return out


def _admission(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    word = tokens[i][0]
    prev = tokens[i - 1][0] if i > 0 else ""
    nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
    # Bookkeeping words count only within the clause: in "Cliënt is opgenomen. We nemen
    # contact op" the contact is the next sentence's business.
    before = {t[0] for t in _clause_before(tokens, i, 3, clause_end)}
    after = {t[0] for t in _clause_after(tokens, i, 3, clause_end)}
    if before & _ADMIN_WORDS or after & _ADMIN_WORDS or nxt == "met":
        return False
    if word.startswith("opname") and nxt in ("gemaakt", "van", "maken", "gemaakte"):
        return False
    if prev in _ADMISSION_PREFIX:
        return True
    if _window(tokens, i, 6, 6) & CARE_PLACES:
        return True
    if word == "opgenomen":
        person_before = bool({t[0] for t in tokens[max(0, i - 6) : i]} & _PERSONS)
        return person_before and (nxt == "geweest" or clause_end(i))
    return prev in _POSSESSIVE or prev in ("na", "sinds", "tijdens")


def _treatment(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    word = tokens[i][0]
    prev = tokens[i - 1][0] if i > 0 else ""
    if {t[0] for t in tokens[max(0, i - 4) : i]} & _ROUTINE_CASE:
        return False
    if prev == "onder":
        return True
    if word.startswith("behandelaar"):
        # A person's behandelaar is a clinician ("zijn behandelaar"); the partner handling a
        # melding is one too in the meldpunt's own words ("toegewezen aan de huidige
        # behandelaar", "hulpverlener / behandelaar"), and that is no health fact.
        if prev in _POSSESSIVE:
            return True
        return not _window(tokens, i, 8, 4) & (_ROUTINE_CASE | _CASE_HANDLING)
    return bool(_window(tokens, i, 5, 5) & CARE_PLACES)


def _care_place(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "ligt in het ziekenhuis" is an admission, "een ziekenhuis in de buurt" is geography and
    "werkt in het ziekenhuis" is a job."""
    before = {t[0] for t in tokens[max(0, i - 4) : i]}
    if before & _WORKPLACE or (i + 1 < len(tokens) and tokens[i + 1][0] == "in"):
        return False
    prev = tokens[i - 1][0] if i > 0 else ""
    prev2 = tokens[i - 2][0] if i > 1 else ""
    if prev in ("het", "de", "een", "t") and prev2 in ("in", "naar", "uit", "vanuit"):
        return True
    return prev in ("in", "naar", "uit") or bool(before & _STAY_VERBS)


def _institution(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "verblijft in een GGZ-instelling": an institution of care with a stay verb."""
    prev = tokens[i - 1][0] if i > 0 else ""
    if prev not in ("ggz", "psychiatrische", "zorg", "verslavingszorg", "forensische"):
        return False
    return bool({t[0] for t in tokens[max(0, i - 6) : i]} & _STAY_VERBS)


def _institution_stay(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """A named GGZ or addiction-care organisation is a partner ("bekend bij Arkin"), unless
    someone is brought to, stays in or leaves it ("naar Parnassia gebracht"). A name of several
    words is found by its last distinctive word, so the window starts before the whole name."""
    return bool(_window(tokens, i, 4 + NAME_LEADING_WORDS.get(tokens[i][0], 0), 4) & _INSTITUTION_STAY)


def _curse_or_disease(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "Kanker" is a diagnosis, and in Dutch also a common curse quoted in nuisance reports."""
    return not _window(tokens, i, 6, 2) & _CURSING


def _prescribed(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    return bool(_window(tokens, i, 5, 5) & _PRESCRIBERS)


def _referred(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    return bool({t[0] for t in tokens[i + 1 : i + 5]} & CARE_PLACES)


def _clinic(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    prev = {t[0] for t in tokens[max(0, i - 2) : i]}
    if prev & {"naast", "tegenover", "achter", "langs", "dieren", "dierenarts"}:
        return False
    return not place_use(tokens, i, clause_end)


def _lithium(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
    return nxt not in _LITHIUM_NOT_DRUG


def _depot(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    return bool(_window(tokens, i, 3, 2) & _DEPOT_DRUG)


_AFTER_CLOSED = frozenset(
    """volgens sinds van in bij geweest gezeten terecht beland en maar dus want omdat na tot
    opgenomen gebracht zit zat ligt""".split()
)


def _closed_ward(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "Hij zit op de gesloten" is the closed ward; "op de gesloten deur" is a door."""
    if i < 2 or tokens[i - 1][0] != "de" or tokens[i - 2][0] not in ("op", "naar", "in", "van"):
        return False
    return clause_end(i) or (i + 1 < len(tokens) and tokens[i + 1][0] in _AFTER_CLOSED)


# Vetoes: lexicon words whose meaning flips in a recognisable non-medical context.
_WEATHER = frozenset(
    """knmi weer weerbericht weersverwachting storm stormachtig wind windkracht regen buien
    onweer noordzee oceaan lagedrukgebied hogedrukgebied weeralarm economische economie""".split()
)

_TECHNICAL = frozenset(
    """monteur installateur ketel cv pomp storing lekkage apparaat computer systeem auto motor
    lift dak leiding leidingen aannemer loodgieter elektricien meterkast riool afvoer""".split()
)


def _weather_or_economy(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "Een diepe depressie boven de Noordzee" is weather."""
    return bool(_window(tokens, i, 6, 6) & _WEATHER)


def _technical(tokens: Sequence[Token], i: int, clause_end: ClauseEnd) -> bool:
    """ "De monteur stelde de diagnose: de cv-pomp is kapot." """
    return bool(_window(tokens, i, 6, 6) & _TECHNICAL)


ContextRule = Callable[[Sequence[Token], int, ClauseEnd], bool]

# word -> rule saying the lexicon term is NOT medical here.
VETOES: dict[str, ContextRule] = {
    "depressie": _weather_or_economy,
    "depressies": _weather_or_economy,
    "diagnose": _technical,
    "diagnoses": _technical,
    **FIGURATIVE_VETOES,
}

RULES: dict[str, ContextRule] = {
    "opgenomen": _admission,
    "opname": _admission,
    "opnames": _admission,
    "opnamen": _admission,
    "behandeling": _treatment,
    "behandelingen": _treatment,
    "behandeld": _treatment,
    "behandelaar": _treatment,
    "behandelaars": _treatment,
    "behandelen": _treatment,
    "behandelt": _treatment,
    "ziekenhuis": _care_place,
    "ziekenhuizen": _care_place,
    "verpleeghuis": _care_place,
    "verzorgingshuis": _care_place,
    "hospice": _care_place,
    "revalidatiecentrum": _care_place,
    "kliniek": _clinic,
    "instelling": _institution,
    "kanker": _curse_or_disease,
    **{name: _institution_stay for name in CARE_ORGANISATIONS},
    "voorgeschreven": _prescribed,
    "verwezen": _referred,
    "doorverwezen": _referred,
    "verwijzing": _referred,
    "lithium": _lithium,
    "depot": _depot,
    "gesloten": _closed_ward,
    **{name: _institution_stay for name in HOSPITALS | PSYCHIATRIC_SITES},
}
