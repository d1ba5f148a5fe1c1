"""Importing a maintainer's spreadsheet into a data package: messy Excel exports in, clear errors out, nothing lost.

In: a CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or an XLSX sheet, and the package/resource it is meant for.
Out: the resource's canonical UTF-8 CSV, written only when every row is acceptable, and a report that names
file, line, column (and its Excel letter), value, rule, a Chinese message and a hint for every problem.

`run.import_file` is the entry point; `package_check.check_package_files` applies the same file-level rules to
the package files themselves (it is one of `builder.validate.checks.CHECKS`). Each rule's wording is in `messages`.
"""
