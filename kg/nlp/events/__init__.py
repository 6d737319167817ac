"""The event reader behind the `ckg_events` component, one module per phase of a sentence:

triggers (words that name an event, and the ones that do not) -> modality (unrealised, denied)
-> anaphora (a restatement of an event already read) -> roles (agents, targets) -> places_dates
and tolls -> accounts (the triggers of one sentence merged into records) -> consolidate (the
accounts of one article merged into events). Word lists are in kg/data (events.json,
event_words.json), read by `words`; class names in `classes`.
"""
