"""CareerDesk: private, offline career conversations and a career journal."""

__version__ = "0.1.0"

APP_NAME = "CareerDesk"
APP_ID = "org.careerdesk.CareerDesk"
