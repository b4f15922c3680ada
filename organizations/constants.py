"""The numbers of the organization rules, defined once."""

# An invitation's link works for this many days.
INVITATION_DAYS = 14

# The sign-up and profile search asks the server from this many characters on...
SEARCH_MIN_LENGTH = 2
# ... answers at most this many organizations...
SEARCH_MAX_RESULTS = 10
# ... and this many searches per client address per minute.
SEARCH_RATE_LIMIT = 60

# Where a pending invitation's token waits in the session between its link and sign-up.
INVITATION_SESSION_KEY = "organizations.invitation"
