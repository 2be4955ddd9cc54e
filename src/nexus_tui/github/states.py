"""A repository's CI state, as the words stored and shown for it.

On its own so that the CI strip can be drawn in the first frame without importing the modules that
read and work out those states (`status`, `models`, `store.ci`).
"""

SUCCESS = "success"
FAILURE = "failure"
PENDING = "pending"
UNKNOWN = "unknown"
