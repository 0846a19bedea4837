This bot answers questions about our store.
It was written for the spring campaign, and it should be friendly.

Contact: the sales team.
