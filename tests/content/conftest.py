"""The content tests' fixtures. The home page's cache is the database cache: each test's
transaction rolls it back, so no test sees another's cached page."""
