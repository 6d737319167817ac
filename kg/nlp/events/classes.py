"""The ontology class names the event reader writes or tests, in one place: a later step points
them at kg/model/vocab.py."""

from __future__ import annotations

# events
AIRSTRIKE = "Airstrike"
ARMED_CLASH = "ArmedClash"
ARREST = "Arrest"
ATTACK_ON_CIVILIANS = "AttackOnCivilians"
BOMBING = "Bombing"
KILLING = "Killing"
OFFENSIVE = "Offensive"
SHELLING = "Shelling"
TERRITORY_CAPTURE = "TerritoryCapture"
WITHDRAWAL = "Withdrawal"

# actors
AIR_FORCE = "AirForce"
ARMY = "Army"
CIVILIANS = "Civilians"
MEDIA_OUTLET = "MediaOutlet"
MONITOR = "Monitor"
ORGANISATION = "Organisation"
PERSON = "Person"
STATE_FORCE = "StateForce"

# places
COUNTRY = "Country"

REMOTE = frozenset({AIRSTRIKE, SHELLING, BOMBING})  # attacks from afar: what they hit names more classes
VIOLENT = frozenset({ARMED_CLASH, OFFENSIVE, AIRSTRIKE, SHELLING, BOMBING, ATTACK_ON_CIVILIANS, KILLING})
NOT_A_SIDE = frozenset({CIVILIANS, PERSON, ORGANISATION, MEDIA_OUTLET, MONITOR, COUNTRY})  # never fights a clash
