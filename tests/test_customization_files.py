"""Request registers from CSV / TOML / JSON, and the ``customization`` subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import jichitai_cloud.cli as cli
from jichitai_cloud import customization as cz
from jichitai_cloud import examples, report
from jichitai_cloud import io as jio
from jichitai_cloud.errors import InputError, JichitaiCloudError
from jichitai_cloud.model import Consortium, CustomizationRegister, RequestStatus

CSV = """id,subcommittee,title,requesters,adopters,status,quote_1,quote_2,quote_3,willingness_A,willingness_B,willingness_C,should_be_standard,degrades_service,would_pay_alone,note,reconstructed
2,選挙人名簿,選挙 入場券生年月日項目追加,A;B;C,A,implemented,"700,000",800000,1200000,700000,250000,150000,,true,true,2-3 A市のみ,willingness
9,収滞納管理,催告書 圧着はがき,A、B、C,A;B;C,標準仕様,,,,,,,○,,,,
14,住民税,納税通知書の発行,A;B;C,,取下げ,,,600000,150000,150000,150000,,,×,,
"""

FIXED = """項,部会,要望,要望団体,対象団体,状態,固定額,団体あたり,備考
22,健康管理,肺がん検診結果通知,A;D,A;D,実施,800000,,=cmd|' /C calc'!A0
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_read_requests_csv(tmp_path: Path) -> None:
    reg = jio.read_requests_csv(write(tmp_path, "r.csv", CSV), members=("A", "B", "C", "D", "E", "F"))
    assert reg.members == ("A", "B", "C", "D", "E", "F")
    r2, r9, r14 = reg.requests
    assert r2.quote.by_count.to_dict() == {"1": 700_000, "2": 800_000, "3": 1_200_000}
    assert r2.requesters == ("A", "B", "C") and r2.adopters == ("A",)
    assert r2.willingness.to_dict() == {"A": 700_000, "B": 250_000, "C": 150_000}
    assert r2.assessment.degrades_service is True and r2.assessment.should_be_standard is None
    assert r2.reconstructed == ("willingness",) and r2.note == "2-3 A市のみ"
    assert r9.status is RequestStatus.MADE_STANDARD and r9.requesters == ("A", "B", "C")
    assert r9.assessment.should_be_standard is True and r9.quote.kind == "fixed" and r9.cost == 0
    assert r14.status is RequestStatus.WITHDRAWN and r14.assessment.would_pay_alone is False
    s = cz.stable_adoption(reg)
    assert s.stable("2") == ("A",) and s.stable("14") == ()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    reg = jio.read_requests_csv(write(tmp_path, "r.csv", FIXED, encoding))
    (r,) = reg.requests
    assert r.title == "肺がん検診結果通知" and r.subcommittee == "健康管理"
    assert r.note == "=cmd|' /C calc'!A0"  # kept as text, never evaluated
    assert r.quote.fixed == 800_000 and r.status is RequestStatus.IMPLEMENTED
    assert reg.members == ("A", "D")  # inferred from the codes the file uses
    t = cz.comparison_table(reg)
    assert t.shares == ((400_000, 400_000),)
    assert "'=cmd|' /C calc'!A0" in report.to_csv(t)


def test_csv_problems_name_file_row_and_column(tmp_path: Path) -> None:
    bad = CSV.replace("800000", "80万").replace("A;B;C,A,implemented", "A;B;G,A,implemented")
    path = write(tmp_path, "bad.csv", bad)
    with pytest.raises(InputError) as info:
        jio.read_requests_csv(path, members=("A", "B", "C"))
    msg = str(info.value)
    assert "bad.csv" in msg and "row 2, column 'quote_2': must be an integer, got '80万'" in msg
    with pytest.raises(InputError) as info:
        jio.read_requests_csv(write(tmp_path, "g.csv", CSV.replace("A;B;C,A,implemented", "A;B;G,A,implemented")),
                             members=("A", "B", "C"))
    assert "row 2, column 'requesters': unknown member code(s) ['G']" in str(info.value)
    with pytest.raises(InputError, match=r"row 3, column 'status'.*status must be one of"):
        jio.read_requests_csv(write(tmp_path, "s.csv", CSV.replace("標準仕様", "保留")))
    with pytest.raises(InputError, match=r"row 4, column 'adopters'.*withdrawn but lists adopters"):
        jio.read_requests_csv(write(tmp_path, "w.csv", CSV.replace("A;B;C,,取下げ", "A;B;C,A,取下げ")))
    with pytest.raises(InputError, match="rows 2 and 4, column 'id': duplicate request id '2'"):
        jio.read_requests_csv(write(tmp_path, "d.csv", CSV.replace("\n14,", "\n2,")))
    with pytest.raises(InputError, match="unknown column"):
        jio.read_requests_csv(write(tmp_path, "u.csv", CSV.replace("note,", "colour,")))
    both = "id,title,quote_1,fixed\n1,t,100,200\n"
    with pytest.raises(InputError, match="row 2, column 'fixed': give the quote either per count"):
        jio.read_requests_csv(text=both, members=("A",))
    with pytest.raises(InputError, match="quotes 3 adopters but there are 2 members"):
        jio.read_requests_csv(write(tmp_path, "q.csv", CSV), members=("A", "B"))
    with pytest.raises(InputError, match="no member codes"):
        jio.read_requests_csv(text="id,title\n1,t\n")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"id,title\n1,\x81\xff\n")
    with pytest.raises(InputError, match="not UTF-8"):
        jio.read_requests_csv(binary)


