"""The staff workspace for measures: a year's measures, their follow-up and evidence,
announcements and the report settings (login, organisation members only).

Every member may look; only editors and administrators may change anything
(a POST by another role is a 404, as in the ITA pages), and only
administrators publish the report. Every object is looked up by the
organisation *and* its key, so another organisation's records are a 404.
"""
