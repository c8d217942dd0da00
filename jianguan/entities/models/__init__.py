from .entity import Entity, EntityPerson, FormerName, NameGram, NameGramStat, Person
from .licence import Filing, Licence

__all__ = ["Entity", "EntityPerson", "Filing", "FormerName", "Licence", "NameGram", "NameGramStat", "Person"]
