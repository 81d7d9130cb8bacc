"""The lists themselves: the model, reading and validating list files, importing published ones.

The first stage of the one way through (source files → load and validate →
store → query → render): ``source`` finds the files, ``load`` parses one into
the typed records of ``model`` and ``validate`` checks it, ``serialize`` writes
it back, and ``importers`` turn the Word, Excel and web-page tables lists are
published as into the same model.
"""
