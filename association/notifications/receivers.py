"""Receivers of the domain apps' signals.

Apps below notifications never import it (DESIGN.md: the dependency points one way);
they send signals, and the receivers here turn them into notifications with
:func:`association.notifications.services.notify`.
"""
