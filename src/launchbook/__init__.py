"""launchbook: checked YAML playbooks for getting ML projects into production."""

__version__ = "0.1.0"
