from pathlib import Path
from typing import Union
_PATH = Union[str, Path]
