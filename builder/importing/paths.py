"""Is a resource path safe to read and to write? Only a plain file inside its package is.

In: the package folder and a resource's `path` from datapackage.json.
Out: None when safe, else the reason in Chinese: remote URL, absolute, climbs out (`..` or a symlink), hidden.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # http:, https:, file:, also C: (a Windows drive)


def unsafe_reason(package_root: Path, path: object) -> str | None:
    if not isinstance(path, str) or not path.strip():
        return "不是一个文件名"
    if "://" in path or (_URL.match(path) and not re.match(r"^[A-Za-z]:[\\/]", path)):
        return "是远程地址（URL），数据文件必须放在数据包内"
    if "\\" in path:
        return "含有反斜杠，请用 / 分隔目录"
    relative = PurePosixPath(path)
    if relative.is_absolute() or re.match(r"^[A-Za-z]:", path):
        return "是绝对路径，必须是相对于数据包目录的路径"
    if ".." in relative.parts:
        return "用 .. 跳出了数据包目录"
    if any(part.startswith(".") for part in relative.parts):
        return "是隐藏文件（以 . 开头）"
    current = package_root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return "是符号链接，可能指向数据包目录之外"
    if not (package_root / relative).resolve().is_relative_to(package_root.resolve()):
        return "指向数据包目录之外"
    return None
