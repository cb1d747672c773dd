"""The complaint officers' workspace: the queue, recording a complaint, and the case page
with its steps. Only complaint officers of the organisation reach any of it."""
