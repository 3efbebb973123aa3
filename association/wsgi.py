import os

from django.core.wsgi import get_wsgi_application

from association.stack import with_room

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")

# Each request called from a frame that reserves room on the interpreter's frame stack,
# so that its loops do not map and unmap a chunk of it on every call (association/stack.py).
application = with_room(get_wsgi_application())

# The worker's long-lived objects out of the garbage collector's full passes
# (association/startup.py).
from association.startup import freeze_as_it_warms_up  # noqa: E402

freeze_as_it_warms_up()
