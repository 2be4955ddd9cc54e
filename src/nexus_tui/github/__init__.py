"""GitHub: a polite REST client, what it fetches, and the CI state of watched repositories.

No Textual here. The first frame needs only `states` (the words of a CI state); `models` and
`status` (no httpx) read the last known state just after it; `client` and `service` load httpx and
are imported when the network is used.
"""
