# A single-database configuration, with sqlalchemy-syda seeding (dev/test only).

[alembic]
# path to migration scripts, relative to %(here)s (the directory of this file)
script_location = ${script_location}

# sys.path entries prepended, separated by path_separator
prepend_sys_path = .
path_separator = os

sqlalchemy.url = driver://user:pass@localhost/dbname


[syda]
# Seeding runs only when SYDA_ENV is dev/development/test/testing/local, SYDA_SEED=1, or with
# `alembic -x syda=on ...`; production is untouched. Comments must stay on their own lines.
# same seed, same data
seed = 0
# tables kept topped up to these counts after every upgrade step, e.g. users=100, orders=300
tables =
# rows for each table a step creates that nothing else sizes (0: none)
new_tables = 10
# association-table links per row of the larger parent (0: leave them alone)
association = 2
# realistic values for new NOT NULL columns on existing rows
backfill = true
# tables the hook never touches, e.g. audit_log
exclude =


[post_write_hooks]

# Logging configuration
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
