"""Excel workbooks: their structure read as data (:mod:`.layout`), and synthetic copies (:mod:`.synthesize`)."""
