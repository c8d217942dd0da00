from .entity import Entity
from .licence import Filing, Licence

__all__ = ["Entity", "Filing", "Licence"]
