"""Names of care places and organisations, used by the context rules in ``medical_context.py``.

Named GGZ, addiction-care and disability-care organisations are here, not in the lexicon: they
are regiecheck partners too, so "bekend bij Arkin" is dat-informatie while "naar Arkin gebracht"
or "in behandeling bij Arkin" is medical. Names of several words are matched by their most
distinctive token ("Pro Persona" by ``persona``, "Reinier van Arkel" by ``arkel``, "'s Heeren
Loo" by ``heeren``).
"""

from __future__ import annotations

# Named organisations for mental health, addiction and disability care (partners in the
# regiecheck): a stay or transfer word nearby makes their mention medical.
CARE_ORGANISATIONS = frozenset(
    """arkin parnassia altrecht jellinek ggzingeest ingeest brijder tactus novadic kentron
    mondriaan lentis dimence yulius emergis rivierduinen propersona persona ggze antes bavo fivoor
    inforsa ggnet accare karakter arkel trajectum victas vnn bouman palier levvel eleos breburg
    iriszorg lucertis rijngeest rijngeestgroep heeren ipse cordaan amarant middin severinus
    prinsenstichting""".split()
)

# Words before the distinctive one in a name of several words ("Reinier van | Arkel").
NAME_LEADING_WORDS = {"arkel": 2, "persona": 1, "heeren": 1}

# Hospitals named by their usual short names: "ligt in het AMC", "naar het OLVG gebracht".
HOSPITALS = frozenset(
    """amc olvg vumc lumc umcu umcg mumc radboudumc bovenij avl slaz flevoziekenhuis
    spaarne gasthuis""".split()
)

# Psychiatric hospitals and forensic clinics named after their site or founder; the name is also
# a place, a street or a painter ("Wolfheze", "Veldzicht", "Mesdag"), so it needs a stay word.
PSYCHIATRIC_SITES = frozenset(
    """santpoort wolfheze endegeest vijverdal meerenberg brinkgreven dennenoord coudewater
    veldzicht oldenkotte kijvelanden mesdag pompestichting pompekliniek""".split()
)

# Places and organisations whose nearness turns admission/treatment words medical.
CARE_PLACES = (
    frozenset(
        """kliniek klinieken ziekenhuis ziekenhuizen paaz puk psychiatrie psychiatrisch
        psychiatrische ggz afdeling instelling instellingen verpleeghuis verslavingszorg psychiater
        psycholoog psychologe specialist huisarts arts artsen neuroloog dokter crisisafdeling
        verslavingskliniek afkickkliniek ic intensive hospice revalidatiecentrum vincent gogh
        reinier zorggroep umc erasmus radboud isala""".split()
    )
    | CARE_ORGANISATIONS
    | HOSPITALS
    | PSYCHIATRIC_SITES
)
