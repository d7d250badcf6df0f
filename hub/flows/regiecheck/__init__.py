"""The regiecheck (netwerkonderzoek): a meldpunt asks its network's partners whether they know
a person or household; the answers are dat-informatie only (DESIGN.md §2, seed 000 step 7)."""
