import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
application = get_wsgi_application()

# The worker's long-lived objects out of the garbage collector's full passes
# (association/startup.py).
from association.startup import freeze_as_it_warms_up  # noqa: E402

freeze_as_it_warms_up()
