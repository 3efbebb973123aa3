"""Portal menu entries of elections."""


def portal_nav(user) -> list:
    return []
