"""Builds the Guangdong cleaner-production open-data site from Frictionless data packages.

Data flows one way: packages → validate → load → derive → render / export → site.
`pipeline` is the only module that knows that order.
"""
