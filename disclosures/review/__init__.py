"""The OIT self-assessment's review: submitting a year for review (a frozen
snapshot), the assessor's verdicts, the office's clarifications, confirming.

``access`` decides who is an assessor of an organisation's submission,
``services`` holds every write (each owning its transaction and recording a
``ReviewEvent``), ``selectors`` the reads the pages share.
"""
