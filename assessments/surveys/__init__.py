"""Perception surveys (IIT, EIT) run by an office itself.

- ``bank``: an edition's questions for an instrument, in form order;
- ``sampling``: the minimum sample from a scheme's rule (data);
- ``scores``: a round's scores, aggregated in the database, and the
  predicted (self-assessed) result of a year;
- ``services``: writes (rounds, one-time codes, responses), each in its
  own transaction.
"""
