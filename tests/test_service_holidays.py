"""Service hours know Japan's holidays (issue 19, item 10)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import warnings

import attrs
import pytest

from jichitai_cloud import ServiceCalendar, examples, io
from jichitai_cloud.errors import ValidationError, ValidationWarning

D = dt.date


def test_japan_calendar_closes_public_substitute_and_citizens_holidays() -> None:
    cal = ServiceCalendar.japan()
    assert (cal.opens, cal.closes, cal.weekdays) == (ServiceCalendar().opens, ServiceCalendar().closes,
                                                     ServiceCalendar().weekdays)
    # Golden Week 2019: 4/29 昭和の日, 4/30 and 5/2 国民の休日, 5/1 即位の日, 5/3-5/5, 5/6 振替休日
    assert not cal.service_days(D(2019, 4, 29), 8).any()
    assert cal.service_days(D(2019, 5, 7), 1).tolist() == [True]
    # 2015-09-22 国民の休日 (between 敬老の日 and 秋分の日); 2015-05-06 振替休日
    assert cal.service_days(D(2015, 9, 21), 3).tolist() == [False, False, False]
    assert cal.service_days(D(2015, 5, 6), 2).tolist() == [False, True]
    # any year it is asked about, lazily
    assert cal.service_days(D(2031, 1, 13), 1).tolist() == [False]  # 成人の日 2031
    assert hash(cal) == hash(ServiceCalendar.japan()) and cal == ServiceCalendar.japan()


def test_year_end_closure_is_editable_and_own_closed_days_add() -> None:
    cal = ServiceCalendar.japan(year_end=("12-28", "01-04"), closed=(D(2015, 6, 1),))
    assert cal.service_days(D(2015, 12, 28), 8).tolist() == [False] * 8
    assert cal.service_days(D(2016, 1, 5), 1).tolist() == [True]
    assert cal.service_days(D(2015, 6, 1), 2).tolist() == [False, True]
    assert ServiceCalendar.japan(year_end=None).service_days(D(2015, 12, 29), 1).tolist() == [True]
    with pytest.raises(ValidationError, match="year_end"):
        ServiceCalendar(year_end=("13-01", "01-03"))


def test_the_toyama_holiday_list_is_japans_holidays() -> None:
    data = examples.toyama_operations()
    listed = data.calendar
    jp = attrs.evolve(listed, holidays="JP")
    assert (listed.service_days(D(2015, 4, 1), 366) == jp.service_days(D(2015, 4, 1), 366)).all()


def test_a_weekday_calendar_without_holidays_warns_naming_the_first_holiday() -> None:
    bare = ServiceCalendar()
    with pytest.warns(ValidationWarning, match=r"2015-11-03 \(文化の日\)"):
        bare.service_days(D(2015, 11, 1), 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ServiceCalendar.japan().service_days(D(2015, 11, 1), 30)
        ServiceCalendar.always().service_days(D(2015, 11, 1), 30)  # open weekends: a 24x7 service
        bare.service_days(D(2015, 10, 13), 7)  # no holiday in the period
    data = attrs.evolve(examples.toyama_operations(), calendar=ServiceCalendar())
    with pytest.warns(ValidationWarning):
        report = data.monthly_report("H27.11")
    assert "2015-11-03 (文化の日)" in report.summary() and "祝日の指定がありません" in report.summary()
    assert "lists no holidays" in report.summary("en")
    assert report.to_dict()["calendar_warning"].startswith("サービス提供時間に祝日")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clean = examples.toyama_operations().monthly_report("H27.11")
    assert "祝日の指定" not in clean.summary()


def test_operations_file_takes_holidays_jp(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from pathlib import Path

    folder = Path(io.__file__).parent.parent / "examples" / "data"
    for f in folder.glob("toyama_operations*"):
        shutil.copy(f, tmp_path / f.name)
    toml = tmp_path / "toyama_operations.toml"
    text = toml.read_text(encoding="utf-8")
    a = text.index("holidays = [")
    b = text.index("]", a)
    toml.write_text(text[:a] + 'holidays = "JP"' + text[b + 1:], encoding="utf-8")
    data = io.load_operations(toml)
    assert data.calendar.national_holidays and data.calendar.closed_dates == ()
    assert "国民の祝日" in data.calendar.describe()
    assert data.compliance().to_text() == examples.toyama_operations().compliance().to_text()  # same holidays


def test_importing_the_package_does_not_import_holidays() -> None:
    code = "import sys, jichitai_cloud; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
