"""Stand-in for pendulum.datetime: records the date and its time zone."""


def datetime(year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0, tz="UTC"):
    return {"date": "%04d-%02d-%02d" % (year, month, day), "tz": tz}
