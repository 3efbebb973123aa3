"""Portal menu entries of governance."""


def portal_nav(user) -> list:
    return []
