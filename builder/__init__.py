"""Builds the Guangdong cleaner-production open-data site from Frictionless data packages.

Data flows one way: packages → validate → load → derive → render → export → publish, one folder per
stage (validate/, data/, derive/, render/, export/, publish/; formats/ holds the exact file writers,
importing/ the import of official attachments). `pipeline` is the only module that knows the order.
"""

import os

# openpyxl writes with the standard library unless lxml is installed (python-docx brings it); the XLSX
# downloads are written as text byte for byte as that standard writer does (builder/formats/workbook.py), so
# every process that imports the builder uses it. Set before any module imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")
