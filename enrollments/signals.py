from django.dispatch import Signal

# Sent once, after the transaction that completed the enrollment commits.
# Receivers get ``enrollment_id`` (an int); certificates listen to it.
course_completed = Signal()
