from django.dispatch import Signal

# Sent INSIDE the transaction that marks a certificate issued (once per certificate): a
# receiver's rows commit or roll back with the issuing. ``certificate``. The xapi app listens.
certificate_issued = Signal()
