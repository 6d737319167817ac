"""The pattern families the `ckg_relations` component reads (kg/nlp/components/relations.py).

One module per kind of relation -- control.py and modifiers.py (controls), support.py (supports),
nesting.py (locatedIn), attribution.py (who a sentence quotes) -- and families.py, the table the
component walks per sentence: each row a family of cases, the words that gate it and its reader.
"""
