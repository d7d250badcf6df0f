"""Urgent (seed 000 step 5): the meldpunt's urgent message reaches GGD Vangnet & Advies and
politie with the names, the address and a short situatieschets; the stadsdeel's
veiligheidscoördinator is informed too — with the zaak kenmerk, the address and the time
only (``nl.ketenhub.urgent.melding.v1``)."""
