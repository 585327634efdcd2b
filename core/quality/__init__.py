"""Quality inspection (质检): each week a reproducible random share of every agent's closed tickets is drawn
(sampling), inspectors score them on the checklist the admin defines (scoring), agents read their own scores.
Registered as the plugin "core-quality" (hooks); reports read the tables in core/models/quality.py."""
