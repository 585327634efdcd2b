"""The festivals customers are greeted for, on their dates in the Gregorian calendar: 春节, 元宵 (the 1st and
15th of the first lunar month), 清明 (a solar term), 端午 (5th of the fifth month) and 中秋 (15th of the
eighth month). Dates come from lunar_python (6tail's lunar calendar), which computes them for any year."""
from datetime import date

from lunar_python import Lunar

from core.i18n import Label

# key → (label, lunar month and day, or None for 清明)
FESTIVALS = {
    "spring_festival": (Label(zh="春节", en="Spring Festival"), (1, 1)),
    "lantern_festival": (Label(zh="元宵节", en="Lantern Festival"), (1, 15)),
    "qingming": (Label(zh="清明节", en="Qingming Festival"), None),
    "dragon_boat": (Label(zh="端午节", en="Dragon Boat Festival"), (5, 5)),
    "mid_autumn": (Label(zh="中秋节", en="Mid-Autumn Festival"), (8, 15)),
}


def _solar(solar):
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def festival_dates(year):
    """{key: date} of every festival in Gregorian `year` (each falls in the lunar year of the same number)."""
    found = {}
    for key, (_label, lunar_day) in FESTIVALS.items():
        if lunar_day is None:
            found[key] = _solar(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"])
        else:
            found[key] = _solar(Lunar.fromYmd(year, *lunar_day).getSolar())
    return found


def festivals_between(start, end):
    """(date, key) of the festivals from `start` to `end`, both included, in date order."""
    days = [(day, key) for year in range(start.year, end.year + 1) for key, day in festival_dates(year).items()]
    return sorted((day, key) for day, key in days if start <= day <= end)
