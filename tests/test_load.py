from builder.data import load
from helpers import DATA


def test_every_package_loads_with_typed_values():
    catalog = load.load(DATA)
    assert sorted(catalog) == sorted(p.parent.name for p in DATA.glob("*/datapackage.json"))
    assert {"audit-statistics", "enterprises", "policies", "public-record", "reference", "technology-cases"} <= set(
        catalog
    )
    targets = catalog["public-record"].tables["plan_targets"].frame
    assert all(isinstance(v, int) for v in targets["base_year"])
    acceptances = catalog["audit-statistics"].tables["acceptances"].frame
    assert len(acceptances) == 42
    assert all(isinstance(v, int) for v in acceptances["enterprises"])
    as_of = catalog["audit-statistics"].tables["platform_completions"].frame["as_of"]
    assert {d.isoformat() for d in as_of} == {"2022-03-10"}


def test_rows_are_numbered_as_in_a_spreadsheet():
    """Header is row 1, so the first record is row 2: the number a maintainer sees in Excel."""
    cities = load.load(DATA)["reference"].tables["cities"].frame
    assert cities.index[0] == 2
    assert cities.loc[4, "city_name"] == "深圳市"


def test_reference_tables_have_the_expected_members():
    reference = load.load(DATA)["reference"].tables
    cities = reference["cities"].frame
    assert len(cities) == 21
    assert cities["region"].value_counts().to_dict() == {"珠三角": 9, "粤北": 5, "粤东": 4, "粤西": 3}
    sectors = reference["sectors"].frame
    assert len(sectors) == 14
    in_notice = sectors.dropna(subset=["notice_order"]).sort_values("notice_order")["name_zh"].tolist()
    assert in_notice == [
        "能源",
        "钢铁",
        "建材",
        "有色金属",
        "石化化工",
        "印染",
        "造纸",
        "化学原料药",
        "电镀",
        "印制电路",
        "农副食品加工",
        "工业涂装",
        "包装印刷",
    ]
    assert set(sectors[sectors["vocs_sector"]]["name_zh"]) == {"石化化工", "包装印刷", "工业涂装"}
    assert len(reference["basins"].frame) == 9
    assert reference["audit_modes"].frame["name_zh"].tolist() == ["常规审核", "简易流程审核", "专项审核", "整体审核"]


def test_validation_hands_on_the_tables_it_read():
    """The build derives from the rows frictionless read while validating: they are the tables `load` reads."""
    from builder.validate import validate

    kept, read = validate(DATA).catalog, load.load(DATA)
    assert list(kept) == list(read)
    for name, package in read.items():
        assert kept[name].descriptor == package.descriptor and kept[name].root == package.root
        assert list(kept[name].tables) == list(package.tables)
        for table in package.tables.values():
            mine = kept[name].tables[table.name]
            assert (mine.path, mine.descriptor) == (table.path, table.descriptor)
            assert mine.frame.equals(table.frame) and mine.frame.index.equals(table.frame.index)
            assert mine.frame.index.name == "row" and all(dtype == object for dtype in mine.frame.dtypes)  # noqa: E721 (numpy dtypes compare by ==)
            assert [[type(v) for v in row] for row in mine.frame.itertuples(index=False)] == [
                [type(v) for v in row] for row in table.frame.itertuples(index=False)
            ]


def test_invalid_data_hand_on_no_tables(data_copy):
    from builder.validate import validate

    targets = data_copy / "audit-statistics" / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("440100,", "440100x,", 1), encoding="utf-8")
    result = validate(data_copy)
    assert not result.valid and result.catalog is None


def test_a_row_with_missing_cells_loads_with_those_cells_empty(data_copy):
    cities = data_copy / "reference" / "cities.csv"
    lines = cities.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join(lines[1].split(",")[:2])  # the first city keeps only its first two cells
    cities.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = load.load_package(data_copy / "reference").tables["cities"].frame
    first = frame.loc[2]
    assert first.iloc[:2].notna().all() and first.iloc[2:].isna().all()
    assert len(frame) == len(lines) - 1
