"""WSGI entry point: `gunicorn kubeshop.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kubeshop.settings")
application = get_wsgi_application()
