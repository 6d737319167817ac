"""The ontology classes that code names: the event reader's rules, kg merge and the analyst exports
test for these particular classes. Each name is checked against the ontology (kg/model/vocab.py) when
this module is imported, so a class renamed in ontology/ckg.ttl fails loudly here instead of
silently matching nothing. Every other use of the classes goes through the vocabulary's sets."""

from __future__ import annotations

from kg.model.vocab import actor_class, event_class, place_class

# events
AIRSTRIKE = event_class("Airstrike")
ARMED_CLASH = event_class("ArmedClash")
ARREST = event_class("Arrest")
ATTACK_ON_CIVILIANS = event_class("AttackOnCivilians")
BOMBING = event_class("Bombing")
KILLING = event_class("Killing")
OFFENSIVE = event_class("Offensive")
SHELLING = event_class("Shelling")
TERRITORY_CAPTURE = event_class("TerritoryCapture")
WITHDRAWAL = event_class("Withdrawal")

# actors
AIR_FORCE = actor_class("AirForce")
ARMY = actor_class("Army")
CIVILIANS = actor_class("Civilians")
MEDIA_OUTLET = actor_class("MediaOutlet")
MONITOR = actor_class("Monitor")
ORGANISATION = actor_class("Organisation")
PERSON = actor_class("Person")
STATE_FORCE = actor_class("StateForce")

# places
COUNTRY = place_class("Country")

REMOTE = frozenset({AIRSTRIKE, SHELLING, BOMBING})  # attacks from afar: what they hit names more classes
VIOLENT = frozenset({ARMED_CLASH, OFFENSIVE, AIRSTRIKE, SHELLING, BOMBING, ATTACK_ON_CIVILIANS, KILLING})
NOT_A_SIDE = frozenset({CIVILIANS, PERSON, ORGANISATION, MEDIA_OUTLET, MONITOR, COUNTRY})  # never fights a clash
