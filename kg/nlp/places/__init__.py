"""The phases of the `ckg_places` component (kg/nlp/components/places.py), one module each:
`candidates` (which spans may be names), `levels` (what the words around a name say it is),
`records` (places onto the doc state, with their parents) and `unresolved` (where the text puts
a place: namesakes, parents of unlisted places)."""
