from django.apps import AppConfig


class SocketsConfig(AppConfig):
    name = "sockets"
    verbose_name = "Real-time play"
