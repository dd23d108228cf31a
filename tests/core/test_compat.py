"""The assumptions of ``pretix_innowerkstatt.compat`` hold for the installed pretix release.

Each test names the private name it relies on, so a pretix upgrade that changes one fails here
first, with a message that says which.
"""
