"""Samenloop (the Verwijsindex idea on this hub's own data): a signaal delivered to a meldpunt
carries, for that meldpunt only, how many earlier signalen it received about the same address
within 3 years and its open zaak there — counted on pseudonymised address keys."""
