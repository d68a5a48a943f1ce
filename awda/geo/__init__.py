"""Places: Iraq's governorates, districts and sub-districts (OCHA P-codes), urban/rural, countries (ISO 3166-1)."""
