"""Portal pages of the projects app: thin, each calls a selector or one service."""
