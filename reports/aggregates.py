from django.db.models import Aggregate, FloatField, Func


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5); other databases get None (the report fills it in)."""

    function = "percentile_cont"
    name = "Median"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


class EpochSeconds(Func):
    """Seconds in an interval (PostgreSQL); used for the median days to complete."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()
