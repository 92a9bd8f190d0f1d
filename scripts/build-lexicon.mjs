// placeholder until the lexicon builder lands
