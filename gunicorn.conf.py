"""gunicorn's settings beyond the command line (gunicorn reads ./gunicorn.conf.py by itself).

The access log masks the calendar feed's token in the request line (mikrolaan/logning.py).
"""

logger_class = "mikrolaan.logning.GunicornLogger"
