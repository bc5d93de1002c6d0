"""Reading the data files: YAML with only true/false as booleans.

PyYAML follows YAML 1.1, where `on`, `off`, `yes`, `no` (and `NO`, Norway's country code)
are booleans. In a lexicon they are words: `prep: [off]` must mean the particle of
"called off", not False. This loader keeps YAML 1.2's booleans only.
"""
from __future__ import annotations

import re

import yaml

BOOL_TAG = "tag:yaml.org,2002:bool"


# libyaml's parser when PyYAML has it (the knowledge base loads ten times faster); the resolver is Python's
class WordsLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordsLoader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str):
    return yaml.load(text, Loader=WordsLoader)
