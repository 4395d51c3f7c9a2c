"""sqlalchemy-syda."""
