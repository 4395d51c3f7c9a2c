"""Excel workbooks: their structure read as data (:mod:`.layout`), and synthetic copies (:mod:`.synthesize`).

::

    >>> from sqlalchemy_syda.files.workbook.synthesize import synthesize_workbook
    >>> book = synthesize_workbook(shop_xlsx, {"Orders": 5}, seed=1, filename="shop.xlsx")
    >>> [(r.name, [c.header for c in r.columns]) for r in book.layout.regions]
    [('CustomerTable', ['customer_id', 'name', 'tier']), ('Orders', ['order_id', 'customer_id', 'qty',
    'price', 'total'])]
"""
