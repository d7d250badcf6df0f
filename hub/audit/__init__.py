"""The processing log (Logboek Dataverwerkingen): a hash chain of audit entries, signed anchors
of its head kept outside the table, and the verification of both."""
