"""A small bookshop: models and the queries its web pages run (an example app for the pytest plugin)."""
