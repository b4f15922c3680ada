"""The numbers of the certificate rules, defined once.

Services, the admin's filters, the reports and the learner's dashboard all read them from here.
"""

# A learner may renew (retake the course for a new certificate) from this many days before expiry.
RENEWAL_WINDOW_DAYS = 90

# "Expiring soon": the admin's filter, the dashboard figure and the completion report's column.
EXPIRY_HORIZON_DAYS = 90

# An expiry reminder goes when a certificate reaches each of these many days before it expires.
REMINDER_DAYS = (90, 30, 7)

# A reminder whose mail keeps failing is tried this many times in all, then left failed.
REMINDER_MAX_ATTEMPTS = 8

# A reminder left "sending" (its worker died mid-mail) is taken again after this many minutes.
REMINDER_SENDING_TIMEOUT_MINUTES = 15
