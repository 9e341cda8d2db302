"""The coalition exchange: a server where members share incidents and indicators.

Members (a country or an agency) report incidents (seizures, stopped orders, ...), share each one
with themselves only, named members or the whole coalition under a TLP marking, and read what
others shared with them. Indicators drawn from incidents are published as a feed that
`chainbreaker screen --indicators` reads; sightings of an indicator alert the member that shared
it; new incidents are correlated with earlier ones at write time. Every read and write is
audited. `entitlement.visible` is the single place that decides what a reader may see.
"""
