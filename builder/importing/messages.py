"""The wording of every import rule: a Chinese message for the maintainer and a hint on how to fix it.

In: nothing. Out: `RULES`, rule name → `Rule`. Placeholders ({value}, {field}, …) are filled by `findings.make`.
Warnings are the documented normalizations: the value is published as shown after “改为”.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    message: str
    hint: str = ""
    severity: str = "error"


CHECK_AGAIN = "无需处理；如改写不对，请修改源文件后重新导入。"
RESAVE_UTF8 = "在 Excel 中打开后“另存为 → CSV UTF-8（逗号分隔）”，再重新导入。"

RULES: dict[str, Rule] = {
    # --- the file -------------------------------------------------------------------------------------------
    "unsafe-path": Rule(
        "资源文件路径 {value!r} 不安全：{why}。",
        "在 datapackage.json 中把该资源的 path 改为数据包根目录下的“资源名.csv”（不要用符号链接）。",
    ),
    "bad-multipliers": Rule("{why}", 'x-multipliers 应写成 {{"万": 10000}} 这样的对象：单位 → 倍数。'),
    "missing-file": Rule("数据包中找不到资源文件 {value!r}。", "用 python -m builder import 导入该资源。"),
    "file-too-large": Rule(
        "文件有 {size}，超过导入上限 {limit}。",
        "确认是要导入的表格；若确需导入更大的文件，在 pyproject.toml 的 [tool.builder.import_limits] 中调高 {setting}。",
    ),
    "inflated-too-large": Rule(
        "文件只有 {size}，解压后却有 {inflated}，超过上限 {limit}：可能是“压缩炸弹”，已拒绝，未解析。",
        "用 Excel 或 Word 打开后重新保存；正常的附件表格解压后不会这么大（上限见 import_limits 的 inflated_bytes）。",
    ),
    "pdf-inflated-too-large": Rule(
        "PDF 文件只有 {size}，其中的压缩内容解压后超过上限 {limit}：可能是“压缩炸弹”，已停止读取并拒绝。",
        "用 WPS 或 Acrobat 打开后另存为新的 PDF，或向发文单位索取 Word / Excel 版本；正常的附件表格解压后不会这么大"
        "（上限见 import_limits 的 inflated_bytes）。",
    ),
    "too-many": Rule(
        "文件中的{what}数（{count}）超过导入上限 {limit}，已停止读取。",
        "检查是否导出了整个工作表的空行或多余内容；确需导入时，在 pyproject.toml 的 [tool.builder.import_limits] 中调高 {setting}。",
    ),
    "xml-entities": Rule(
        "文件的 XML 部件 {part} 声明了 DOCTYPE 或实体（ENTITY），正常的 Office 文件不会这样，可能是恶意文件，已拒绝。",
        "用 Excel 或 Word 打开后另存为新文件，再重新导入。",
    ),
    "broken-file": Rule("无法读取文件：{why}。", "用 Excel、WPS 或 Word 打开确认文件完好，另存为新文件后重新导入。"),
    "empty-file": Rule("文件是空的，没有表头也没有数据。", "检查是否导出了正确的工作表。"),
    "utf16": Rule("文件是 UTF-16 编码（Excel 的“Unicode 文本”格式），不是 CSV。", RESAVE_UTF8),
    "undecodable": Rule(
        "第 {line} 行有无法按 {encodings} 解码的字节 {value}。",
        "文件可能已损坏，或在不同软件之间转存时混用了编码。" + RESAVE_UTF8,
    ),
    "mixed-encoding": Rule(
        "文件混用了两种编码：第 {utf8_line} 行是 UTF-8，第 {gb_line} 行是 GB18030/GBK。",
        "通常是把两个文件直接拼接造成的：分别在 Excel 中打开，复制到同一个工作表后" + RESAVE_UTF8,
    ),
    "ambiguous-encoding": Rule(
        "无法确定文件编码：按 UTF-8 读是 {value!r}，按 GBK 读是 {gb!r}。",
        "用 --encoding gbk 或 --encoding utf-8 指明文件的编码后重新导入。",
    ),
    "bom-conflict": Rule("文件以 UTF-8 BOM 开头，却指定了编码 {encoding}。", "去掉 --encoding 选项，按 UTF-8 导入。"),
    "csv-syntax": Rule("第 {line} 行附近的 CSV 格式有误：{why}。", '检查是否有未闭合的引号（"）。' + RESAVE_UTF8),
    "not-utf8": Rule(
        "数据包中的文件必须是 UTF-8 编码：第 {line} 行有无法按 UTF-8 解码的字节 {value}。",
        "用 python -m builder import 重新导入该文件，它会按 GB18030 解码并写成 UTF-8。",
    ),
    "bom-in-package": Rule(
        "数据包中的文件开头有 BOM（字节顺序标记），规范格式不带 BOM。",
        "用 python -m builder import 重新导入该文件即可去除。",
    ),
    # --- header ---------------------------------------------------------------------------------------------
    "no-header": Rule(
        "前 {rows} 行中找不到表头：没有一列的表头是 {resource} 的字段名或中文标题。",
        "第 1 行应为表头，每列写字段名（如 {example}）或中文标题（如 {example_title}）；文件须以逗号分隔。",
    ),
    "title-row": Rule(
        "表头上方有标题行或空行（表头在第 {header_row} 行）：{value!r}。",
        "删除第 1–{last} 行，使表头位于第 1 行；标题、单位等说明不属于数据。",
    ),
    "merged-header": Rule(
        "表头由多行组成或含合并单元格{where}。", "取消合并单元格，只保留一行表头，每列一个字段名或中文标题。"
    ),
    "blank-header": Rule(
        "第 {column} 列的表头为空，但该列有数据（常见于合并单元格）。", "填写该列的字段名或中文标题，或删除该列。"
    ),
    "duplicate-header": Rule("表头重复：{column} 列与 {other} 列都对应字段 {field}。", "删除其中一列。"),
    "unknown-column": Rule(
        "未知列 {value!r}：不在 {resource} 的表结构中。该列既不会发布，也不会被悄悄丢弃。{personal}",
        "删除该列后重新导入；若确需发布，先在 datapackage.json 中增加该字段（含中文 title 和 description）。",
    ),
    "missing-column": Rule("缺少字段 {field}（{title}）。", "增加一列，表头写 {field} 或 {title}。"),
    "set-and-column": Rule(
        "--set {field}={value} 与文件中的 {field} 列重复。", "去掉 --set，或删除该列：一个字段只能有一个来源。"
    ),
    "header-normalized": Rule("表头 {value!r} 去除空白并经 NFKC 规范化后与字段 {field} 相符。", CHECK_AGAIN, "warning"),
    "blank-column": Rule("第 {column} 列表头和所有单元格都是空的，已忽略。", CHECK_AGAIN, "warning"),
    # --- rows -----------------------------------------------------------------------------------------------
    "blank-row": Rule("数据行之间有空行。", "删除该空行；不要用空行分隔数据。"),
    "trailing-blank-rows": Rule("已忽略文件末尾的 {count} 个空行。", CHECK_AGAIN, "warning"),
    "footer-row": Rule(
        "这是表尾的合计或注释行（{value!r}），不是数据。",
        "删除该行：合计由网站计算并与 printed_totals 核对，说明文字请写入数据包的 sources 表或说明。",
    ),
    "extra-header-row": Rule("表头下方又有一行表头（多行表头或合并单元格）。", "删除多余的表头行，只保留一行表头。"),
    "merged-cell": Rule(
        "合并单元格 {value}：导出后只有左上角的单元格有值，其余为空。", "取消合并单元格，在每个单元格中填写完整的值。"
    ),
    "ragged-row": Rule(
        "该行有 {count} 个单元格，而表头有 {expected} 个。",
        "检查该行是否多了或少了逗号，或单元格内的逗号没有用引号括起来。",
    ),
    "duplicate-key": Rule(
        "主键（{fields}）的值 {value!r} 与第 {first} 行重复。", "删除重复的行，或更正其中一行的主键。"
    ),
    # --- against the rows already in the package (modes replace / update / append) --------------------------
    "rows-would-be-removed": Rule(
        "导入会删除现有 {count} 行：数据包文件现有 {existing} 行，导入文件只有 {incoming} 行，其中没有：{keys}。",
        "只想更正或增加几行时，用 --mode update（只改文件中出现的行）或 --mode append（只加新行）；"
        "确实要删除这些行时，加 --delete-missing 重新导入。可先加 --check 查看将发生的改动。",
    ),
    "duplicate-key-in-files": Rule(
        "主键 {value} 的行在一起导入的文件中出现了不止一次。", "检查是否把同一地市或同一年度的文件导入了两次。"
    ),
    "attachment-refused": Rule("同一附件的表格有错误（见上方），本资源也不写入。", "更正附件后重新导入。"),
    "update-unknown-key": Rule(
        "--mode update 只修改现有的行，但数据包中没有主键为 {value} 的行。",
        "检查主键是否写错；要增加新行，请用 --mode append。",
    ),
    "append-existing-key": Rule(
        "--mode append 只增加新行，但主键 {value} 的行已经存在，且内容不同：{cells}。",
        "要修改现有的行，请用 --mode update；若是写错了主键，请更正。",
    ),
    # --- official attachments (import profiles) ---------------------------------------------------------------
    "attachment-title": Rule("表头上方的 {value!r} 已识别为附件标题行，不作为数据。", CHECK_AGAIN, "warning"),
    "attachment-two-row-header": Rule("第 {rows} 行是两行表头，已合并为：{labels}。", CHECK_AGAIN, "warning"),
    "attachment-note": Rule("表格下方的 {value!r} 已识别为注释行，不作为数据。", CHECK_AGAIN, "warning"),
    "total-checked": Rule("合计行已与 {count} 行数据之和核对相符：{value}。", CHECK_AGAIN, "warning"),
    "attachment-no-header": Rule(
        "找不到附件表格的表头：应有 {labels} 这些列。",
        "确认导入的是这个附件（多个表格时用 --table N 指定），或改用与之相符的导入配置 --profile。",
    ),
    "attachment-no-total": Rule(
        "附件表格没有合计行，无法与原文印出的合计核对。", "核对原件：若原件有合计行，请一并导入。"
    ),
    "serial-number": Rule(
        "序号应为 {expected}，这里是 {value!r}：序号必须从 1 起逐行连续。",
        "核对是否漏了、重复或多了一行；序号按原件照录。",
    ),
    "total-mismatch": Rule(
        "合计行“{label}”印的是 {value}，而 {count} 行数据之和是 {computed}。",
        "核对原件：是某一行转录有误，还是原件的合计有误；原件有误时请向发文单位核实，不要改动合计去凑数。",
    ),
    "row-total-mismatch": Rule("本行“{label}”是 {value}，而 {parts} 之和是 {computed}。", "核对该行的各项数字。"),
    "profile-missing-value": Rule(
        "导入配置需要 {name}（{description}），但标题和注释中都没有找到。",
        "用 --set {name}=值 提供，例如 --set {name}={example}。",
    ),
    # --- cells: refused -------------------------------------------------------------------------------------
    "whitespace-only": Rule("必填字段只有空白字符。", "填写该值；空格（包括全角空格）不算内容。"),
    "number-with-unit": Rule(
        "数值中含有单位或限定词 {extra!r}。", "只填写数字{unit}。如确需“万”等倍数，须在字段定义中声明 x-multipliers。"
    ),
    "thousands-separator": Rule(
        "数值中有千位分隔符。", "去掉逗号，例如写 1234 而不是 1,234（在 Excel 中把数字格式设为“常规”）。"
    ),
    "placeholder-value": Rule("用 {value!r} 表示空缺，但这里需要 {kind}。", "空缺时让单元格留空。"),
    "multiplier-not-integer": Rule(
        "按 {unit} = {factor} 换算后为 {result}，不是整数。", "改为整数，或直接填写完整的数字。"
    ),
    "excel-scientific": Rule(
        "{value!r} 是 Excel 的科学计数法显示，有效数字已经丢失。",
        "在 Excel 中把该列设为“文本”格式，重新输入完整的代码或数字后再导出。",
    ),
    "excel-serial-date": Rule(
        "日期是 Excel 的日期序列号 {value!r}（对应 {guess}？）。",
        "在 Excel 中把该列设为日期格式（yyyy-mm-dd）后重新导出；本程序不猜测日期。",
    ),
    "ambiguous-date": Rule("日期 {value!r} 不完整或有歧义：{why}。", "写成完整的 YYYY-MM-DD，例如 2022-03-10。"),
    "impossible-date": Rule("日期 {value!r} 不存在：{why}。", "核对原始文件，写成真实存在的日期（YYYY-MM-DD）。"),
    "date-with-time": Rule(
        "日期 {value!r} 带有时间。", "只保留日期部分（YYYY-MM-DD）；在 Excel 中把该列设为日期格式 yyyy-mm-dd。"
    ),
    "unrecognized-date": Rule(
        "无法识别的日期 {value!r}。",
        "支持的写法：2022-03-10、2022/3/10、2022.3.10、2022年3月10日（会改写为 2022-03-10）。",
    ),
    "formula-text": Rule(
        "文本以 {lead!r} 开头，电子表格软件打开下载文件时会把它当作公式执行。",
        "改写该值，使它不以 =、+、-、@（含全角）开头，例如在前面加上说明文字。",
    ),
    "formula-cell": Rule("单元格是公式 {value!r}，不是数值。", "复制该列后用“选择性粘贴 → 数值”替换公式，再重新导入。"),
    "excel-error": Rule("单元格是 Excel 错误值 {value!r}。", "更正公式或数据，使单元格显示正常的值。"),
    "control-character": Rule(
        "含有不可见的控制字符或格式字符 {chars}。",
        "删除这些字符（常见于从网页、PDF 复制的文字或单元格内换行）；换行请改用“；”。",
    ),
    "bidi-control": Rule("含有双向文字控制字符 {chars}，会使显示的文字与实际内容不一致。", "删除这些字符。"),
    "private-use-character": Rule(
        "含有私用区字符 {chars}（多为 GBK 自造字或特殊字体符号），在其他电脑上无法正确显示。",
        "改用标准汉字或文字说明。",
    ),
    "replacement-character": Rule(
        "含有替换字符 U+FFFD（�）：文字在之前的某次转换中已经损坏。", "从原始来源重新复制该值。"
    ),
    "mojibake": Rule("疑似乱码：{why}。", "从原始文件重新复制该值{guess}，并以 CSV UTF-8 保存。"),
    "personal-data": Rule(
        "含有个人信息（{kind}）{text!r}：本站不发布手机号码、身份证号码和电子邮箱。",
        "删除该信息；如需公布联系方式，只能使用单位的公开联系方式，并写入 pyproject.toml 的 public_contacts。",
    ),
    "foreign-key": Rule("在 {label} 中找不到该值。", "更正该值，或先在 {label} 中增加这一行。"),
    "cross-package-key": Rule("在 {label} 中找不到该代码。", "更正该值{aliases}。"),
    "question-mark": Rule(
        "GBK 文件中的 '?' 可能是 Excel 另存为 GBK 时替换掉的字符（GBK 没有 ³、–、㎡ 等字符）。",
        "核对原文；若原文不是问号，请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。",
        "warning",
    ),
    # --- cells: normalized (warnings) ----------------------------------------------------------------------
    "bom-removed": Rule("已去除文件开头的 BOM（字节顺序标记）。", CHECK_AGAIN, "warning"),
    "decoded": Rule("文件按 {encoding} 解码，已转为 UTF-8。", CHECK_AGAIN, "warning"),
    "line-endings": Rule("已把 Windows 换行符（CRLF）改为 LF。", CHECK_AGAIN, "warning"),
    "trimmed": Rule("已去除首尾空白（含全角空格 U+3000、不换行空格 U+00A0）。", CHECK_AGAIN, "warning"),
    "nfkc": Rule("已把全角数字、字母或标点改为半角（NFKC）。", CHECK_AGAIN, "warning"),
    "city-alias": Rule("已把地市名称 {value!r} 换为行政区划代码 {after}。", CHECK_AGAIN, "warning"),
    "code-alias": Rule("已把{label} {value!r} 换为代码 {after}。", CHECK_AGAIN, "warning"),
    "date-iso": Rule("已把日期改写为 ISO 8601（YYYY-MM-DD）。", CHECK_AGAIN, "warning"),
    "boolean-case": Rule("已把 {value!r} 改为字段声明的写法 {after!r}。", CHECK_AGAIN, "warning"),
    "multiplier": Rule("已按字段声明的倍数 {unit} = {factor} 换算。", CHECK_AGAIN, "warning"),
}
