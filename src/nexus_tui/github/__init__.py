"""GitHub: a polite REST client, what it fetches, and the CI state of watched repositories.

No Textual here. `models` and `status` are cheap to import (no httpx), so the first frame can read
the last known state; `client` and `service` load httpx and are imported when the network is used.
"""
