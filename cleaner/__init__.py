"""cleaner: remove boilerplate from scraped web pages (HTML or plain-text scrapes)."""
from cleaner.api import BlockResult, Cleaner, Result, analyze, clean
from cleaner.document import Block, Page
from cleaner.model import ModelError

__version__ = "0.1.0"
__all__ = ["Block", "BlockResult", "Cleaner", "ModelError", "Page", "Result", "analyze", "clean", "__version__"]
