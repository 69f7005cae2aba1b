"""The notifier service: announces published matches by e-mail, chat and in-app inbox."""

from typing import Final

SERVICE: Final = "notifier"
