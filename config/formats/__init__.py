"""Our own date and number formats per language (FORMAT_MODULE_PATH), in place of
Django's where those do not suit an organisation working in Sweden."""
