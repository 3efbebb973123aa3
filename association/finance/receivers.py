"""Finance listens to members: a paid dues record is posted to the ledger."""
