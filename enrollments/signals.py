from django.dispatch import Signal

# Sent once, after the transaction that completed the enrollment commits.
# Receivers get ``enrollment_id`` (an int); certificates listen to it.
course_completed = Signal()

# Sent INSIDE the transaction that records the event: whatever a receiver writes (an outbox row)
# commits or rolls back with the event itself. Receivers write rows only: no I/O, no messages
# (enqueue with ``transaction.on_commit``). The xapi app listens to them.
#
# ``enrolled``: a new enrollment or a new cycle of one (a renewal); ``enrollment``.
enrolled = Signal()
# ``module_completed``: a module's progress row was just recorded; ``enrollment``, ``module``.
module_completed = Signal()
# ``quiz_attempted``: an attempt was graded and recorded; ``enrollment``, ``module``, ``attempt``.
quiz_attempted = Signal()
# ``enrollment_completed``: this transaction completed the enrollment (exactly once per cycle);
# ``enrollment``. ``course_completed`` follows after the commit.
enrollment_completed = Signal()