def test_load_source_tells_council_from_register(tmp_path: Path) -> None:
    reg = examples.toyama_customization()
    reg_path = tmp_path / "register.toml"
    reg_path.write_text(jio.dumps(reg), encoding="utf-8")
    assert jio.load_customization_source(reg_path) == reg
    council = reg.apply_to(__import__("jichitai_cloud").examples.toyama())
    c_path = tmp_path / "council.json"
    c_path.write_text(jio.dumps(council, format="json"), encoding="utf-8")
    loaded = jio.load_customization_source(c_path)
    assert isinstance(loaded, Consortium) and loaded == council
    assert jio.load_register(c_path).requests == reg.requests
    assert jio.load_register(reg_path, members=("F", "E", "D", "C", "B", "A")).members[0] == "F"
    with pytest.raises(InputError, match="unknown file type"):
        jio.load_customization_source(tmp_path / "x.xlsx")
    bad = tmp_path / "bad.toml"
    bad.write_text('members = ["A"]\n[[requests]]\nid = "1"\ntitle = "t"\nquote = { fixed = -5 }\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"requests\[0\]\.quote\.fixed"):
        jio.load_customization_source(bad)
    with pytest.raises(JichitaiCloudError, match="no bundled data file"):
        examples.data_path("osaka_customization.toml")


# -- the subcommand --------------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]

    def go(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["customization", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_cli_table(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("--example", "toyama")
    assert code == 0
    assert "カスタマイズ要望比較一覧表" in out and "継続団体" in out and "18,720,000" in out
    code, out, _ = run("--example", "toyama", "--show", "all")
    assert "カスタマイズ要望 31 件: カスタマイズ実施 17 件、標準仕様として対応 3 件、取下げ 11 件" in out
    assert "公表値は 194 回です" in out
    assert "滑川市(1)、舟橋村(1)" in out  # who dropped out, by name (the council knows the names)
    assert "1                        1  滑川市           B" in out
    code, out, _ = run("--example", "toyama", "--show", "all", "--lang", "en")
    assert "published total is 194" in out


def test_cli_json_and_csv(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("--example", "toyama", "--format", "json", "--show", "all")
    data = json.loads(out)
    assert code == 0 and data["comparison"]["grand_total"] == 18_720_000
    assert data["decisions"]["outcomes"]["made_standard"] == 3
    assert data["stable_adopters"]["requests"][1]["stable_adopters"] == ["A"]
    assert any("194" in w for w in data["warnings"])
    path = write(tmp_path, "r.csv", CSV)
    code, out, _ = run(str(path), "--members", "A,B,C,D,E,F", "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith("note,stable_adopters,dropped")
    assert lines[1].startswith("2,選挙人名簿,") and lines[1].endswith(",A,B(1)、C(1)")
    code, out, _ = run(str(path), "--format", "csv", "--basis", "requesters", "--output", str(tmp_path / "o.csv"))
    assert code == 0 and (tmp_path / "o.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_xlsx(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("--example", "toyama", "--format", "xlsx")
    assert code == 2 and "--format xlsx needs --output FILE" in err
    out = tmp_path / "t.xlsx"
    code, stdout, _ = run("--example", "toyama", "--format", "xlsx", "--output", str(out), "--show", "all")
    assert code == 0 and "wrote" in stdout
    wb = openpyxl.load_workbook(out)
    assert {"比較一覧表", "団体別合計", "継続団体", "脱退", "状態別", "部会", "検討項目"} <= set(wb.sheetnames)
    # row 1 the caption, row 2 the headings, rows 3-8 the members, then the 合計 line (a number, as
    # report.to_excel writes the same table)
    assert sum(wb["団体別合計"][f"C{r}"].value for r in range(3, 9)) == 18_720_000
    assert wb["団体別合計"]["A9"].value == "合計" and wb["団体別合計"]["C9"].value == 18_720_000


def test_cli_writes_text_once(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "t.txt"
    code, stdout, _ = run("--example", "toyama", "--output", str(out))
    assert code == 0 and "wrote" in stdout and "18,720,000" in out.read_text(encoding="utf-8")
    for fmt in ("table", "csv", "xlsx"):  # an existing file is never replaced
        code, _, err = run("--example", "toyama", "--format", fmt, "--output", str(out))
        assert code != 0 and "exists" in err and "Traceback" not in err
    code, _, err = run("--example", "osaka")
    assert code != 0 and "no bundled customization register 'osaka'" in err


def test_cli_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run()
    assert code != 0 and "give either FILE" in err
    code, _, err = run("--example", "toyama", "--show", "everything")
    assert code != 0 and "--show takes" in err
    path = write(tmp_path, "r.csv", CSV.replace("800000", "80万"))
    code, _, err = run(str(path))
    assert code != 0 and "row 2, column 'quote_2'" in err and "Traceback" not in err
    code, _, err = run(str(write(tmp_path, "r2.csv", CSV)), "--show", "subcommittees")
    assert code != 0 and "needs a council file" in err


def test_register_loads_through_the_converter_only() -> None:
    reg = examples.toyama_customization()
    assert isinstance(reg, CustomizationRegister) and len(reg.requests) == 31
