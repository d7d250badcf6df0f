"""Zaken: the meldpunt's view of a case (API.md §Zaken, seed 000 steps 6, 10 and 16).

A meldpunt's messages that carry the same ``zaak_kenmerk`` form its zaak; it links received
signalen to it; partners' answers to its toewijzingen join it. The timeline shows every item
with who received it, when, its status and term."""
