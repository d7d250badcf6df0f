"""Statistics without personal data: an aggregate store fed by a rollup of the audit trail,
the measures read from it (how much, where, what kind, from whom, recidive, terms met,
regiecheck answer times) and small-cell suppression of every published table."""
