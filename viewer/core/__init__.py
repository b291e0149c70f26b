"""Qt-free core: numpy and torch only. Everything the app shows is computed here."""
