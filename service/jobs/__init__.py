"""Jobs: every long operation runs in its own worker process, never in a request thread.

:mod:`.queue` stores jobs and runs the dispatcher (start, reap, cancel, mark lost), :mod:`.worker`
is the process (``python -m service.jobs.worker <job id>``), :mod:`.kinds` holds what each kind of
job does, over the library's public API. A job goes queued → running → succeeded | failed |
canceled | lost (its worker died without saying how it ended).
"""
