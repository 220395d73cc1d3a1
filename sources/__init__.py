"""Where posts come from and how to read them: accounts, feeds, fetching, parsing, storage.

Knows nothing of incidents (that is `playbooks`).
"""
